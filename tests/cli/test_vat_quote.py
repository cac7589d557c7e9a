"""`invoicer vat quote`: JSON in, JSON out, and a clear error for every kind of bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from invoicer.cli import cli
from invoicer.cli.errors import run
from tests.conftest import REPO_ROOT

DOCUMENT: dict[str, Any] = {
    "seller": {"country": "NL", "vat_number": "NL004495445B01"},
    "buyer": {"country": "NL", "postcode": "1011 AB"},
    "date": "2026-03-01",
    "currency": "EUR",
    "language": "en",
    "lines": [
        {"description": "Tea", "quantity": "3", "unit_price": "1.05", "rate_class": "reduced"},
        {"description": "Pot", "quantity": 1, "unit_price": 24.95},
    ],
}


def quote(
    document: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> tuple[int, Any, str]:
    path = tmp_path / "in.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document), "utf-8")
    code = run(cli, ["vat", "quote", str(path)])
    out, err = capsys.readouterr()
    return code, json.loads(out) if code == 0 else out, err


def test_domestic_quote(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = quote(DOCUMENT, capsys, tmp_path)
    assert (code, err) == (0, "")
    assert [(line["net"], line["category"], line["rate"]) for line in out["lines"]] == [
        ("3.15", "S", "9"),
        ("24.95", "S", "21"),
    ]
    assert out["vat_breakdown"] == [
        {"category": "S", "rate": "9", "taxable": "3.15", "tax": "0.28",
         "exemption_code": None, "exemption_text": None},
        {"category": "S", "rate": "21", "taxable": "24.95", "tax": "5.24",
         "exemption_code": None, "exemption_text": None},
    ]  # fmt: skip
    assert (out["net_total"], out["vat_total"], out["gross_total"]) == ("28.10", "5.52", "33.62")


def test_reverse_charge_in_german_with_usd_and_accounting_currency(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    doc = {
        **DOCUMENT,
        "buyer": {"country": "DE", "vat_number": "DE136695976", "vat_verified": True},
        "language": "de",
        "currency": "USD",
        "exchange_rate": "0.92",
        "lines": [{"quantity": "2", "unit_price": "500", "supply": "services"}],
    }
    code, out, _ = quote(doc, capsys, tmp_path)
    assert code == 0
    group = out["vat_breakdown"][0]
    assert (group["category"], group["exemption_code"]) == ("AE", "VATEX-EU-AE")
    assert group["exemption_text"] == "Steuerschuldnerschaft des Leistungsempfängers"
    assert out["requirements"]["buyer_vat_number"] is True
    assert out["requirements"]["vat_in_accounting_currency"] == {
        "currency": "EUR",
        "vat_total": "0.00",
    }


def test_threshold_fields_are_read(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    doc = {**DOCUMENT, "buyer": {"country": "FR"}, "eu_b2c_sales_previous_year": "12000"}
    code, out, _ = quote(doc, capsys, tmp_path)
    assert code == 0
    assert [line["rate"] for line in out["lines"]] == ["10", "20"]  # France's rates
    # Food is in France's lower reduced rate: the line says so per country.
    doc["lines"][0]["rate_class_by_country"] = {"FR": "reduced2"}
    code, out, _ = quote(doc, capsys, tmp_path)
    assert [line["rate"] for line in out["lines"]] == ["5.5", "20"]


def test_reads_stdin_through_the_real_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "invoicer", "vat", "quote"],
        input=json.dumps(DOCUMENT), capture_output=True, text=True, cwd=REPO_ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["gross_total"] == "33.62"


def with_(path: str, value: Any) -> dict[str, Any]:
    """DOCUMENT with one field replaced (value ... = removed)."""
    doc = json.loads(json.dumps(DOCUMENT))
    *parents, last = path.split(".")
    node = doc
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if value is ...:
        del node[last]
    else:
        node[last] = value
    return doc


@pytest.mark.parametrize(
    ("document", "field", "words"),
    [
        (with_("buyer.country", "XX"), "buyer.country", "ISO 3166"),
        (with_("seller.country", "US"), "seller.country", "EU Member State"),
        (with_("buyer.vat_number", "NL123"), "buyer.vat_number", "not a valid VAT number"),
        (with_("lines.0.quantity", "-1"), "lines[0].quantity", "negative"),
        (with_("lines.0.quantity", "three"), "lines[0].quantity", "not a number"),
        (with_("lines.0.quantity", True), "lines[0].quantity", "decimal string"),
        (with_("lines.0.unit_price", ...), "lines[0].unit_price", "required"),
        (with_("lines.0.rate_class", "luxury"), "lines[0].rate_class", "standard, reduced"),
        (with_("lines.0.colour", "red"), "lines[0].colour", "Unknown field"),
        (
            with_("lines.0.rate_class_by_country", {"FR": "low"}),
            "lines[0].rate_class_by_country.FR",
            "must be one of",
        ),
        (with_("currency", "EURO"), "currency", "ISO 4217"),
        (with_("currency", ...), "currency", "required"),
        (with_("date", "01-03-2026"), "date", "2026-03-01"),
        (with_("language", "es"), "language", "en, nl, de, fr"),
        (with_("seller", ...), "seller", "required"),
        (with_("lines", []), "lines", "at least one line"),
        (with_("lines", "tea"), "lines", "must be a list"),
        (with_("buyer", "NL"), "buyer", "JSON object"),
        (with_("buyer.vat_verified", "yes"), "buyer.vat_verified", "true or false"),
        ("[1, 2]", "", "JSON object"),
        ('{"seller": ', "", "not valid JSON"),
    ],
)
def test_bad_input_exits_non_zero_naming_the_field(
    document: Any, field: str, words: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = quote(document, capsys, tmp_path)
    assert code == 1
    assert out == ""
    assert "Traceback" not in err
    expected = f"Error: {field}: " if field else "Error: "
    assert any(line.startswith(expected) and words in line for line in err.splitlines()), err


def test_all_problems_are_reported_at_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    doc = with_("lines.0.quantity", "-1")
    doc["currency"] = "EURO"
    code, _, err = quote(doc, capsys, tmp_path)
    assert code == 1
    assert "lines[0].quantity" in err
    assert "currency" in err
