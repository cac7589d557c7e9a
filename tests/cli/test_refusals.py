"""Odd values on every command of a demo database (issue 16): each is refused with a message in
plain words, a non-zero exit, no traceback, and the database byte for byte as it was.

Each case: setup commands (run first, may change the database), then the refused command; the
snapshot (file hash + SQL dump) is taken between the two.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from invoicer.cli import cli
from invoicer.cli.errors import run

from .conftest import Cli

TODAY = dt.date.today()


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "template.sqlite"
    assert run(cli, ["--db", str(path), "demo", "--invoices", "30"]) == 0
    from invoicer.services.app import open_services

    with open_services(path) as svc:  # a draft whose VAT is decided: a Dutch consumer's
        customer = svc.customers.add(
            name="Jan Refusal", country="NL", street="Dam 1", postcode="1012 JS", city="Amsterdam"
        )
        draft = svc.invoices.create_draft(customer.id, notes="the refusals' draft")
        svc.invoices.add_line(draft.id, description="Tea", unit_price="2.50")
    return path


@pytest.fixture
def shop(demo_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    target = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_template, target)
    return Cli(target, capsys)


def names(db: Path) -> dict[str, str]:
    """Placeholders -> ids of the demo: a domestic draft, an issued invoice and its line, ..."""
    connection = sqlite3.connect(db)
    try:
        one = lambda sql: connection.execute(sql).fetchone()[0]  # noqa: E731
        draft = one("SELECT id FROM invoices WHERE notes = 'the refusals'' draft'")
        issued = one(
            "SELECT number FROM invoices WHERE kind = 'invoice' AND issued_at IS NOT NULL "
            "AND paid_minor = 0 AND credited_minor = 0 ORDER BY seq DESC LIMIT 1"
        )
        line = one(
            "SELECT l.id FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id "
            f"WHERE i.number = '{issued}' LIMIT 1"
        )
        draft_line = one(f"SELECT id FROM invoice_lines WHERE invoice_id = '{draft}' LIMIT 1")
        return {
            "DRAFT": draft,
            "DRAFT_LINE": draft_line,
            "ISSUED": issued,
            "LINE": line,
            "CUSTOMER": one("SELECT id FROM customers ORDER BY id LIMIT 1"),
            "PRODUCT": one("SELECT id FROM products ORDER BY id LIMIT 1"),
            "TOMORROW": (TODAY + dt.timedelta(days=1)).isoformat(),
        }
    finally:
        connection.close()


def files(folder: Path) -> dict[str, Path]:
    """Input files some cases read, made in the test's folder."""
    from fpdf import FPDF

    plain_pdf = FPDF()
    plain_pdf.add_page()
    made = {
        "PLAIN.pdf": bytes(plain_pdf.output()),
        "DAMAGED.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog",
        "RANDOM.bin": bytes(range(256)) * 8 + b"\x00\xff\x80garbage",
        "EXISTING.pdf": b"mine, keep me",
        "NUL.csv": b"name,country\nAc\x00me,NL\n",
        "ESC.csv": b"name,country,street\nAcme,NL,Dam\x1b[31m 1\n",
    }
    paths = {}
    for name, data in made.items():
        (folder / name).write_bytes(data)
        paths[name] = folder / name
    return paths


Q = "1e999"
CASES: list[tuple[str, list[list[str]], list[str], str]] = [
    # -- magnitudes ---------------------------------------------------------------------
    ("quantity 1e999", [], ["invoice", "add-line", "DRAFT", "--description", "x",
     "--unit-price", "1", "--quantity", Q], "Quantity can be at most 999,999,999"),
    ("quantity 1e20", [], ["invoice", "add-line", "DRAFT", "--description", "x",
     "--unit-price", "1", "--quantity", "1e20"], "Quantity can be at most 999,999,999"),
    ("unit price 1e999", [], ["invoice", "add-line", "DRAFT", "--description", "x",
     "--unit-price", Q], "Unit price can be at most 999,999,999,999"),
    ("unit price Infinity", [], ["invoice", "add-line", "DRAFT", "--description", "x",
     "--unit-price", "Infinity"], "not a number"),
    ("line net too large", [], ["invoice", "add-line", "DRAFT", "--description", "x",
     "--quantity", "999999999", "--unit-price", "999999999999"],
     "amounts can be at most 9,999,999,999,999.99 EUR"),
    ("product price 1e999", [], ["product", "add", "--name", "Big", "--unit-price", Q],
     "Unit price can be at most 999,999,999,999"),
    ("exchange rate 1e999", [], ["invoice", "edit", "DRAFT", "--exchange-rate", Q],
     "Exchange rate can be at most 1,000,000"),
    ("payment 1e999", [], ["payment", "add", "ISSUED", Q, "--overpayment"],
     "A payment can be at most 9,999,999,999,999.99 EUR"),
    ("credit 1e999", [], ["credit-note", "create", "ISSUED", "--line", f"LINE={Q}"],
     "left to credit"),
    # -- paging and the demo ------------------------------------------------------------
    ("offset 1e20", [], ["invoice", "list", "--offset", "99999999999999999999"],
     "Offset must be a whole number from 0 to 1,000,000,000"),
    ("limit 1e20", [], ["invoice", "list", "--limit", "99999999999999999999"],
     "Limit must be a whole number from 1 to 1,000"),
    ("customer limit 0", [], ["customer", "list", "--limit", "0"], "Limit must be"),
    ("product offset -1", [], ["product", "list", "--offset", "-1"], "Offset must be"),
    # -- files --------------------------------------------------------------------------
    ("PDF without e-invoice", [], ["einvoice", "show", "PLAIN.pdf"],
     "The PDF has no embedded e-invoice"),
    ("damaged PDF", [], ["einvoice", "show", "DAMAGED.pdf"], "The PDF cannot be read"),
    ("pdf into a missing folder", [], ["invoice", "pdf", "ISSUED", "-o", "nowhere/x.pdf"],
     "There is no folder"),
    ("pdf over a file", [], ["invoice", "pdf", "ISSUED", "-o", "EXISTING.pdf"],
     "already exists; use --force"),
    ("facturx over a file", [], ["invoice", "export", "ISSUED", "--format", "facturx", "-o",
     "EXISTING.pdf"], "already exists; use --force"),
    ("ubl into a missing folder", [], ["invoice", "export", "ISSUED", "-o", "nowhere/x.xml"],
     "There is no folder"),
    ("random bytes as a statement", [], ["pay", "import-statement", "RANDOM.bin"],
     "is not a bank statement"),
    # -- control characters -------------------------------------------------------------
    ("NUL in a line", [], ["invoice", "add-line", "DRAFT", "--description", "Te\x00a",
     "--unit-price", "1"], "Description contains a control character (NUL)"),
    ("ESC in a product", [], ["product", "add", "--name", "Tea\x1b[2J", "--unit-price", "1"],
     "Name contains a control character (U+001B)"),
    ("line break in a customer name", [], ["customer", "add", "--name", "A\nB", "--country",
     "NL"], "Name contains a control character (line break)"),
    ("NUL in a city", [], ["customer", "edit", "CUSTOMER", "--city", "Delft\x00"],
     "City contains a control character"),
    ("NUL in notes", [], ["invoice", "edit", "DRAFT", "--notes", "two\nlines\x00"],
     "Notes contains a control character (NUL)"),
    ("NUL in the shop", [], ["shop", "set", "--legal-name", "Shop\x00"],
     "Legal name contains a control character"),
    ("NUL in an imported customer", [], ["import", "customers", "NUL.csv"],
     "control character (NUL)"),
    ("ESC in an imported street", [], ["import", "customers", "ESC.csv"],
     "control character (U+001B)"),
    ("NUL in a credit note reason", [], ["credit-note", "create", "ISSUED", "--reason",
     "bro\x00ken"], "Reason contains a control character"),
    ("NUL in a payment reference", [], ["payment", "add", "ISSUED", "1", "--reference",
     "x\x00"], "Reference contains a control character"),
    ("NUL in a setting", [], ["settings", "set", "rpc_url=http://node\x00"],
     "rpc_url contains a control character"),
    # -- dates --------------------------------------------------------------------------
    ("issue date year 1", [], ["invoice", "edit", "DRAFT", "--issue-date", "0001-01-01"],
     "Issue date 0001-01-01 is not between 2000-01-01 and 2100-12-31"),
    ("supply date 2101", [], ["invoice", "edit", "DRAFT", "--supply-date", "2101-01-01"],
     "not between 2000-01-01 and 2100-12-31"),
    ("payment dated year 1", [], ["payment", "add", "ISSUED", "1", "--date", "0001-01-01"],
     "not between 2000-01-01 and 2100-12-31"),
    ("issued before the last", [["invoice", "edit", "DRAFT", "--issue-date", "2020-01-01"]],
     ["invoice", "issue", "DRAFT"], "numbers and dates must stay in chronological order"),
    ("issued in the future", [["invoice", "edit", "DRAFT", "--issue-date", "TOMORROW"]],
     ["invoice", "issue", "DRAFT"], "is in the future"),
    # -- the database itself --------------------------------------------------------------
    ("mistyped --db", [], ["--db", "MISSING.sqlite", "invoice", "list"],
     "There is no Invoicer database at"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("setup", "args", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_odd_values_are_refused_and_change_nothing(
    shop: Cli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    setup: list[list[str]],
    args: list[str],
    words: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    swap: dict[str, Any] = {**names(shop.db), **{k: str(v) for k, v in files(tmp_path).items()}}

    def fill(argv: list[str]) -> list[str]:
        out = []
        for arg in argv:
            for key, value in swap.items():
                arg = arg.replace(key, value) if key in arg else arg
            out.append(arg)
        return out

    for step in setup:
        shop(*fill(step))
    shop("shop", "show")  # the first connection to the copied file makes its (empty) -wal
    before = shop.snapshot()
    existing = (tmp_path / "EXISTING.pdf").read_bytes()
    code, out, err = shop(*fill(args), ok=False)
    assert code != 0, out
    assert words in err
    assert err.startswith("Error: "), err
    assert all(ch.isprintable() or ch == "\n" for ch in err), repr(err)  # nothing echoed raw
    assert "Traceback" not in out + err
    assert shop.snapshot() == before
    assert (tmp_path / "EXISTING.pdf").read_bytes() == existing
    assert not (tmp_path / "nowhere").exists()
    assert not (tmp_path / "MISSING.sqlite").exists()


@pytest.mark.parametrize("stored", ["1E+999", "100000000000000000000", "NaN", "-Infinity"])
def test_a_draft_poisoned_by_an_older_version_still_shows_and_can_be_corrected(
    shop: Cli, stored: str
) -> None:
    """A line written before the limits existed (straight into the file here): reading the
    draft never crashes, issuing it says why not, and the line can be removed."""
    ids = names(shop.db)
    connection = sqlite3.connect(shop.db)
    with connection:
        connection.execute(
            "INSERT INTO invoice_lines (id, shop_id, invoice_id, position, description, "
            "quantity, unit_code, unit_price, rate_class, supply_kind, art59_service, net_minor) "
            "VALUES ('poison', (SELECT id FROM shops), ?, 99, 'Old', ?, 'C62', '1', 'standard', "
            "'goods', 0, 0)",
            (ids["DRAFT"], stored),
        )
    connection.close()
    shop("invoice", "show", ids["DRAFT"])
    shop("invoice", "list", "--status", "draft")
    shop("invoice", "edit", ids["DRAFT"], "--notes", "still editable")
    for refused in (["invoice", "preview", ids["DRAFT"]], ["invoice", "issue", ids["DRAFT"]]):
        code, out, err = shop(*refused, ok=False)
        assert code == 1
        assert "A line's quantity" in err
        assert "Traceback" not in out + err
    shop("invoice", "remove-line", ids["DRAFT"], ids["DRAFT_LINE"])  # another line: fine too
    shop("invoice", "remove-line", ids["DRAFT"], "poison")
    shop("invoice", "add-line", ids["DRAFT"], "--description", "Tea", "--unit-price", "2.50")
    assert shop.json("invoice", "issue", ids["DRAFT"])["gross"] == "3.03"


def test_status_issued_lists_every_issued_document(shop: Cli) -> None:
    everything = shop.json("invoice", "list", "--limit", "1000")["items"]
    issued = shop.json("invoice", "list", "--status", "issued", "--limit", "1000")["items"]
    assert {i["id"] for i in issued} == {i["id"] for i in everything if i["status"] != "draft"}
    assert {i["kind"] for i in issued} == {"invoice", "credit_note"}
    _, out, _ = shop("invoice", "list", "--help")
    assert "every issued invoice and credit note" in " ".join(out.split())


def test_a_huge_demo_is_refused_at_once(invoicer: Cli) -> None:
    code, out, err = invoicer("demo", "--invoices", "99999999999999999999", ok=False)
    assert code == 1
    assert "from 0 to 10,000 invoices" in err
    assert "Traceback" not in out + err
    assert not invoicer.db.exists()


def test_facturx_and_pdf_default_names_differ_and_force_overwrites(
    shop: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    number = names(shop.db)["ISSUED"]
    shop("invoice", "pdf", number)
    shop("invoice", "export", number, "--format", "facturx")
    shop("invoice", "export", number, "--format", "ubl")
    pdf, facturx = tmp_path / f"{number}.pdf", tmp_path / f"{number}-facturx.pdf"
    assert pdf.read_bytes() != facturx.read_bytes()
    assert (tmp_path / f"{number}-ubl.xml").exists()
    pdf.write_bytes(b"old")
    shop("invoice", "pdf", number, "--force")
    assert pdf.read_bytes().startswith(b"%PDF")
    code, _, err = shop("invoice", "pdf", "--all", "-o", str(tmp_path), ok=False)
    assert code == 1
    assert "already exist" in err


@pytest.mark.usefixtures("no_keyring")
def test_pay_refresh_without_a_keyring_and_no_open_link(shop: Cli) -> None:
    _, out, err = shop("pay", "refresh")
    assert "still open: 0" in out
    assert "keyring" not in err.lower()
