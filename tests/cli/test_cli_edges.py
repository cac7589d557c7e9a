"""Bad input for the commands the workflow test does not reach, the JSON shapes front-end
scripts rely on, and the backup/export files being usable on their own."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from .conftest import ADDRESS, Cli


@pytest.fixture
def world(ready: Cli) -> dict[str, Any]:
    """A customer, a product, an issued invoice (one line) and an empty draft."""
    customer = ready.json("customer", "add", "--name", "Jan", "--country", "NL", *ADDRESS)
    product = ready.json("product", "add", "--name", "Tea", "--unit-price", "2.50")
    draft = ready.json("invoice", "new", customer["id"])
    ready("invoice", "add-line", draft["id"], "--product", product["id"], "--quantity", "2")
    issued = ready.json("invoice", "issue", draft["id"])
    other = ready.json("invoice", "new", customer["id"])
    return {"customer": customer, "product": product, "issued": issued, "draft": other}


@pytest.mark.parametrize(
    ("args", "words", "exit_code"),
    [
        (["customer", "edit", "nosuchid", "--city", "Delft"], "no customer", 3),
        (["customer", "edit", "CUSTOMER", "--vat-number", "NL123"], "not a valid VAT number", 1),
        (["customer", "edit", "CUSTOMER", "--country", "QQ"], "country", 1),
        (["customer", "archive", "nosuchid"], "no customer", 3),
        (["product", "show", "nosuchid"], "no product", 3),
        (["product", "edit", "nosuchid", "--name", "X"], "no product", 3),
        (["product", "archive", "nosuchid"], "no product", 3),
        (["invoice", "new", "nosuchid"], "no customer", 3),
        (["invoice", "show", "INV-1999-000001"], "no invoice", 3),
        (["invoice", "remove-line", "ISSUED", "LINE"], "can no longer be changed", 1),
        (["invoice", "remove-line", "DRAFT", "nosuchline"], "line", 3),
        (["invoice", "delete", "ISSUED"], "can no longer be changed", 1),
        (["invoice", "edit", "ISSUED", "--notes", "changed"], "can no longer be changed", 1),
        (["invoice", "issue", "DRAFT"], "line", 1),
        (["invoice", "add-line", "DRAFT", "--product", "nosuchid"], "no product", 3),
        (["payment", "add", "ISSUED", "-5"], "amount", 1),
        (["payment", "add", "DRAFT", "1"], "only be recorded against an issued invoice", 1),
        (["payment", "add", "ISSUED", "1", "--method", "barter"], "barter", 2),
        (["payment", "list", "nosuchid"], "no invoice", 3),
        (["credit-note", "create", "DRAFT"], "only an issued invoice can be credited", 1),
        (["credit-note", "create", "ISSUED", "--line", "LINE=3"], "left to credit", 1),
        (["credit-note", "create", "ISSUED", "--line", "LINE=-1"], "must not be negative", 1),
        (["shop", "set", "--vat-number", "NL123"], "not a valid VAT number", 1),
        (["shop", "set", "--country", "XX"], "country", 1),
        (["report", "vat", "--from", "2026-02-01", "--to", "2026-01-01"], "before", 1),
        (["import", "customers", "missing.csv"], "does not exist", 2),
    ],
)  # fmt: skip
def test_bad_input_is_refused_without_a_trace(
    ready: Cli, world: dict[str, Any], args: list[str], words: str, exit_code: int
) -> None:
    line = world["issued"]["lines"][0]["id"]
    swap = {
        "CUSTOMER": world["customer"]["id"],
        "PRODUCT": world["product"]["id"],
        "ISSUED": world["issued"]["number"],
        "DRAFT": world["draft"]["id"],
        "LINE": line,
    }
    args = [swap.get(a, a).replace("LINE", line) if "=" in a else swap.get(a, a) for a in args]
    before = ready.dump()
    code, out, err = ready(*args, ok=False)
    assert code == exit_code, err
    assert words.lower() in err.lower()
    assert "Traceback" not in out + err
    assert ready.dump() == before


@pytest.mark.parametrize(
    "args",
    [["customer", "add", "--name", "Early", "--country", "NL"], ["customer", "list"],
     ["invoice", "list"], ["shop", "show"], ["report", "revenue"], ["backup", "b.sqlite"],
     ["export"], ["audit", "verify"], ["import", "customers", "README.md"]],
)  # fmt: skip
def test_a_missing_database_is_named_not_created(invoicer: Cli, args: list[str]) -> None:
    """Only init and demo create a database: a mistyped --db must not start an empty one."""
    code, out, err = invoicer(*args, ok=False)
    assert code == 3
    assert f"no Invoicer database at {invoicer.db}" in err
    assert "invoicer --db" in err
    assert " init" in err
    assert " demo" in err
    assert "Traceback" not in out + err
    assert not invoicer.db.exists()


def test_a_refused_init_leaves_no_file(invoicer: Cli) -> None:
    code, _out, err = invoicer("init", "--legal-name", "Half", "--country", "NL", ok=False)
    assert code == 1
    assert "City is required" in err
    assert not list(invoicer.db.parent.glob("cli.sqlite*"))


def test_commands_before_init_say_what_to_do(invoicer: Cli) -> None:
    from invoicer.services.app import open_services

    open_services(invoicer.db).close()  # as the desktop app's first start makes it
    customer = invoicer.json("customer", "add", "--name", "Early", "--country", "NL")
    before = invoicer.dump()
    for args in (["invoice", "new", customer["id"]], ["shop", "show"]):
        code, out, err = invoicer(*args, ok=False)
        assert code == 1
        assert "invoicer init" in err
        assert "Traceback" not in out + err
    assert invoicer.dump() == before


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("", "empty"),
        ("name,country\n", "no rows"),
        ("name,country,colour\nAcme,NL,red\n", "colour"),
        ('name,country\n"Acme,NL,extra\n', "line"),
        ("name,country\nAcme,NL,DE,extra\n", "line 2"),
        ("name,country,is_business\nAcme,NL,perhaps\n", "line 2 is_business"),
        ("name,country,vat_number\nAcme,DE,DE136695976\nAcme2,DE,DE136695977\n",
         "line 3 vat_number"),
    ],
)  # fmt: skip
def test_malformed_csv_imports_nothing(
    ready: Cli, tmp_path: Path, content: str, words: str
) -> None:
    ready.json("customer", "add", "--name", "Kept", "--country", "NL")
    source = tmp_path / "in.csv"
    source.write_text(content, encoding="utf-8")
    before = ready.dump()
    code, out, err = ready("import", "customers", str(source), ok=False)
    assert code == 1
    assert words in err
    assert "Traceback" not in out + err
    assert ready.dump() == before


def test_csv_that_is_not_utf8_is_refused(ready: Cli, tmp_path: Path) -> None:
    source = tmp_path / "latin1.csv"
    source.write_bytes("name,country\nMüller,DE\n".encode("utf-16"))
    before = ready.dump()
    code, _, err = ready("import", "customers", str(source), ok=False)
    assert code != 0
    assert "UTF-8" in err
    assert ready.dump() == before


def test_json_shapes(ready: Cli, world: dict[str, Any]) -> None:
    shop = ready.json("shop", "show")
    assert (shop["legal_name"], shop["country"], shop["iban"]) == (
        "Voorbeeld BV",
        "NL",
        "NL91ABNA0417164300",
    )
    customer = ready.json("customer", "show", world["customer"]["id"][:8])
    assert (customer["id"], customer["name"], customer["country"]) == (
        world["customer"]["id"],
        "Jan",
        "NL",
    )
    customers = ready.json("customer", "list", "--search", "Ja")
    assert [c["id"] for c in customers["items"]] == [world["customer"]["id"]]
    assert (customers["total"], customers["offset"], customers["limit"]) == (1, 0, 50)
    product = ready.json("product", "show", world["product"]["id"])
    assert (product["name"], product["unit_price"], product["unit_code"]) == ("Tea", "2.50", "C62")
    products = ready.json("product", "list")
    assert [p["name"] for p in products["items"]] == ["Tea"]

    issued = ready.json("invoice", "show", world["issued"]["id"])
    assert issued["kind"] == "invoice"
    assert issued["status"] == "open"
    assert issued["seller"]["vat_number"] == "NL004495445B01"
    assert issued["buyer"]["name"] == "Jan"
    [line] = issued["lines"]
    assert (line["quantity"], line["unit_price"], line["net"], line["category"], line["rate"]) == (
        "2",
        "2.50",
        "5.00",
        "S",
        "21",
    )
    [group] = issued["vat_groups"]
    assert {"category", "rate", "taxable", "tax", "exemption_text"} <= set(group)
    assert (issued["net"], issued["vat"], issued["gross"], issued["paid"], issued["balance"]) == (
        "5.00",
        "1.05",
        "6.05",
        "0.00",
        "6.05",
    )
    payment = ready.json("payment", "add", issued["number"], "6.05", "--method", "cash")
    assert (payment["invoice_status"], payment["balance"]) == ("paid", "0.00")
    payments = ready.json("payment", "list", issued["number"])
    assert [(p["amount"], p["method"]) for p in payments] == [("6.05", "cash")]
    listing = ready.json("invoice", "list", "--status", "draft")
    assert [i["id"] for i in listing["items"]] == [world["draft"]["id"]]
    assert listing["items"][0]["number"] is None


def test_full_credit_note_then_nothing_left(ready: Cli, world: dict[str, Any]) -> None:
    number = world["issued"]["number"]
    note = ready.json("credit-note", "create", number)
    assert note["number"].startswith("CN-")
    assert (note["gross"], note["credited_invoice_id"]) == ("-6.05", world["issued"]["id"])
    assert ready.json("invoice", "show", number)["status"] == "credited"
    before = ready.dump()
    code, _, err = ready("credit-note", "create", number, ok=False)
    assert code == 1
    assert "Traceback" not in err
    assert ready.dump() == before


def test_draft_lines_can_be_removed_and_drafts_deleted(ready: Cli, world: dict[str, Any]) -> None:
    draft = world["draft"]["id"]
    with_line = ready.json("invoice", "add-line", draft, "--description", "X", "--unit-price", "3")
    ready("invoice", "remove-line", draft, with_line["lines"][0]["id"])
    assert ready.json("invoice", "show", draft)["lines"] == []
    ready("invoice", "delete", draft)
    code, _, _ = ready("invoice", "show", draft, ok=False)
    assert code == 3


def test_edit_and_archive(ready: Cli, world: dict[str, Any]) -> None:
    cid, pid = world["customer"]["id"], world["product"]["id"]
    assert ready.json("customer", "edit", cid, "--city", "Delft")["city"] == "Delft"
    assert ready.json("product", "edit", pid, "--unit-price", "3.00")["unit_price"] == "3.00"
    ready("customer", "archive", cid)
    ready("product", "archive", pid)
    assert ready.json("customer", "list")["items"] == []
    assert ready.json("product", "list")["items"] == []
    archived = ready.json("customer", "list", "--archived")["items"]
    assert [c["id"] for c in archived] == [cid]
    # The issued invoice keeps its buyer snapshot.
    assert ready.json("invoice", "show", world["issued"]["id"])["buyer"]["city"] == "Amsterdam"


def test_backup_is_a_complete_database(ready: Cli, world: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "backup.sqlite"
    assert ready.json("backup", str(target))["backup"] == str(target)
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert list(copy.iterdump()) == ready.dump()
    finally:
        copy.close()
    restored = Cli(target, ready.capsys)
    assert restored.json("invoice", "show", world["issued"]["number"])["gross"] == "6.05"
    assert restored.json("audit", "verify")["ok"] is True


def test_export_to_a_file(ready: Cli, world: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "all.json"
    ready("export", "--output", str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["format"] == "invoicer-export-1"
    assert [c["id"] for c in data["customers"]] == [world["customer"]["id"]]
    assert [p["id"] for p in data["products"]] == [world["product"]["id"]]
    numbers = sorted(str(i["number"]) for i in data["invoices"])
    assert numbers == sorted([world["issued"]["number"], "None"])
