"""What a careful auditor tries on a copy of a demo shop: edit the file behind Invoicer's back
(with the triggers in place, and with them dropped) and see `invoicer audit verify` say what
is wrong, where, and exit with the "tampered" status (4), not crash."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.tampering import tamper

from .conftest import Cli, query

TAMPERED = 4


def verify(cli: Cli, *args: str) -> tuple[int, str]:
    code, out, err = cli("audit", "verify", *args, ok=False)
    assert "Traceback" not in out + err
    return code, out + err


def test_the_demo_shop_verifies(demo: Cli) -> None:
    code, text = verify(demo)
    assert code == 0, text
    assert "intact" in text


def paid_invoice(cli: Cli) -> tuple[str, str, int]:
    """(number, payment id, payment event seq) of the newest paid invoice."""
    number, payment_id = query(
        cli.db,
        "SELECT i.number, p.id FROM payments p JOIN invoices i ON i.id = p.invoice_id "
        "ORDER BY i.seq DESC LIMIT 1",
    )[0]
    (seq,) = query(
        cli.db,
        "SELECT seq FROM audit_events WHERE action = 'payment.add' AND entity_id = ?",
        payment_id,
    )[0]
    return number, payment_id, seq


def test_a_deleted_payment_is_reported(demo: Cli) -> None:
    number, payment_id, seq = paid_invoice(demo)
    tamper(demo.db, f"DELETE FROM payments WHERE id = '{payment_id}'")

    code, text = verify(demo)

    assert code == TAMPERED
    assert f"payment of event {seq}" in text
    assert number in text
    assert "no longer in the file" in text


def test_a_doubled_payment_is_reported(demo: Cli) -> None:
    number, payment_id, _ = paid_invoice(demo)
    tamper(
        demo.db,
        "INSERT INTO payments (id, shop_id, invoice_id, amount_minor, currency, date, method, "
        "reference, external_id, extra, overpayment, created_at) SELECT 'doubled', shop_id, "
        "invoice_id, "
        "amount_minor, currency, date, method, reference, NULL, extra, overpayment, created_at "
        f"FROM payments WHERE id = '{payment_id}'",
    )

    code, text = verify(demo)

    assert code == TAMPERED
    assert number in text
    assert "no audit event" in text


def test_a_changed_payment_amount_is_reported(demo: Cli) -> None:
    number, payment_id, seq = paid_invoice(demo)
    tamper(
        demo.db, f"UPDATE payments SET amount_minor = amount_minor + 100 WHERE id = '{payment_id}'"
    )

    code, text = verify(demo)

    assert code == TAMPERED
    assert number in text
    assert f"event {seq}" in text


@pytest.mark.parametrize("column", ["paid_minor", "credited_minor"])
def test_the_running_figures_cannot_be_set_by_hand(demo: Cli, column: str) -> None:
    # With the triggers in place: they are the sums of the payments and credit notes.
    connection = sqlite3.connect(demo.db)
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute(
            f"UPDATE invoices SET {column} = gross_minor "
            "WHERE kind = 'invoice' AND number IS NOT NULL"
        )
    connection.close()
    assert verify(demo)[0] == 0


@pytest.mark.parametrize("column", ["paid_minor", "credited_minor"])
def test_running_figures_set_with_the_triggers_dropped_are_reported(demo: Cli, column: str) -> None:
    (number,) = query(demo.db, "SELECT number FROM invoices WHERE kind = 'invoice' AND seq = 2")[0]
    tamper(demo.db, f"UPDATE invoices SET {column} = {column} + 777 WHERE number = '{number}'")

    code, text = verify(demo)

    assert code == TAMPERED
    assert number in text
    assert ("paid" if column == "paid_minor" else "credited") in text


def test_a_jump_in_the_counter_is_refused_and_reported(demo: Cli) -> None:
    connection = sqlite3.connect(demo.db)
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute("UPDATE number_series SET next_seq = next_seq + 23")
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute("DELETE FROM number_series")
    connection.close()
    series, year, next_seq = query(
        demo.db, "SELECT series, year, next_seq FROM number_series ORDER BY year DESC LIMIT 1"
    )[0]
    tamper(
        demo.db,
        f"UPDATE number_series SET next_seq = next_seq + 23 WHERE series = '{series}' "
        f"AND year = {year}",
    )

    code, text = verify(demo)

    assert code == TAMPERED
    assert f"{next_seq} to {next_seq + 22}" in text
    assert "never issued" in text


def issue_one_more(cli: Cli) -> tuple[str, str]:
    """Issue an invoice now, at the chain's tail: (id, number)."""
    (customer,) = query(cli.db, "SELECT id FROM customers ORDER BY name LIMIT 1")[0]
    draft = cli.json("invoice", "new", customer)["id"]
    cli("invoice", "add-line", draft, "--description", "Tea", "--unit-price", "10")
    issued = cli.json("invoice", "issue", draft)
    return issued["id"], issued["number"]


def cut_newest_invoice(
    cli: Cli, *, cover_tracks: bool, newest: tuple[str, str] | None = None
) -> str:
    """Remove the newest invoice (issued now unless given) and its events (the chain's tail
    from its draft on). With `cover_tracks`, also set the counter back and move the stored
    head to match."""
    invoice_id, number = newest or issue_one_more(cli)
    year, seq = query(cli.db, "SELECT year, seq FROM invoices WHERE id = ?", invoice_id)[0]
    (first_event,) = query(
        cli.db, "SELECT MIN(seq) FROM audit_events WHERE entity_id = ?", invoice_id
    )[0]
    statements = [
        f"DELETE FROM invoice_lines WHERE invoice_id = '{invoice_id}'",
        f"DELETE FROM vat_groups WHERE invoice_id = '{invoice_id}'",
        f"DELETE FROM invoices WHERE id = '{invoice_id}'",
        f"DELETE FROM audit_events WHERE seq >= {first_event}",
        # (the VAT day totals it added, taken back as a careful hand would)
        "DELETE FROM vat_day_totals",
        "INSERT INTO vat_day_totals SELECT i.shop_id, i.issue_date, g.category, g.rate, "
        "i.currency, COALESCE(g.tax_country, ''), COALESCE(i.seller_country, ''), "
        "CASE WHEN g.category IN ('K', 'AE') THEN COALESCE(i.buyer_vat_number, '') ELSE '' END, "
        "SUM(g.taxable_minor), SUM(g.tax_minor) FROM invoices i JOIN vat_groups g ON "
        "g.invoice_id = i.id WHERE i.issued_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8",
    ]
    if cover_tracks:
        statements += [
            f"UPDATE number_series SET next_seq = {seq} WHERE series = 'invoice' AND year = {year}",
            "UPDATE audit_head SET seq = (SELECT MAX(seq) FROM audit_events), "
            "hash = (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1)",
        ]
    tamper(cli.db, *statements)
    return number


def test_cutting_the_tail_of_the_chain_is_reported(demo: Cli) -> None:
    number = cut_newest_invoice(demo, cover_tracks=False)

    code, text = verify(demo)

    assert code == TAMPERED
    assert "cut off" in text  # the stored head is past the chain's end
    assert number in text  # the counter says the number was issued


def test_a_covered_up_cut_is_caught_by_the_head_kept_outside(demo: Cli) -> None:
    # The merchant keeps the head after issuing; then that invoice is cut away.
    newest = issue_one_more(demo)
    head = demo("audit", "head")[1].strip()
    assert len(head) == 64
    assert int(head, 16) >= 0
    cut_newest_invoice(demo, cover_tracks=True, newest=newest)
    assert verify(demo)[0] == 0  # consistent inside the file: only the outside copy knows

    code, text = verify(demo, "--expect", head)

    assert code == TAMPERED
    assert head[:12] in text
    assert "not in the audit trail" in text


def test_the_head_kept_outside_still_matches_after_new_events(demo: Cli) -> None:
    head = demo("audit", "head")[1].strip()
    demo("customer", "add", "--name", "New Customer", "--country", "NL")
    issue_one_more(demo)

    code, text = verify(demo, "--expect", head.upper())
    assert code == 0
    assert "contains the head you kept" in text
    assert verify(demo, "--expect", "ab" * 32)[0] == TAMPERED


def test_audit_head_shows_the_newest_event(demo: Cli) -> None:
    (seq, digest) = query(demo.db, "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")[
        0
    ]
    head = demo.json("audit", "head")
    assert head["seq"] == seq
    assert head["hash"] == digest
    assert head["events"] == seq


def test_a_bad_expect_value_is_a_usage_error(demo: Cli) -> None:
    code, _, err = demo("audit", "verify", "--expect", "xyz", ok=False)
    assert code == 2
    assert "64 hex" in err


def test_verify_names_each_problem_in_plain_words(demo: Cli) -> None:
    (number,) = query(demo.db, "SELECT number FROM invoices WHERE kind = 'invoice' AND seq = 3")[0]
    (issue_seq,) = query(
        demo.db,
        "SELECT e.seq FROM audit_events e JOIN invoices i ON i.id = e.entity_id "
        "WHERE e.action = 'invoice.issue' AND i.number = ?",
        number,
    )[0]
    tamper(
        demo.db,
        f"UPDATE invoices SET buyer_reference = 'changed', notes = 'x', "
        f"gross_minor = gross_minor + 1 WHERE number = '{number}'",
    )

    code, text = verify(demo)
    report = json.loads(demo("audit", "verify", "--json", ok=False)[1])  # the same, as data

    assert code == TAMPERED
    assert f"{number} (issued in event {issue_seq})" in text
    assert "differs from what was issued" in text
    assert report["ok"] is False
    assert {"document": number, "event": issue_seq} == {
        k: report["problems"][0][k] for k in ("document", "event")
    }
