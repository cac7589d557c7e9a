"""The whole merchant workflow through `invoicer`, and bad input for every command."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ADDRESS, INIT, Cli


def test_init_then_everything_a_merchant_does(ready: Cli, tmp_path: Path) -> None:
    customer = ready.json("customer", "add", "--name", "Müller GmbH", "--country", "DE",
                          "--vat-number", "DE136695976", "--street", "Unter den Linden 1",
                          "--postcode", "10117", "--city", "Berlin")  # fmt: skip
    consumer = ready.json("customer", "add", "--name", "Jan Jansen", "--country", "NL", *ADDRESS)
    product = ready.json("product", "add", "--name", "Tea", "--unit-price", "1.05",
                         "--rate-class", "reduced")  # fmt: skip
    draft = ready.json("invoice", "new", consumer["id"][:8])
    assert draft["number"] is None
    ready("invoice", "add-line", draft["id"], "--product", product["id"], "--quantity", "3")
    ready("invoice", "add-line", draft["id"], "--description", "Pot", "--unit-price", "24.95")
    issued = ready.json("invoice", "issue", draft["id"])
    assert issued["number"].startswith("INV-")
    shown = ready.json("invoice", "show", issued["number"])
    for key in ("id", "number", "kind", "status", "issue_date", "due_date", "currency",
                "language", "seller", "buyer", "lines", "vat_groups", "net", "vat", "gross",
                "paid", "balance"):  # fmt: skip
        assert key in shown
    assert (shown["net"], shown["vat"], shown["gross"]) == ("28.10", "5.52", "33.62")
    assert [(g["category"], g["rate"], g["taxable"], g["tax"]) for g in shown["vat_groups"]] == [
        ("S", "9", "3.15", "0.28"), ("S", "21", "24.95", "5.24"),
    ]  # fmt: skip
    paid = ready.json("payment", "add", issued["number"], "10.00", "--reference", "bank")
    assert (paid["invoice_status"], paid["balance"]) == ("partially_paid", "23.62")
    note = ready.json("credit-note", "create", issued["number"], "--reason", "Broken pot",
                      "--line", f"{shown['lines'][1]['id']}=1")  # fmt: skip
    assert (note["kind"], note["gross"]) == ("credit_note", "-30.19")
    rc_draft = ready.json("invoice", "new", customer["id"])
    ready("invoice", "add-line", rc_draft["id"], "--description", "Consulting",
          "--unit-price", "95", "--quantity", "8", "--supply-kind", "services")  # fmt: skip
    code, _, err = ready("invoice", "issue", rc_draft["id"], ok=False)
    assert code == 1
    assert "VIES" in err
    rc = ready.json("invoice", "issue", rc_draft["id"], "--warn-unverified")
    assert rc["vat_groups"][0]["exemption_text"] == "Reverse charge"
    # Paid 10.00 and credited 30.19 of 33.62: settled, with 6.57 to refund.
    listing = ready.json("invoice", "list", "--status", "paid")
    assert [(i["number"], i["balance"]) for i in listing["items"]] == [(issued["number"], "-6.57")]
    vat = ready.json("report", "vat", "--from", "2000-01-01", "--to", "2100-01-01")
    assert vat["intra_community"][0]["buyer_vat_number"] == "DE136695976"
    assert ready.json("report", "aging")[0]["bucket"] == "not_due"
    assert ready.json("report", "revenue")["months"]
    assert ready.json("audit", "verify")["ok"] is True
    backup = tmp_path / "copy.sqlite"
    ready("backup", str(backup))
    assert backup.stat().st_size > 0
    _, out, _ = ready("export")
    assert '"format": "invoicer-export-1"' in out


def test_csv_import_all_or_nothing(ready: Cli, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text("name,country,vat_number,is_business\nAcme,DE,DE136695976,yes\nBob,NL,,no\n")
    assert ready.json("import", "customers", str(good))["imported"] == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("name;country;vat_number\nFine;NL;\n;DE;\nOops;XX;\nBadvat;DE;DE123\n")
    before = ready.dump()
    code, _, err = ready("import", "customers", str(bad), ok=False)
    assert code == 1
    assert "line 3 name" in err
    assert "line 4 country" in err
    assert "line 5 vat_number" in err
    assert ready.dump() == before
    products = tmp_path / "p.csv"
    products.write_text("name,unit_price,rate_class\nTea,1.05,reduced\nCup,abc,standard\n")
    code, _, err = ready("import", "products", str(products), ok=False)
    assert "line 3 unit_price" in err
    assert ready.dump() == before


def test_init_refuses_a_second_time(ready: Cli) -> None:
    code, _, err = ready(*INIT, ok=False)
    assert code == 1
    assert "already has a shop profile" in err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["customer", "show", "no-such-id"], "no customer"),
        (["customer", "add", "--name", "X", "--country", "DE", "--vat-number", "DE123"],
         "not a valid VAT number"),
        (["customer", "add", "--country", "DE"], "Name is required"),
        (["product", "add", "--name", "X", "--unit-price", "-abc"], "not a number"),
        (["shop", "set", "--iban", "NL00XXXX0000"], "not a valid IBAN"),
        (["invoice", "add-line", "INV-2026-000001", "--description", "x", "--unit-price", "1"],
         "can no longer be changed"),
        (["invoice", "add-line", "DRAFT", "--description", "x", "--unit-price", "1",
          "--quantity", "-1"], "must not be negative"),
        (["invoice", "issue", "no-such-invoice"], "no invoice"),
        (["payment", "add", "INV-2026-000001", "1000"], "more than the balance"),
        (["payment", "add", "INV-2026-000001", "abc"], "not a number"),
        (["credit-note", "create", "INV-2026-000001", "--line", "LINE=5"], "left to credit"),
        (["credit-note", "create", "INV-2026-000001", "--line", "nonsense"], "LINE_ID=QTY"),
        (["invoice", "list", "--status", "late"], "Status must be one of"),
        (["report", "vat", "--from", "yesterday"], "YYYY-MM-DD"),
        (["demo"], "already holds data"),
    ],
)  # fmt: skip
def test_bad_input_gives_a_clear_error_and_changes_nothing(
    ready: Cli, args: list[str], words: str
) -> None:
    customer = ready.json("customer", "add", "--name", "Jan", "--country", "NL", *ADDRESS)
    draft = ready.json("invoice", "new", customer["id"])
    ready("invoice", "add-line", draft["id"], "--description", "Widget", "--unit-price", "10")
    issued = ready.json("invoice", "issue", draft["id"])
    line = issued["lines"][0]["id"]
    other = ready.json("invoice", "new", customer["id"])
    args = [a.replace("DRAFT", other["id"]).replace("LINE", line) for a in args]
    before = ready.dump()
    code, out, err = ready(*args, ok=False)
    assert code != 0
    assert words in err
    assert "Traceback" not in err + out
    assert ready.dump() == before


def test_json_errors_are_machine_readable(ready: Cli) -> None:
    code, _, err = ready("customer", "add", "--country", "XX", "--json", ok=False)
    assert code == 1
    import json

    error = json.loads(err)["error"]
    assert error["type"] == "validation"
    assert {p["field"] for p in error["problems"]} == {"name", "country"}
    assert (error["field"], error["code"]) == (
        error["problems"][0]["field"],
        error["problems"][0]["code"],
    )


def test_demo_fills_a_new_database(invoicer: Cli) -> None:
    invoicer("demo", "--invoices", "40")
    listing = invoicer.json("invoice", "list", "--limit", "100")
    statuses = {(i["kind"], i["status"]) for i in listing["items"]}
    invoice_states = {"draft", "open", "paid", "partially_paid", "overdue", "credited"}
    assert {("invoice", s) for s in invoice_states} | {("credit_note", "issued")} == statuses
    assert invoicer.json("audit", "verify")["ok"]
    customers = invoicer.json("customer", "list")["items"]
    assert {"NL", "DE", "BE", "FR", "GR", "GB", "US", "CH"} <= {c["country"] for c in customers}
    vat_numbers = {c["vat_number"] for c in customers if c["vat_number"]}
    assert {"EL094501040", "XI980780684"} <= vat_numbers
    assert any(c["vat_number"] is None for c in customers)  # consumers too
    rate_classes = {p["rate_class"] for p in invoicer.json("product", "list")["items"]}
    assert {"standard", "reduced"} <= rate_classes
