"""One error payload for every caller (issue 18): each error type maps to its documented type,
code and HTTP status; the message is the user's sentence; a bug reveals nothing."""

from __future__ import annotations

import importlib
import json
import pkgutil
import sqlite3
from pathlib import Path

import pytest

import invoicer
from invoicer.domain.errors import (
    Conflict,
    FileDamaged,
    InvoicerError,
    NotFound,
    Problem,
    ValidationError,
)
from invoicer.integrations.crypto import CryptoCheckFailed
from invoicer.integrations.secrets import KeyringUnavailable
from invoicer.integrations.stripe_payments import StripeProblem
from invoicer.integrations.vies import ViesError
from invoicer.services.app import NoDatabase, Services
from invoicer.services.errors import (
    INTERNAL_MESSAGE,
    KINDS,
    STATUSES,
    error_lines,
    error_payload,
    http_status,
)
from invoicer.store.file_checks import DatabaseRefused
from tests.services.test_lifecycle import consumer, issued

# (the error, its type, its code, its HTTP status)
CASES = [
    (NotFound("There is no invoice INV-9."), "not_found", "not_found", 404),
    (NoDatabase("There is no Invoicer database at x."), "not_found", "no_database", 404),
    (Conflict("Invoice INV-1 is already fully credited."), "conflict", "conflict", 409),
    (DatabaseRefused("x is not ours."), "conflict", "not_an_invoicer_database", 409),
    (CryptoCheckFailed("reused", "0x1 already paid an invoice."), "conflict", "reused", 409),
    (FileDamaged("shop.sqlite is damaged."), "damaged", "file_damaged", 500),
    (ViesError("VIES is busy.", "SERVER_BUSY", True), "unavailable", "server_busy", 503),
    (KeyringUnavailable("No usable keyring was found."), "unavailable", "keyring_unavailable", 503),
    (StripeProblem("Could not reach Stripe."), "unavailable", "stripe_error", 503),
    (InvoicerError("Something the user can fix."), "invalid_request", "invalid_request", 400),
]  # fmt: skip


@pytest.mark.parametrize(("error", "kind", "code", "status"), CASES)
def test_each_error_maps_to_its_type_code_and_status(
    error: InvoicerError, kind: str, code: str, status: int
) -> None:
    payload = error_payload(error)

    assert payload == {"error": {"type": kind, "code": code, "message": str(error), "field": None}}
    assert http_status(error) == status == STATUSES[kind]
    assert error_lines(error) == [str(error)]


def test_a_validation_error_names_its_first_problem_and_lists_them_all() -> None:
    error = ValidationError(
        [
            Problem("name", "required", "Name is required."),
            Problem("country", "unknown_country", "'XX' is not a two-letter country code."),
            Problem("", "empty", "Choose at least one line."),
        ]
    )

    payload = error_payload(error)["error"]

    assert (payload["type"], payload["code"], payload["field"]) == (
        "validation",
        "required",
        "name",
    )
    assert payload["message"] == "Name is required."
    assert payload["problems"] == [
        {"field": "name", "code": "required", "message": "Name is required."},
        {
            "field": "country",
            "code": "unknown_country",
            "message": "'XX' is not a two-letter country code.",
        },
        {"field": None, "code": "empty", "message": "Choose at least one line."},
    ]
    assert http_status(error) == 422
    # The front-ends' text is the same words, one line per problem.
    assert error_lines(error) == [
        "name: Name is required.",
        "country: 'XX' is not a two-letter country code.",
        "Choose at least one line.",
    ]


def test_a_real_refusal_from_the_services_is_the_users_sentence(shop: Services) -> None:
    with pytest.raises(NotFound) as caught:
        shop.invoices.get("no-such-invoice")

    error = error_payload(caught.value)["error"]

    assert (error["type"], error["field"]) == ("not_found", None)
    assert error["message"] == str(caught.value)
    assert "no-such-invoice" in str(error["message"])
    assert "Traceback" not in json.dumps(error)


def test_a_bug_reveals_nothing(tmp_path: Path) -> None:
    secret = f"sk_live_0123456789 in {tmp_path} SELECT * FROM secrets"
    try:
        raise RuntimeError(secret)
    except RuntimeError as exc:
        bug = exc

    payload = error_payload(bug)
    text = json.dumps(payload)

    assert payload == {
        "error": {
            "type": "internal",
            "code": "internal",
            "message": INTERNAL_MESSAGE,
            "field": None,
        }
    }
    for leak in ("sk_live", str(tmp_path), "SELECT", "RuntimeError", "Traceback", __file__):
        assert leak not in text
    assert http_status(bug) == 500
    assert error_lines(bug) == [INTERNAL_MESSAGE]
    # The local app's own user may see what to report; still never a traceback.
    assert error_lines(bug, show_internal=True) == [INTERNAL_MESSAGE, f"RuntimeError: {secret}"]


def test_the_databases_own_refusal_is_a_conflict(shop: Services, db_target: Path | str) -> None:
    from sqlalchemy.exc import IntegrityError

    from tests.backends import execute

    invoice_id = issued(shop, consumer(shop), {"description": "Widget", "unit_price": "10"})
    with pytest.raises(IntegrityError) as caught:  # as SQLite or PostgreSQL words it
        execute(db_target, "UPDATE invoices SET notes = 'changed' WHERE id = :id", id=invoice_id)

    error = error_payload(caught.value)["error"]

    assert (error["type"], error["code"]) == ("conflict", "issued_document_frozen")
    assert "credit note" in str(error["message"])
    assert http_status(caught.value) == 409


def test_a_busy_database_is_unavailable_not_a_bug(shop: Services, db_path: Path) -> None:
    writer = sqlite3.connect(db_path, isolation_level=None)
    other = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        with pytest.raises(sqlite3.OperationalError) as caught:
            other.execute("BEGIN IMMEDIATE")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        other.close()

    error = error_payload(caught.value)["error"]

    assert (error["type"], error["code"]) == ("unavailable", "database_busy")
    assert http_status(caught.value) == 503


def test_every_name_in_the_table_is_a_real_error_class() -> None:
    for name in KINDS:
        module, _, cls = name.rpartition(".")
        found = getattr(importlib.import_module(module), cls)
        assert issubclass(found, InvoicerError), name
        assert KINDS[name].type in STATUSES


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_every_invoicer_error_class_has_an_entry_more_precise_than_the_base() -> None:
    for info in pkgutil.walk_packages(invoicer.__path__, "invoicer."):
        if ".migrations" not in info.name and not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    base = KINDS["invoicer.domain.errors.InvoicerError"]

    for cls in _subclasses(InvoicerError):
        if cls.__module__.startswith("invoicer."):
            assert http_status(_instance(cls)) != base.status, cls


def _instance(cls: type[InvoicerError]) -> InvoicerError:
    if issubclass(cls, ValidationError):
        return cls([Problem("f", "c", "m")])
    try:
        return cls("message")
    except TypeError:  # ViesError, CryptoCheckFailed, ... take a code too
        return cls.__new__(cls)
