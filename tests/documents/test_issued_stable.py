"""An issued document is what the buyer received: the same bytes every time, whatever is paid.

Payment state (what was paid, what is due, the payment links opened since) goes on a separate
payment statement, never into the issued invoice or credit note.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from invoicer.services.app import Services, open_services
from invoicer.services.commands import NewCreditNote, RecordPayment, ShopProfileChanges
from invoicer.services.documents import export, render_pdf, render_statement

from .conftest import GOODS, SHOP, issue

NL = {"name": "Jan Jansen", "country": "NL", "street": "Kerkstraat 1", "postcode": "1017 GA",
      "city": "Amsterdam", "email": "jan@example.nl"}  # fmt: skip


@pytest.fixture
def svc(tmp_path: Path) -> Iterator[Services]:
    with open_services(tmp_path / "stable.sqlite", today=lambda: dt.date(2026, 3, 16)) as svc:
        svc.shop.save(ShopProfileChanges(**SHOP))
        yield svc


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def test_the_issued_pdf_is_the_same_bytes_after_payments(svc: Services) -> None:
    invoice_id = issue(svc, NL, [GOODS])  # 2 x 64.00 + 21 % = 154.88
    first = render_pdf(svc, invoice_id)
    recorded = svc.invoices.get(invoice_id).pdf_sha256
    assert recorded == sha(first.pdf)
    assert first.matches_issued
    svc.payments.add(invoice_id, RecordPayment(amount="50.00", reference="SEPA-1"))
    partly = render_pdf(svc, invoice_id)
    svc.payments.add(invoice_id, RecordPayment(amount="104.88", reference="SEPA-2"))
    assert svc.invoices.get(invoice_id).status == "paid"
    paid = render_pdf(svc, invoice_id)
    assert sha(partly.pdf) == sha(paid.pdf) == sha(first.pdf) == recorded
    assert paid.matches_issued
    assert svc.invoices.get(invoice_id).pdf_sha256 == recorded


def test_the_issued_pdf_says_nothing_of_payments(svc: Services, tmp_path: Path) -> None:
    invoice_id = issue(svc, NL, [GOODS])
    svc.payments.add(invoice_id, RecordPayment(amount="154.88", reference="SEPA-2026-0042"))
    text = text_of(render_pdf(svc, invoice_id).pdf, tmp_path)
    assert "PAID" not in text
    assert "SEPA-2026-0042" not in text
    assert "Please transfer €154.88" in text  # the payment instructions as issued


def test_e_invoices_of_an_issued_invoice_do_not_change_after_payments(svc: Services) -> None:
    invoice_id = issue(svc, NL, [GOODS])
    before = {fmt: export(svc, invoice_id, fmt) for fmt in ("ubl-en16931", "cii")}
    svc.payments.add(invoice_id, RecordPayment(amount="100.00"))
    assert {fmt: export(svc, invoice_id, fmt) for fmt in ("ubl-en16931", "cii")} == before


def test_a_credit_note_pdf_is_the_same_bytes_after_the_invoice_is_settled(svc: Services) -> None:
    invoice_id = issue(svc, NL, [GOODS, {**GOODS, "description": "Cups"}])
    svc.payments.add(invoice_id, RecordPayment(amount="100.00"))
    line = svc.invoices.get(invoice_id).lines[1].id
    note_id = svc.credit_notes.create(
        invoice_id, NewCreditNote(lines={line: "1"}, reason="One cup returned")
    ).id
    first = render_pdf(svc, note_id)
    assert svc.invoices.get(note_id).pdf_sha256 == sha(first.pdf)
    svc.payments.add(
        invoice_id, RecordPayment(amount="132.32")
    )  # 309.76 - 77.44 credited - 100 paid
    assert sha(render_pdf(svc, note_id).pdf) == sha(first.pdf)


def test_batch_rendering_gives_the_issued_bytes_too(svc: Services, tmp_path: Path) -> None:
    from invoicer.services.documents import pdf_filename, render_batch

    invoice_id = issue(svc, NL, [GOODS])
    first = render_pdf(svc, invoice_id).pdf
    svc.payments.add(invoice_id, RecordPayment(amount="154.88"))
    report = render_batch(svc, [invoice_id], tmp_path / "out", jobs=1)
    number = svc.invoices.get(invoice_id).number or ""
    assert (tmp_path / "out" / pdf_filename(number)).read_bytes() == first
    assert report.differing == ()


def test_a_rendering_that_differs_from_the_recorded_hash_is_reported(svc: Services) -> None:
    invoice_id = issue(svc, NL, [GOODS])
    svc.invoices.set_pdf_sha256(invoice_id, "0" * 64)  # e.g. made by an older layout
    assert not render_pdf(svc, invoice_id).matches_issued


def test_the_statement_carries_the_payment_state(svc: Services, tmp_path: Path) -> None:
    invoice_id = issue(svc, NL, [GOODS])
    number = svc.invoices.get(invoice_id).number
    svc.payments.add(invoice_id, RecordPayment(amount="50.00", reference="SEPA-1"))
    text = text_of(render_statement(svc, invoice_id).pdf, tmp_path)
    assert "Payment statement" in text
    assert f"not an invoice; the invoice is {number} of 16 March 2026" in text
    assert "SEPA-1" in text
    assert "€50.00" in text
    assert "Amount due €104.88" in text
    assert "Please transfer €104.88" in text
    svc.payments.add(invoice_id, RecordPayment(amount="104.88", reference="SEPA-2"))
    text = text_of(render_statement(svc, invoice_id).pdf, tmp_path)
    assert "PAID" in text
    assert "SEPA-2" in text


def test_a_statement_of_a_credit_note_is_refused(svc: Services) -> None:
    from invoicer.domain.errors import Conflict

    invoice_id = issue(svc, NL, [GOODS])
    note_id = svc.credit_notes.create(invoice_id, NewCreditNote(reason="Returned")).id
    with pytest.raises(Conflict, match="credit note"):
        render_statement(svc, note_id)
