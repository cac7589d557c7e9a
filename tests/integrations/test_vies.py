"""VIES through zeep against a SOAP server on loopback that answers as VIES does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from invoicer.domain.errors import Conflict, ValidationError
from invoicer.integrations import vies
from invoicer.services.app import open_services
from invoicer.services.commands import NewCustomer, NewDraft, NewLine, ShopProfileChanges
from invoicer.services.vies_checks import check_customer, is_verified

from .vies_server import FAULT_NUMBERS

REQUESTER = "NL004495445B01"
BERLIN = {"street": "Unter den Linden 1", "postcode": "10117", "city": "Berlin"}


def test_valid_number_returns_name_address_and_consultation_number(vies_service: Any) -> None:
    url, server = vies_service
    result = vies_module_check("DE136695976", url)
    assert (result.valid, result.country_code, result.vat_number) == (True, "DE", "136695976")
    assert result.name == "MUSTER GMBH"
    assert result.address == "MARKTPLATZ 5\n80331 MUENCHEN"
    assert result.request_id == "WAPIAAAAW5976"
    assert result.request_date == dt.date(2026, 3, 16)
    sent = server.requests[-1]
    assert (sent["requesterCountryCode"], sent["requesterVatNumber"]) == ("NL", "004495445B01")


def vies_module_check(number: str, url: str, **kw: Any) -> vies.ViesResult:
    return vies.check_vat(number, requester=REQUESTER, url=url, sleep=lambda _: None, **kw)


def test_greek_numbers_are_sent_with_el(vies_service: Any) -> None:
    url, server = vies_service
    vies_module_check("GR094501040", url)
    assert (server.requests[-1]["countryCode"], server.requests[-1]["vatNumber"]) == (
        "EL", "094501040")  # fmt: skip


def test_test_numbers_100_and_200(vies_service: Any) -> None:
    url, _ = vies_service
    assert vies.check_approx("DE", "100", requester=REQUESTER, url=url).valid is True
    invalid = vies.check_approx("DE", "200", requester=REQUESTER, url=url)
    assert (invalid.valid, invalid.name, invalid.address) == (False, None, None)


@pytest.mark.parametrize(("number", "code"), sorted(FAULT_NUMBERS.items()))
def test_every_fault_becomes_a_clear_error(vies_service: Any, number: str, code: str) -> None:
    url, _ = vies_service
    with pytest.raises(vies.ViesError) as error:
        vies.check_approx("DE", number, requester=REQUESTER, url=url)
    assert error.value.code == code
    message, retryable = vies.FAULTS[code]
    assert str(error.value) == message
    assert error.value.retryable is retryable
    assert "Traceback" not in str(error.value)


def test_temporary_faults_are_retried_with_backoff(vies_service: Any) -> None:
    url, server = vies_service
    server.fail_first = ["MS_UNAVAILABLE", "GLOBAL_MAX_CONCURRENT_REQ"]
    waits: list[float] = []
    result = vies.check_vat("DE136695976", requester=REQUESTER, url=url, retries=2,
                            backoff=0.5, sleep=waits.append)  # fmt: skip
    assert result.valid
    assert waits == [0.5, 1.0]
    assert len(server.requests) == 3


def test_retries_are_bounded(vies_service: Any) -> None:
    url, server = vies_service
    server.fail_first = ["SERVICE_UNAVAILABLE"] * 5
    with pytest.raises(vies.ViesError, match="unavailable"):
        vies_module_check("DE136695976", url, retries=2)
    assert len(server.requests) == 3


def test_permanent_faults_are_not_retried(vies_service: Any) -> None:
    url, server = vies_service
    server.fail_first = ["VAT_BLOCKED"]
    with pytest.raises(vies.ViesError, match="blocks"):
        vies_module_check("DE136695976", url, retries=3)
    assert len(server.requests) == 1


def test_a_slow_answer_times_out(vies_service: Any) -> None:
    url, _ = vies_service
    with pytest.raises(vies.ViesError, match="did not answer within 1 seconds"):
        vies.check_approx("DE", "999", requester=REQUESTER, url=url, timeout=1)


def test_an_unreachable_endpoint_is_a_clear_error() -> None:
    with pytest.raises(vies.ViesError, match="Could not reach VIES"):
        vies.check_approx("DE", "100", requester=None, url="http://127.0.0.1:9/vies", timeout=1)


def test_a_malformed_number_never_reaches_vies(vies_service: Any) -> None:
    url, server = vies_service
    with pytest.raises(ValidationError, match="not a valid VAT number"):
        vies_module_check("DE12345", url)
    assert server.requests == []


def test_customer_check_is_recorded_and_makes_reverse_charge_possible(
    vies_service: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = vies_service
    monkeypatch.setenv("INVOICER_VIES_URL", url)
    with open_services(tmp_path / "v.sqlite") as svc:
        svc.shop.save(
            ShopProfileChanges(
                legal_name="Voorbeeld B.V.",
                street="Damrak 1",
                postcode="1012 LG",
                city="Amsterdam",
                country="NL",
                vat_number=REQUESTER,
            )
        )
        customer = svc.customers.add(
            NewCustomer(name="Muster GmbH", country="DE", vat_number="DE136695976", **BERLIN)
        )
        draft = svc.invoices.create_draft(NewDraft(customer_id=customer.id))
        svc.invoices.add_line(
            draft.id, NewLine(description="Consulting", unit_price="100", supply_kind="services")
        )
        with pytest.raises(Conflict, match="VIES"):
            svc.invoices.issue(draft.id)
        updated, result = check_customer(svc, customer.id)
        assert (updated.vies_valid, updated.vies_request_id) == (True, result.request_id)
        assert is_verified(updated, 30, dt.date.today())
        invoice = svc.invoices.issue(draft.id)
        assert invoice.vat_groups[0].category == "AE"
        assert invoice.buyer.vies_request_id == result.request_id


def test_a_failed_check_is_never_recorded_as_valid(
    vies_service: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, server = vies_service
    monkeypatch.setenv("INVOICER_VIES_URL", url)
    monkeypatch.setenv("INVOICER_VIES_RETRIES", "0")
    with open_services(tmp_path / "v.sqlite") as svc:
        customer = svc.customers.add(
            NewCustomer(name="Muster GmbH", country="DE", vat_number="DE136695976", **BERLIN)
        )
        server.fail_first = ["MS_UNAVAILABLE"]
        with pytest.raises(vies.ViesError):
            check_customer(svc, customer.id)
        assert svc.customers.get(customer.id).vies_valid is None
