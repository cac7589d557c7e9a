"""Edge cases of bank-credit matching: an RF reference found in the free text, two invoice
numbers in one remittance (ambiguous: left for a person), a number with nothing to reference."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from invoicer.domain.payments.matching import Credit, OpenInvoice, match_credits
from invoicer.domain.payments.reference import rf_reference

DAY = dt.date(2026, 3, 16)
A = OpenInvoice("a", "INV-2026-000042", "Muster GmbH", "EUR", Decimal("100.00"))
B = OpenInvoice("b", "INV-2026-000043", "Muster GmbH", "EUR", Decimal("100.00"))


def test_an_rf_reference_inside_the_remittance_text_matches_by_reference() -> None:
    credit = Credit("e1", DAY, Decimal("100.00"), "EUR", text="pay RF54 INV2 0260 0004 2 ok")
    matches, unmatched = match_credits([credit], [A, B])
    assert [(m.invoice.invoice_id, m.reason) for m in matches] == [("a", "reference")]
    assert unmatched == []


def test_two_invoice_numbers_in_one_text_are_left_for_a_person() -> None:
    credit = Credit("e2", DAY, Decimal("100.00"), "EUR", payer_name="Muster GmbH",
                    text="INV-2026-000042 and INV-2026-000043")  # fmt: skip
    matches, unmatched = match_credits([credit], [A, B])
    assert matches == []
    assert unmatched == [credit]


def test_an_invoice_number_without_letters_or_digits_has_no_reference() -> None:
    with pytest.raises(ValueError, match="no letters or digits"):
        rf_reference("--/--")
