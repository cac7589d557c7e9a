"""The same keystrokes typed into the CLI, the terminal UI and the desktop app (issue 16):
every front-end must store the same value, or refuse with the same reason.

One parser reads them all (invoicer/domain/amounts.py); tests/cli, tests/tui and tests/qt each
type these into their own unit-price field and compare what the services stored.
"""

from __future__ import annotations

from decimal import Decimal

# (what is typed as the unit price, the price stored)
STORED = [
    ("1.234,50", Decimal("1234.50")),  # German style: the desktop app once stored 1.2345
    ("1,234.50", Decimal("1234.50")),
    ("1234,50", Decimal("1234.50")),
    ("1234.50", Decimal("1234.50")),
    ("1 234,50", Decimal("1234.50")),
    ("\uff11\uff12\uff13", Decimal("123")),  # full-width digits (an IME): folded
]

# (what is typed, the problem code, words of the message)
REFUSED = [
    ("1.234", "ambiguous", "'1.234' is ambiguous: English notation reads it as 1.234"),
    ("1,234", "ambiguous", "'1,234' is ambiguous: English notation reads it as 1234"),
    ("\u0661\u0662", "not_a_number", "use the digits 0-9"),
]
