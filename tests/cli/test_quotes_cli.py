"""`invoicer quote ...` end to end on a real file: draft, lines, issue, accept, convert, the
PDF, and refusals that change nothing."""

from __future__ import annotations

from pathlib import Path

from .conftest import ADDRESS, Cli


def test_a_quote_from_draft_to_invoice(ready: Cli, tmp_path: Path) -> None:
    customer = ready.json("customer", "add", "--name", "Jan Jansen", "--country", "NL", *ADDRESS)
    quote_id = ready("quote", "new", customer["id"], "--valid-days", "14", "--id-only")[1].strip()
    ready("quote", "add-line", quote_id, "--description", "Design", "--unit-price", "100,00")
    ready("quote", "add-line", quote_id, "--description", "Print", "--unit-price", "50")
    ready("quote", "add-line", quote_id, "--description", "Oops", "--unit-price", "1")
    ready("quote", "remove-line", quote_id, "3")
    out = ready("quote", "issue", quote_id)[1]
    assert "Issued quote QUO-" in out
    assert "181.50 EUR" in out
    shown = ready.json("quote", "show", quote_id)
    assert shown["status"] == "issued"
    assert [line["description"] for line in shown["lines"]] == ["Design", "Print"]
    number = shown["number"]
    assert ready("quote", "mark-sent", number)[1] == f"Quote {number} marked as sent.\n"
    ready("quote", "accept", number)
    listed = ready("quote", "list", "--status", "accepted")[1]
    assert number in listed
    out = ready("quote", "convert", number, "--line", "2")[1]
    assert "with 1 line(s)" in out
    assert f"From quote {number}." in out
    drafts = ready.json("invoice", "list", "--status", "draft")
    assert [item["gross"] for item in drafts["items"]] == ["60.50"]
    target = tmp_path / "quote.pdf"
    ready("quote", "pdf", number, "-o", str(target))
    assert target.read_bytes().startswith(b"%PDF")


def test_refused_quote_commands_change_nothing(ready: Cli) -> None:
    customer = ready.json("customer", "add", "--name", "Jan Jansen", "--country", "NL", *ADDRESS)
    quote_id = ready("quote", "new", customer["id"], "--id-only")[1].strip()
    before = ready.snapshot()
    code, _, err = ready("quote", "issue", quote_id, ok=False)
    assert code != 0
    assert "at least one line" in err
    code, _, err = ready("quote", "convert", quote_id, ok=False)
    assert "only an accepted quote" in err
    code, _, err = ready(
        "quote", "add-line", quote_id, "--description", "x", "--unit-price", "1e999", ok=False
    )
    assert code != 0
    assert "Traceback" not in err
    code, _, err = ready("quote", "show", "QUO-1999-000001", ok=False)
    assert "There is no quote" in err
    assert ready.snapshot() == before
