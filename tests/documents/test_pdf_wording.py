"""What a merchant reads on the PDF: legal wording without internal codes, the seller's VAT
number where the seller is named, and every amount with its currency."""

from __future__ import annotations

import subprocess
from pathlib import Path

from invoicer.documents.pdf import render_pdf
from invoicer.services.app import Services
from invoicer.services.documents import document


def text_of(pdf: bytes, tmp_path: Path, *crop: str) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", *crop, str(path), "-"], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    return " ".join(out.split())


def test_exemption_wording_is_shown_without_the_code(
    cases: tuple[Services, dict[str, str]], tmp_path: Path
) -> None:
    svc, ids = cases
    for case in ("K", "AE", "E", "G"):
        text = text_of(render_pdf(document(svc, ids[case])).pdf, tmp_path)
        assert "VATEX" not in text, case
    text = text_of(render_pdf(document(svc, ids["K"])).pdf, tmp_path)
    assert "VAT exempt intra-Community supply, Art. 138 Directive 2006/112/EC" in text


def test_the_seller_block_carries_the_seller_vat_number(
    cases: tuple[Services, dict[str, str]], tmp_path: Path
) -> None:
    svc, ids = cases
    pdf = render_pdf(document(svc, ids["S"])).pdf
    # The top 45 mm of the page (A4 at 72 dpi: 595 x 842 points): letterhead and seller.
    top = text_of(pdf, tmp_path, "-x", "0", "-y", "0", "-W", "595", "-H", "128")
    assert "Voorbeeld Handel B.V." in top
    assert "VAT number NL004495445B01" in top


def test_line_and_vat_amounts_show_the_currency_like_the_totals(
    cases: tuple[Services, dict[str, str]], tmp_path: Path
) -> None:
    svc, ids = cases
    text = text_of(render_pdf(document(svc, ids["S"])).pdf, tmp_path)
    # Lines: 2 x 64.00 at 21 %, 3 x 12.50 at 9 %.
    for amount in ("€64.00", "€128.00", "€12.50", "€37.50", "€26.88", "€3.38", "€165.50"):
        assert amount in text, amount
    assert " 37.50" not in text.replace("€37.50", "")
    usd = text_of(render_pdf(document(svc, ids["USD"])).pdf, tmp_path)
    assert "US$ 128,00" in usd  # Dutch: the currency before the amount, a space between
