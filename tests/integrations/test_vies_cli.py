"""`invoicer vat check` and `invoicer customer check-vat` against the loopback VIES stand-in,
unknown fault strings, and the stand-in's own fidelity (served WSDL, plain checkVat)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from invoicer.cli import cli
from invoicer.cli.errors import run
from invoicer.integrations import vies
from invoicer.services.app import open_services
from invoicer.services.commands import NewCustomer, NewDraft, NewLine, ShopProfileChanges

REQUESTER = "NL004495445B01"
BERLIN = {"street": "Unter den Linden 1", "postcode": "10117", "city": "Berlin"}


@pytest.fixture
def vies_url(vies_service: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    url, server = vies_service
    monkeypatch.setenv("INVOICER_VIES_URL", url)
    monkeypatch.setenv("INVOICER_VIES_TIMEOUT_SECONDS", "2")
    return server


def _shop_db(path: Path) -> str:
    with open_services(path) as svc:
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
        return svc.customers.add(
            NewCustomer(name="Muster GmbH", country="DE", vat_number="DE136695976", **BERLIN)
        ).id


def test_vat_check_prints_the_answer_and_sends_the_shop_as_requester(
    vies_url: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "shop.sqlite"
    _shop_db(db)
    assert run(cli, ["--db", str(db), "vat", "check", "DE 136 695 976"]) == 0
    out = capsys.readouterr().out
    assert "DE136695976: VALID according to VIES" in out
    assert "Consultation number: WAPIAAAAW5976" in out
    assert (vies_url.requests[-1]["requesterCountryCode"],
            vies_url.requests[-1]["requesterVatNumber"]) == ("NL", "004495445B01")  # fmt: skip
    assert run(cli, ["--db", str(db), "vat", "check", "DE136695976", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert (payload["valid"], payload["request_id"]) == (True, "WAPIAAAAW5976")


def test_vat_check_reports_faults_and_bad_numbers_in_plain_words(
    vies_url: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    vies_url.fail_first = ["IP_BLOCKED"]
    assert run(cli, ["vat", "check", "DE136695976"]) == 1
    err = capsys.readouterr().err
    assert "Error: VIES blocks requests from this internet address" in err
    assert "Traceback" not in err
    assert run(cli, ["vat", "check", "DE12345"]) == 1
    assert "vat_number" in capsys.readouterr().err
    assert len(vies_url.requests) == 1  # the malformed number was never sent
    assert run(cli, ["vat", "check", "DE136695976", "--json"]) == 0  # no shop: still checks
    assert json.loads(capsys.readouterr().out)["valid"] is True
    assert vies_url.requests[-1].get("requesterVatNumber") is None


def test_customer_check_vat_records_the_proof(
    vies_url: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "shop.sqlite"
    customer_id = _shop_db(db)
    vies_url.fail_first = ["MS_MAX_CONCURRENT_REQ"] * 3  # more than the retries allow
    assert run(cli, ["--db", str(db), "customer", "check-vat", customer_id]) == 1
    assert "busy" in capsys.readouterr().err
    with open_services(db) as svc:
        assert svc.customers.get(customer_id).vies_valid is None  # a failure is not "valid"
    vies_url.fail_first = []
    assert run(cli, ["--db", str(db), "customer", "check-vat", customer_id, "--json"]) == 0
    capsys.readouterr()
    with open_services(db) as svc:
        customer = svc.customers.get(customer_id)
    assert (customer.vies_valid, customer.vies_request_id) == (True, "WAPIAAAAW5976")
    assert customer.vies_name == "MUSTER GMBH"


def test_an_unknown_fault_string_is_a_retryable_unavailable(vies_service: Any) -> None:
    url, server = vies_service
    server.fail_first = ["SOMETHING_NEW"]
    with pytest.raises(vies.ViesError) as error:
        vies.check_approx("DE", "100", requester=REQUESTER, url=url)
    assert (error.value.code, error.value.retryable) == ("SOMETHING_NEW", True)
    assert "unavailable" in str(error.value)
    server.fail_first = ["SOMETHING_NEW"]
    waits: list[float] = []
    result = vies.check_vat("DE136695976", requester=REQUESTER, url=url, sleep=waits.append)
    assert result.valid
    assert waits == [1.0]


def test_the_stand_in_publishes_the_real_wsdl_and_answers_check_vat(vies_service: Any) -> None:
    import zeep

    url, server = vies_service
    client = zeep.Client(url + "?wsdl")  # the bundled WSDL, served with a loopback address
    assert client.service._binding_options["address"] == url
    reply = client.service.checkVat(countryCode="DE", vatNumber="100")
    assert (reply.valid, reply.name) == (True, "MUSTER GMBH")
    with pytest.raises(zeep.exceptions.Fault, match="MS_UNAVAILABLE"):
        client.service.checkVat(countryCode="DE", vatNumber="301")
    assert [r["operation"] for r in server.requests] == ["checkVat", "checkVat"]


def test_the_vies_policy_setting_reaches_issuing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from invoicer.domain.errors import Conflict

    db = tmp_path / "shop.sqlite"
    customer_id = _shop_db(db)
    with open_services(db) as svc:
        draft = svc.invoices.create_draft(NewDraft(customer_id=customer_id))
        svc.invoices.add_line(
            draft.id, NewLine(description="Consulting", unit_price="100", supply_kind="services")
        )
        with pytest.raises(Conflict, match="VIES"):
            svc.invoices.issue(draft.id)  # default: block without a valid check
    monkeypatch.setenv("INVOICER_VIES_POLICY", "warn")
    with open_services(db) as svc:
        issued = svc.invoices.issue(draft.id)
    assert issued.number is not None
    assert issued.vat_groups[0].category == "AE"
