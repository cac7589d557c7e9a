"""The PDF says what Art. 226 asks, in the customer's language, and always the same bytes."""

from __future__ import annotations

import dataclasses
import hashlib
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from invoicer.documents.model import DocumentLine
from invoicer.documents.payment_codes import epc_payload
from invoicer.documents.pdf import render_pdf
from invoicer.domain.payments.reference import rf_reference
from invoicer.domain.vat.model import VatCategory
from invoicer.services.app import Services
from invoicer.services.documents import document, render_statement
from invoicer.services.documents import render_pdf as render_and_record


def text_of(pdf: bytes, tmp_path: Path, page: int | None = None) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip


def squeeze(text: str) -> str:
    return " ".join(text.split())


def test_intra_community_invoice_has_every_mandatory_item(
    cases: tuple[Services, dict[str, str]], tmp_path: Path
) -> None:
    svc, ids = cases
    doc = document(svc, ids["K"])
    text = squeeze(text_of(render_pdf(doc).pdf, tmp_path))
    for item in (
        doc.number,  # Art. 226(2)
        "16 March 2026",  # (1) date of issue
        "NL004495445B01",  # (3) supplier VAT number
        "EL094501040",  # (4) customer VAT number (intra-Community supply)
        "Voorbeeld Handel B.V.",
        "Damrak 1",
        "Ελληνικό Τσάι Α.Ε.",
        "Αθήνα",  # (5)
        "Teapot",  # (6)
        "VAT exempt intra-Community supply, Art. 138 Directive 2006/112/EC",  # (11)
        "12345678",  # registration number
        "NL91 ABNA 0417 1643 00",
        "Please transfer €128.00",  # the issued document: its payment state is not on it
    ):
        assert item in text, item


def test_domestic_invoice_breaks_vat_down_per_rate_and_offers_the_qr_code(
    cases: tuple[Services, dict[str, str]], tmp_path: Path
) -> None:
    svc, ids = cases
    doc = document(svc, ids["S"])
    text = squeeze(text_of(render_pdf(doc).pdf, tmp_path))
    assert "21 %" in text.replace("21%", "21 %")  # (9) each rate
    assert "9 %" in text.replace("9%", "9 %")
    assert "128.00" in text
    assert "37.50" in text
    assert rf_reference(doc.number) in text
    assert "Scan with your banking app" in text


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", ["Factuur", "Omschrijving", "Btw-bedrag", "Vervaldatum", "16 maart 2026"]),
        ("de", ["Rechnung", "Beschreibung", "Steuerbetrag", "Fällig am", "16. März 2026"]),
        ("fr", ["Facture", "Description", "Montant de TVA", "Échéance", "16 mars 2026"]),
        ("en", ["Invoice", "Description", "VAT amount", "Due date", "16 March 2026"]),
    ],
)
def test_labels_dates_and_numbers_follow_the_language(
    cases: tuple[Services, dict[str, str]], tmp_path: Path, language: str, words: list[str]
) -> None:
    svc, ids = cases
    doc = dataclasses.replace(document(svc, ids["S"]), language=language)
    text = squeeze(text_of(render_pdf(doc).pdf, tmp_path))
    for word in words:
        assert word in text, word
    assert ("165,50" if language in ("nl", "de", "fr") else "165.50") in text


def test_unicode_names_render(cases: tuple[Services, dict[str, str]], tmp_path: Path) -> None:
    svc, ids = cases
    doc = document(svc, ids["G"])
    buyer = dataclasses.replace(doc.buyer, city="Łódź", street="Ελλάδα 1")
    result = render_pdf(dataclasses.replace(doc, buyer=buyer))
    text = text_of(result.pdf, tmp_path)
    assert "Þórður Jónsson" in text
    assert "Łódź" in text
    assert "Ελλάδα" in text
    assert result.missing_characters == ()


def test_a_character_no_font_has_is_replaced_and_reported(
    cases: tuple[Services, dict[str, str]], tmp_path: Path
) -> None:
    svc, ids = cases
    doc = document(svc, ids["G"])
    result = render_pdf(
        dataclasses.replace(doc, buyer=dataclasses.replace(doc.buyer, name="東京 Ltd"))
    )
    assert set(result.missing_characters) == {"東", "京"}
    assert "?? Ltd" in text_of(result.pdf, tmp_path)


def test_rendering_is_deterministic(cases: tuple[Services, dict[str, str]]) -> None:
    svc, ids = cases
    doc = document(svc, ids["AE"])
    assert render_pdf(doc).pdf == render_pdf(doc).pdf


def test_two_hundred_lines_repeat_the_table_header_on_every_page(
    cases: tuple[Services, dict[str, str]], tmp_path: Path
) -> None:
    svc, ids = cases
    doc = document(svc, ids["S"])
    line = DocumentLine("Sencha, 250 g", Decimal(1), Decimal("12.50"), 1250,
                        VatCategory.STANDARD, Decimal(9))  # fmt: skip
    big = dataclasses.replace(doc, lines=(line,) * 200)
    pdf = render_pdf(big).pdf
    pages = int(squeeze(text_of(pdf, tmp_path)).split("Page 1 of ")[1].split()[0])
    assert pages >= 4
    for page in range(1, pages):
        page_text = text_of(pdf, tmp_path, page)
        assert "Description" in page_text
        assert "Unit price" in page_text
        assert f"Page {page} of {pages}" in page_text


def test_credit_note_is_titled_and_names_the_original(
    cases: tuple[Services, dict[str, str]], tmp_path: Path
) -> None:
    svc, ids = cases
    doc = document(svc, ids["CN"])
    original = svc.invoices.get(ids["CREDITED"])
    text = squeeze(text_of(render_pdf(doc).pdf, tmp_path))
    assert f"Credit note {doc.number}" in text
    assert f"corrects invoice {original.number} of 16 March 2026" in text
    assert "Returned" in text


def test_paid_invoice_statement_says_so_with_the_reference(
    cases: tuple[Services, dict[str, str]], tmp_path: Path
) -> None:
    svc, ids = cases
    text = squeeze(text_of(render_statement(svc, ids["K"]).pdf, tmp_path))
    assert "PAID" in text
    assert "SEPA-2026-0042" in text


def test_epc_qr_vector_of_the_standard() -> None:
    payload = epc_payload(name="Franz Mustermänn", iban="DE71110220330123456789",
                          amount=Decimal("12.3"), reference="RF18539007547034",
                          bic="BHBLDEHHXXX")  # fmt: skip
    # EPC069-12 example 1 (VAT.md §5), without the optional purpose code GDDS.
    assert payload == (b"BCD\n002\n1\nSCT\nBHBLDEHHXXX\nFranz Musterm\xc3\xa4nn\n"
                       b"DE71110220330123456789\nEUR12.3\n\nRF18539007547034")  # fmt: skip


def test_the_printed_qr_code_decodes_to_the_epc_payload(
    cases: tuple[Services, dict[str, str]], tmp_path: Path
) -> None:
    import zxingcpp
    from PIL import Image

    svc, ids = cases
    doc = document(svc, ids["S"])
    (tmp_path / "inv.pdf").write_bytes(render_pdf(doc).pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-singlefile", str(tmp_path / "inv.pdf"),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    found = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))
    assert len(found) == 1
    # 2 x 64.00 at 21 % + 3 x 12.50 at 9 % = 154.88 + 40.88 = 195.76 due
    assert (
        found[0].bytes
        == (
            f"BCD\n002\n1\nSCT\nABNANL2A\nVoorbeeld Handel B.V.\nNL91ABNA0417164300\nEUR195.76\n\n"
            f"{rf_reference(doc.number)}"
        ).encode()
    )


def test_the_issued_pdf_hash_is_recorded_once(cases: tuple[Services, dict[str, str]]) -> None:
    svc, ids = cases
    pdf, missing, matches = render_and_record(svc, ids["E"])
    assert missing == ()
    assert matches
    assert svc.invoices.get(ids["E"]).pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    render_and_record(svc, ids["E"])  # rendering again changes nothing
    assert svc.invoices.get(ids["E"]).pdf_sha256 == hashlib.sha256(pdf).hexdigest()
