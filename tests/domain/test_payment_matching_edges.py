"""Edge cases of bank-credit matching the statement tests do not reach (domain 100 % gate)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from invoicer.domain.payments.matching import Credit, OpenInvoice, match_credits
from invoicer.domain.payments.reference import rf_reference

DAY = dt.date(2026, 3, 1)
A = OpenInvoice("a", "INV-2026-000001", "Bäckerei Schmidt", "EUR", Decimal("10.00"))
B = OpenInvoice("b", "INV-2026-000002", "Café Anker", "EUR", Decimal("20.00"))


def test_rf_reference_needs_letters_or_digits() -> None:
    with pytest.raises(ValueError, match="no letters or digits"):
        rf_reference("--/--")


def test_rf_reference_inside_the_free_text_matches_by_reference() -> None:
    credit = Credit("e1", DAY, Decimal("10.00"), "EUR", text=f"thanks {rf_reference(A.number)}")
    matches, unmatched = match_credits([credit], [A, B])
    assert [(m.invoice.invoice_id, m.reason) for m in matches] == [("a", "reference")]
    assert unmatched == []


def test_two_invoice_numbers_in_the_text_are_left_for_a_person() -> None:
    credit = Credit("e2", DAY, Decimal("30.00"), "EUR", text=f"{A.number} and {B.number}")
    matches, unmatched = match_credits([credit], [A, B])
    assert matches == []
    assert unmatched == [credit]
