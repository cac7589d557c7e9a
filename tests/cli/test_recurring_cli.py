"""`invoicer recurring ...` on a real file: set up, list, show, run (once), pause, edit;
refusals change nothing."""

from __future__ import annotations

import datetime as dt

from .conftest import ADDRESS, Cli, query


def months_ago(count: int) -> dt.date:
    today = dt.date.today()
    index = today.year * 12 + today.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)


def test_a_subscription_from_the_command_line(ready: Cli) -> None:
    customer = ready.json("customer", "add", "--name", "Jan Jansen", "--country", "NL", *ADDRESS)
    start = months_ago(2).isoformat()
    made = ready.json(
        "recurring", "new", customer["id"][:8], "--frequency", "monthly", "--start", start,
        "--line", "Hosting;20,00", "--line", "Support;15.00;2;standard", "--auto-issue",
        "--name", "Hosting Jan",
    )  # fmt: skip
    assert made["name"] == "Hosting Jan"
    assert [line["unit_price"] for line in made["lines"]] == ["20.00", "15.00"]
    _, out, _ = ready("recurring", "list")
    assert "Hosting Jan" in out
    assert "monthly" in out
    _, out, _ = ready("recurring", "run")
    assert out.count("Hosting Jan: issued INV-") == 3
    assert "Made 3 recurring invoices." in out
    _, out, _ = ready("recurring", "run")
    assert out.strip() == "No recurring invoices were due."
    _, out, _ = ready("recurring", "show", made["id"][:8])
    assert out.count("INV-") == 3
    ready("recurring", "pause", made["id"][:8])
    assert ready.json("recurring", "show", made["id"])["template"]["paused"] is True
    ready("recurring", "resume", made["id"][:8])
    ready("recurring", "edit", made["id"][:8], "--line", "Hosting;25.00", "--notes", "New price")
    shown = ready.json("recurring", "show", made["id"])
    assert [line["unit_price"] for line in shown["template"]["lines"]] == ["25.00"]
    assert len(shown["made"]) == 3
    rows = query(ready.db, "SELECT period_start, period_end FROM invoices ORDER BY period_start")
    assert rows[0][0] == start


def test_refusals_say_why_and_change_nothing(ready: Cli) -> None:
    customer = ready.json("customer", "add", "--name", "Jan Jansen", "--country", "NL", *ADDRESS)
    before = ready.snapshot()
    for args, message in [
        (["--frequency", "daily", "--start", "2026-01-01", "--line", "A;1"], "Frequency must"),
        (["--frequency", "monthly", "--start", "2026-02-30", "--line", "A;1"], "2026-02-30"),
        (["--frequency", "monthly", "--start", "2026-01-01", "--line", "A"], "DESCRIPTION;"),
        (["--frequency", "monthly", "--start", "2026-01-01"], "at least one line"),
        (["--frequency", "months", "--start", "2026-01-01", "--line", "A;1"], "Every how many"),
    ]:
        code, _, err = ready("recurring", "new", customer["id"], *args, ok=False)
        assert code == 1, args
        assert message in err, (args, err)
        assert "Traceback" not in err
    code, _, err = ready("recurring", "pause", "nope", ok=False)
    assert code == 3  # not found
    assert "There is no recurring template with id nope." in err
    assert ready.snapshot() == before


def test_run_reports_in_json_and_fails_when_a_period_cannot_be_made(ready: Cli) -> None:
    customer = ready.json("customer", "add", "--name", "Jan Jansen", "--country", "NL", *ADDRESS)
    start = months_ago(1).isoformat()
    ready("recurring", "new", customer["id"], "--frequency", "monthly", "--start", start,
          "--line", "Hosting;20.00", "--name", "Hosting")  # fmt: skip
    report = ready.json("recurring", "run")
    assert [m["period_start"] for m in report["made"]] == [start, months_ago(0).isoformat()]
    assert all(m["number"] is None and not m["issued"] for m in report["made"])
    gone = ready.json("customer", "add", "--name", "Gone BV", "--country", "NL", *ADDRESS)
    ready("recurring", "new", gone["id"], "--frequency", "weekly", "--start",
          months_ago(0).isoformat(), "--line", "Support;5", "--name", "Support")  # fmt: skip
    ready("customer", "archive", gone["id"])
    code, out, _ = ready("recurring", "run", ok=False)
    assert code == 1
    assert "Support: the period from" in out
    assert "Customer Gone BV is archived." in out
    assert [t["made"] for t in ready.json("recurring", "list")] == [2, 0]
