"""The same quantities typed into the credit dialogs of the terminal UI and the desktop app
(issue 18): both read them with invoicer.domain.parsing.chosen_quantities, so they credit the
same quantities or refuse for the same reason. tests/tui and tests/qt each type these."""

from __future__ import annotations

from decimal import Decimal

# The invoice credited has one line of 10 pieces (German, so "0,5" is typed the German way).
# (what is typed beside the line, the quantity credited)
CREDITED = [
    ("2", Decimal("2")),
    ("0,5", Decimal("0.5")),
    ("1.5", Decimal("1.5")),
    (" 3 ", Decimal("3")),
]

# (what is typed beside the line, the problem code)
REFUSED = [
    ("", "nothing_chosen"),
    ("0", "nothing_chosen"),
    ("-1", "negative"),
    ("1,000", "ambiguous"),
    ("abc", "not_a_number"),
    ("1e999", "too_large"),
]
