"""`invoice pdf` gives the issued file every time; `invoice statement` says what was paid."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from .conftest import Cli


def issued_invoice(ready: Cli) -> dict[str, str]:
    customer = ready.json("customer", "add", "--name", "Jan Jansen", "--country", "NL",
                          "--street", "Kerkstraat 1", "--postcode", "1017 GA",
                          "--city", "Amsterdam")  # fmt: skip
    draft = ready.json("invoice", "new", customer["id"])
    ready("invoice", "add-line", draft["id"], "--description", "Pot", "--unit-price", "100")
    issued: dict[str, str] = ready.json("invoice", "issue", draft["id"])
    return issued


def test_invoice_pdf_is_the_issued_file_after_a_payment(ready: Cli, tmp_path: Path) -> None:
    number = issued_invoice(ready)["number"]
    first, again = tmp_path / "first.pdf", tmp_path / "again.pdf"
    ready("invoice", "pdf", number, "-o", str(first))
    ready("payment", "add", number, "121.00", "--reference", "bank-42")
    _, _, err = ready("invoice", "pdf", number, "-o", str(again))
    assert err == ""
    assert again.read_bytes() == first.read_bytes()
    recorded = ready.json("invoice", "show", number)["pdf_sha256"]
    assert recorded == hashlib.sha256(first.read_bytes()).hexdigest()


def test_invoice_statement_shows_the_payments(ready: Cli, tmp_path: Path) -> None:
    number = issued_invoice(ready)["number"]
    ready("payment", "add", number, "21.00", "--reference", "bank-42")
    target = tmp_path / "statement.pdf"
    _, out, _ = ready("invoice", "statement", number, "-o", str(target), "--date", "2026-12-03")
    assert out == f"Wrote {target}.\n"
    text = " ".join(subprocess.run(["pdftotext", str(target), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())  # fmt: skip
    assert "Payment statement" in text
    assert "3 December 2026" in text
    assert "bank-42" in text
    assert "Amount due €100.00" in text


def test_a_statement_of_a_draft_is_refused_plainly(ready: Cli) -> None:
    customer = ready.json("customer", "add", "--name", "Jan Jansen", "--country", "NL")
    draft = ready.json("invoice", "new", customer["id"])
    before = ready.snapshot()
    code, _, err = ready("invoice", "statement", draft["id"], ok=False)
    assert code == 1
    assert "issue it first" in err
    assert "Traceback" not in err
    assert ready.snapshot() == before
