"""The typed commands: one model per write, schemas for the server and the assistant, and the
same refusals a merchant knew before."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import invoicer.services
from invoicer.domain.errors import ValidationError
from invoicer.services import commands
from invoicer.services.app import Services
from invoicer.services.commands import (
    Command,
    CustomerChanges,
    DraftChanges,
    LineChanges,
    NewCustomer,
    NewDraft,
    NewLine,
    NewProduct,
    RecordPayment,
    SettingsChanges,
)

from .conftest import dump

MODELS = [getattr(commands, name) for name in commands.__all__ if name != "Command"]

# Every write that takes data from a caller, and the command it takes.
WRITES = {
    ("customers", "CustomerService.add"): "NewCustomer",
    ("customers", "CustomerService.update"): "CustomerChanges",
    ("products", "ProductService.add"): "NewProduct",
    ("products", "ProductService.update"): "ProductChanges",
    ("invoices", "InvoiceService.create_draft"): "NewDraft",
    ("invoices", "InvoiceService.update_draft"): "DraftChanges",
    ("invoices", "InvoiceService.add_line"): "NewLine",
    ("invoices", "InvoiceService.update_line"): "LineChanges",
    ("payments", "PaymentService.add"): "RecordPayment",
    ("credit_notes", "CreditNoteService.create"): "NewCreditNote",
    ("shop", "ShopService.save"): "ShopProfileChanges",
    ("settings", "SettingsService.set"): "SettingsChanges",
    ("settings", "SettingsService.check"): "SettingsChanges",
    ("payment_requests", "add"): "NewPaymentRequest",
    ("payments_crypto", "request_payment"): "CryptoRequest",
    ("payments_crypto", "check_transaction"): "CryptoTransaction",
}


def _callable(module: str, qualname: str) -> Any:
    target: Any = importlib.import_module(f"invoicer.services.{module}")
    for part in qualname.split("."):
        target = getattr(target, part)
    return target


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_command_has_a_documented_json_schema(model: type[Command]) -> None:
    schema = model.model_json_schema()
    json.dumps(schema)  # plain JSON: what a request body or a tool definition carries
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(model.model_fields)
    undocumented = [n for n, p in schema["properties"].items() if not p.get("description")]
    assert undocumented == []
    assert set(schema.get("required", ())) == set(model.required) <= set(model.model_fields)


@pytest.mark.parametrize(("where", "model"), WRITES.items(), ids=lambda x: str(x))
def test_every_write_takes_its_command(where: tuple[str, str], model: str) -> None:
    parameters = inspect.signature(_callable(*where)).parameters.values()
    annotations = [p.annotation for p in parameters]
    # Annotations are strings (from __future__ import annotations): resolve them by name.
    assert model in annotations
    assert issubclass(getattr(commands, model), Command)


def test_no_service_function_takes_arbitrary_keywords() -> None:
    """What replaced `**data`: a write names its input, so a typo is refused, never ignored."""
    loose = []
    for info in pkgutil.walk_packages(invoicer.services.__path__, "invoicer.services."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj):
                members = [(name, obj)]
            elif inspect.isclass(obj) and not issubclass(obj, Command):
                members = [
                    (f"{name}.{n}", f) for n, f in vars(obj).items() if inspect.isfunction(f)
                ]
            else:
                continue
            for qualname, function in members:
                if qualname.rsplit(".", 1)[-1].startswith("_"):
                    continue  # private helpers and constructors (built by the composition root)
                kinds = [p.kind for p in inspect.signature(function).parameters.values()]
                if inspect.Parameter.VAR_KEYWORD in kinds:
                    loose.append(f"{info.name}.{qualname}")
    assert loose == []


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_an_unknown_field_is_refused_by_name(model: type[Command]) -> None:
    with pytest.raises(ValidationError) as error:
        model(colour="blue")
    [problem] = [p for p in error.value.problems if p.field == "colour"]
    assert problem.code in ("unknown_field", "unknown_setting")
    assert "colour" in problem.message.lower()


def test_unknown_fields_from_json_are_refused_the_same_way() -> None:
    with pytest.raises(ValidationError) as error:
        NewLine.model_validate_json('{"description": "Tea", "quantty": "2"}')
    assert [(p.field, p.code) for p in error.value.problems] == [("quantty", "unknown_field")]
    with pytest.raises(ValidationError):
        NewLine.model_validate({"description": "Tea", "quantty": "2"})
    assert NewLine.model_validate({"description": "Tea"}).given() == {"description": "Tea"}


def test_settings_name_the_unknown_setting() -> None:
    with pytest.raises(ValidationError) as error:
        SettingsChanges(vies_polcy="warn")
    assert str(error.value) == "vies_polcy: There is no setting 'vies_polcy'."


def test_partial_changes_tell_not_given_from_set_to_empty() -> None:
    assert CustomerChanges(city="Utrecht").given() == {"city": "Utrecht"}
    assert CustomerChanges(email=None).given() == {"email": None}
    assert CustomerChanges().given() == {}


def test_values_are_kept_as_the_caller_sent_them() -> None:
    # The services read them (in the user's locale); the command converts nothing.
    line = NewLine(quantity="1,5", unit_price=Decimal("2.50"))
    assert (line.quantity, line.unit_price) == ("1,5", Decimal("2.50"))
    assert RecordPayment(amount=7).amount == 7


def test_changes_apply_only_given_fields(shop: Services) -> None:
    customer = shop.customers.add(
        NewCustomer(name="Jan", country="NL", email="jan@example.nl", city="Delft")
    )
    kept = shop.customers.update(customer.id, CustomerChanges(city="Utrecht"))
    assert (kept.city, kept.email) == ("Utrecht", "jan@example.nl")
    cleared = shop.customers.update(customer.id, CustomerChanges(email=None))
    assert (cleared.city, cleared.email) == ("Utrecht", None)


def test_the_services_still_word_the_problems(shop: Services, db_path: Path) -> None:
    """The command does not pre-empt the services' checks: every problem of a call comes back
    at once, in the words the merchant sees in every front-end."""
    before = dump(db_path)
    with pytest.raises(ValidationError) as error:
        shop.customers.add(NewCustomer(name="", country="Nederland", is_business="yes"))
    assert {(p.field, p.code) for p in error.value.problems} == {
        ("name", "required"),
        ("country", "unknown_country"),
        ("is_business", "not_boolean"),
    }
    with pytest.raises(ValidationError) as error:
        shop.customers.add(NewCustomer(city="Delft"))  # nothing required given
    assert {p.message for p in error.value.problems} == {
        "Name is required.",
        "Country is required.",
    }
    with pytest.raises(ValidationError, match="Unit price is required"):
        shop.products.add(NewProduct(name="Tea"))
    with pytest.raises(ValidationError, match="Customer id is required"):
        shop.invoices.create_draft(NewDraft())
    customer = shop.customers.add(NewCustomer(name="Jan", country="NL"))
    draft = shop.invoices.create_draft(NewDraft(customer_id=customer.id))
    before = dump(db_path)
    with pytest.raises(ValidationError) as error:
        shop.invoices.update_draft(draft.id, DraftChanges(issue_date="1st of March"))
    assert error.value.problems[0].message == (
        "Issue date must be a date written YYYY-MM-DD, such as 2026-03-01, not '1st of March'."
    )
    with pytest.raises(ValidationError) as error:
        shop.invoices.add_line(draft.id, NewLine(description="Tea", unit_price=1.5))
    assert error.value.problems[0].code == "float"
    line = shop.invoices.add_line(draft.id, NewLine(description="Tea", unit_price="1,50")).lines[0]
    assert line.unit_price == Decimal("1.50")  # the shop's locale (nl) reads the comma
    before = dump(db_path)
    with pytest.raises(ValidationError):
        shop.invoices.update_line(draft.id, line.id, LineChanges(quantity="-1"))
    assert dump(db_path) == before
