"""The structured creditor reference (ISO 11649 "RF") of an invoice.

Printed on the invoice and in its EPC QR code, it comes back on the bank statement, so a
transfer can be matched to the invoice without anyone typing the invoice number.

>>> rf_reference("INV-2026-000042")
'RF54INV2026000042'
>>> is_rf_reference("RF54 INV2 0260 0004 2")
True
"""

from __future__ import annotations

import re

from stdnum import iso11649
from stdnum.iso7064 import mod_97_10


def rf_reference(invoice_number: str) -> str:
    """RF + check digits + the number's letters and digits (the last 21)."""
    body = re.sub(r"[^0-9A-Za-z]", "", invoice_number).upper()[-21:]
    if not body:
        raise ValueError(f"{invoice_number!r} has no letters or digits for a reference")
    return f"RF{mod_97_10.calc_check_digits(body + 'RF')}{body}"


def is_rf_reference(text: str) -> bool:
    return bool(iso11649.is_valid(text))


def compact(text: str) -> str:
    """Letters and digits only, upper case: how references are compared."""
    return re.sub(r"[^0-9A-Za-z]", "", text).upper()
