"""Getting paid from the TUI, asserted on the database: the e-invoice format choice, a Stripe
link and refresh (the official library against the local Stripe stand-in), a crypto request
and the on-chain check (eth-tester with the committed ERC-20), and a bank statement import."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Select, Static

from invoicer.integrations import secrets
from invoicer.services import payment_requests
from tests.keyrings import MemoryKeyring
from tests.payments import stripe_server
from tests.payments.evm import mine, new_chain, pay_token
from tests.payments.test_bank_statements import camt
from tests.tui.conftest import fill_fixed_data, make_app, screen_text, settle, type_into
from ui_tui.dialogs.check_tx import CheckTxDialog
from ui_tui.dialogs.choice import ChoiceDialog
from ui_tui.dialogs.crypto_request import CryptoRequestDialog
from ui_tui.dialogs.statement import StatementDialog
from ui_tui.dialogs.statement_report import StatementReportDialog
from ui_tui.screens.invoice import InvoiceScreen
from ui_tui.screens.invoices import InvoicesScreen


def messages(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


@pytest.fixture
def stripe(
    svc: Any, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> Iterator[stripe_server.StripeStandIn]:
    with stripe_server.running() as (url, stand_in):
        monkeypatch.setenv("INVOICER_STRIPE_API_BASE", url)
        svc.reload_settings()  # as if set before the app started: the services read it once
        secrets.set_secret("stripe_secret_key", stripe_server.VALID_KEY)
        yield stand_in


async def open_invoice(pilot: Any, invoice_id: str) -> None:
    await settle(pilot)
    await pilot.press("f3")
    await settle(pilot)
    await pilot.app.push_screen(InvoiceScreen(invoice_id))
    await settle(pilot)


@pytest.mark.parametrize(
    ("choice", "suffix", "start", "inside"),
    [
        (1, "ubl-en16931.xml", b"<?xml", b"urn:oasis:names:specification:ubl"),
        (2, "cii.xml", b"<?xml", b"CrossIndustryInvoice"),
        (3, "facturx.pdf", b"%PDF", b"CrossIndustryInvoice"),
    ],
)
async def test_the_e_invoice_format_is_chosen(
    svc: Any, tmp_path: Path, choice: int, suffix: str, start: bytes, inside: bytes
) -> None:
    data = fill_fixed_data(svc)
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_invoice(pilot, data["open"].id)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press(*["down"] * choice, "enter")
        await settle(pilot)
        written = tmp_path / "exports" / f"{data['open'].number}.{suffix}"
        content = written.read_bytes()
        assert content.startswith(start)
        if start == b"%PDF":
            from facturx import get_xml_from_pdf

            _, content = get_xml_from_pdf(content, check_xsd=False)
        assert inside in content
        assert data["open"].number.encode() in content
        assert any(f"E-invoice saved to {written}" in m for m in messages(app))


async def test_peppol_ubl_for_a_buyer_without_an_id_says_what_to_fill_in(
    svc: Any, tmp_path: Path
) -> None:
    data = fill_fixed_data(svc)
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_invoice(pilot, data["open"].id)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("enter")  # the first format offered: UBL for Peppol
        await settle(pilot)
        assert not (tmp_path / "exports" / f"{data['open'].number}.ubl.xml").exists()
        assert any("has no Peppol id" in m for m in messages(app))


async def test_stripe_link_then_refresh_books_the_card_payment(
    svc: Any, tmp_path: Path, stripe: stripe_server.StripeStandIn
) -> None:
    data = fill_fixed_data(svc)
    invoice = data["open"]
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_invoice(pilot, invoice.id)
        await pilot.press("l")
        await settle(pilot)
        [request] = payment_requests.for_invoice(svc, invoice.id, "stripe")
        assert request.amount_minor == 5714
        assert request.url.startswith("https://checkout.stripe.test/")
        assert f"Card payment link: {request.url}" in messages(app)
        assert request.url in screen_text(app)  # stays on the invoice screen
        assert request.url in str(app.screen.query_one("#parties", Static).content)
        await pilot.press("u")
        await settle(pilot)
        assert svc.invoices.get(invoice.id).status == "overdue"  # not paid yet
        stripe.pay(request.external_id, fee=190)
        await pilot.press("u")
        await settle(pilot)
        assert svc.invoices.get(invoice.id).status == "paid"
        [payment] = svc.payments.list(invoice.id)
        assert (payment.method, payment.extra["fee_minor"]) == ("card", 190)
        assert any(f"paid {invoice.number}" in m for m in messages(app))
        assert "Paid" in screen_text(app)
        assert app.screen.check_action("stripe_link", ()) is False  # nothing left to pay


async def test_stripe_refresh_from_the_invoices_list(
    svc: Any, tmp_path: Path, stripe: stripe_server.StripeStandIn
) -> None:
    data = fill_fixed_data(svc)
    from invoicer.services.payments_stripe import create_link

    request = create_link(svc, data["part"].id)
    stripe.pay(request.external_id)
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, InvoicesScreen)
        await pilot.press("u")
        await settle(pilot)
        assert svc.invoices.get(data["part"].id).status == "paid"
        assert any(f"paid {data['part'].number}" in m for m in messages(app))


async def test_a_stripe_error_is_a_clear_message_and_stores_nothing(
    svc: Any, tmp_path: Path, stripe: stripe_server.StripeStandIn
) -> None:
    data = fill_fixed_data(svc)
    secrets.set_secret("stripe_secret_key", "sk_test_wrong")
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_invoice(pilot, data["open"].id)
        await pilot.press("l")
        await settle(pilot)
        assert payment_requests.for_invoice(svc, data["open"].id) == []
        assert any("refused the secret key" in m for m in messages(app))
        assert all("sk_test" not in m and "Traceback" not in m for m in messages(app))


@pytest.fixture(scope="module")
def chain() -> dict[str, Any]:
    return new_chain()


@pytest.fixture
def crypto_settings(
    svc: Any, chain: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    monkeypatch.setenv("INVOICER_RECEIVING_ADDRESS", chain["shop"])
    monkeypatch.setenv("INVOICER_CHAIN_ID", str(chain["w3"].eth.chain_id))
    monkeypatch.setenv("INVOICER_CONFIRMATIONS", "2")
    monkeypatch.setenv("INVOICER_CRYPTO_ASSETS", f"ETH, EURC:{chain['eurc'].address}:6:EUR")
    svc.reload_settings()  # as if set before the app started: the services read them once
    return chain


def pay_eurc(chain: dict[str, Any], to: str, units: int) -> str:
    tx = pay_token(chain, "eurc", to, units)
    mine(chain, 3)
    return tx


async def request_crypto(pilot: Any, asset: str, rate: str = "") -> None:
    await pilot.press("r")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CryptoRequestDialog)
    pilot.app.screen.query_one("#asset", Select).value = asset
    if rate:
        await type_into(pilot, "#rate", rate)
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_crypto_request_then_the_transaction_is_checked_and_booked(
    svc: Any, tmp_path: Path, crypto_settings: dict[str, Any]
) -> None:
    chain = crypto_settings
    data = fill_fixed_data(svc)
    invoice = data["open"]  # 57.14 EUR
    app = make_app(svc, tmp_path, chain=chain["w3"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_invoice(pilot, invoice.id)
        await request_crypto(pilot, "EURC")
        [request] = payment_requests.for_invoice(svc, invoice.id, "crypto")
        assert request.details["units"] == 57_140_000
        assert request.url.startswith(f"ethereum:{chain['eurc'].address}@")
        assert request.url in str(app.screen.query_one("#parties", Static).content)
        # A transfer to someone else: refused with its own message, nothing booked.
        wrong = pay_eurc(chain, chain["stranger"], 57_140_000)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, CheckTxDialog)
        await type_into(pilot, "#tx_hash", wrong)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CheckTxDialog)
        assert any("shop's address" in m or "recipient" in m for m in messages(app))
        assert svc.payments.list(invoice.id) == ()
        # The right one is booked.
        right = pay_eurc(chain, chain["shop"], 57_140_000)
        await type_into(pilot, "#tx_hash", right)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InvoiceScreen)
        assert svc.invoices.get(invoice.id).status == "paid"
        [payment] = svc.payments.list(invoice.id)
        assert (payment.method, payment.extra["tx_hash"]) == ("crypto", right.lower())
        assert any(m.startswith("Booked 57.14 EUR from") for m in messages(app))


async def test_an_eth_request_needs_a_rate_shown_beside_the_field(
    svc: Any, tmp_path: Path, crypto_settings: dict[str, Any]
) -> None:
    data = fill_fixed_data(svc)
    app = make_app(svc, tmp_path, chain=crypto_settings["w3"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_invoice(pilot, data["open"].id)
        await request_crypto(pilot, "ETH", "lots")
        assert isinstance(app.screen, CryptoRequestDialog)
        error = app.screen.query_one("#field-rate .error", Static)
        assert "positive number" in str(error.content)
        assert payment_requests.for_invoice(svc, data["open"].id) == []
        await type_into(pilot, "#rate", "2857")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [request] = payment_requests.for_invoice(svc, data["open"].id, "crypto")
        assert request.details["rate"] == "2857"
        assert request.details["units"] == 20 * 10**15  # 57.14 / 2857 = 0.02 ETH


async def test_crypto_without_a_receiving_address_says_what_to_set(
    svc: Any, tmp_path: Path
) -> None:
    data = fill_fixed_data(svc)
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_invoice(pilot, data["open"].id)
        await request_crypto(pilot, "ETH", "3000")
        assert any("receiving address" in m for m in messages(app))
        assert payment_requests.for_invoice(svc, data["open"].id) == []


async def test_a_bank_statement_is_imported_from_the_invoices_list(
    svc: Any, tmp_path: Path
) -> None:
    data = fill_fixed_data(svc)
    statement = tmp_path / "camt053.xml"
    statement.write_bytes(
        camt(
            [
                {"id": "E1", "amount": "57.14", "text": f"Rechnung {data['open'].number}"},
                {"id": "E2", "amount": "12.00", "text": "unknown", "name": "Someone"},
            ]
        )
    )
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, StatementDialog)
        await type_into(pilot, "#file", str(tmp_path / "missing.xml"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StatementDialog)
        error = app.screen.query_one("#field-file .error", Static)
        assert "There is no file at" in str(error.content)
        await type_into(pilot, "#file", str(statement))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StatementReportDialog)
        text = screen_text(app)
        assert "Booked 1 payment(s); 0 were already booked; 1 need a person." in text
        assert data["open"].number in text
        assert "Someone" in text
        [payment] = svc.payments.list(data["open"].id)
        assert (payment.method, payment.amount) == ("bank_transfer", data["open"].gross)
        assert payment.external_id.endswith(":E1:0")  # the bank's entry id
        await pilot.press("escape")
        await settle(pilot)
        # The same file again books nothing twice.
        await pilot.press("b")
        await settle(pilot)
        await type_into(pilot, "#file", str(statement))
        await pilot.press("enter")
        await settle(pilot)
        assert "1 were already booked" in screen_text(app)
        assert len(svc.payments.list(data["open"].id)) == 1


async def test_scanning_the_chain_from_the_invoices_list_books_an_exact_transfer(
    svc: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chain = new_chain()  # its own chain: a scan reads every transfer to the shop since block 0
    monkeypatch.setenv("INVOICER_RECEIVING_ADDRESS", chain["shop"])
    monkeypatch.setenv("INVOICER_CHAIN_ID", str(chain["w3"].eth.chain_id))
    monkeypatch.setenv("INVOICER_CONFIRMATIONS", "3")
    monkeypatch.setenv("INVOICER_CRYPTO_ASSETS", f"ETH, EURC:{chain['eurc'].address}:6:EUR")
    svc.reload_settings()
    data = fill_fixed_data(svc)
    invoice = data["open"]  # 57.14 EUR, no payment request: the stablecoin balance matches
    tx = pay_eurc(chain, chain["shop"], 57_140_000)
    app = make_app(svc, tmp_path, chain=chain["w3"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, InvoicesScreen)
        await pilot.press("w")
        await settle(pilot)
        assert svc.invoices.get(invoice.id).status == "paid"
        [payment] = svc.payments.list(invoice.id)
        assert payment.extra is not None
        assert payment.extra["tx_hash"] == tx.lower()
        assert any("1 payment(s) booked" in m for m in messages(app))
        assert any(f"Booked {invoice.number} 57.14 EUR" in m for m in messages(app))
