"""Payment references and codes printed on an invoice.

- ISO 11649 structured creditor reference ("RF" + check digits + up to 21 characters),
  derived from the invoice number so a bank statement can be matched to the invoice.
- The EPC QR code payload (EPC069-12) that European banking apps read to pre-fill a SEPA
  credit transfer, made with segno.

>>> rf_reference("INV-2026-000042")
'RF54INV2026000042'
"""

from __future__ import annotations

import re
from decimal import Decimal

from stdnum import iso11649
from stdnum.iso7064 import mod_97_10


def rf_reference(invoice_number: str) -> str:
    """The RF creditor reference for an invoice number (letters and digits kept, max 21)."""
    body = re.sub(r"[^0-9A-Za-z]", "", invoice_number).upper()[-21:]
    if not body:
        raise ValueError(f"{invoice_number!r} has no letters or digits for a reference")
    check = mod_97_10.calc_check_digits(body + "RF")
    reference = f"RF{check}{body}"
    iso11649.validate(reference)
    return reference


def epc_payload(
    *,
    name: str,
    iban: str,
    amount: Decimal | None,
    reference: str | None = None,
    text: str | None = None,
    bic: str | None = None,
) -> bytes:
    """The exact bytes an EPC QR code carries (version 002, UTF-8; EPC069-12)."""
    import segno.helpers

    # segno's own builder of the EPC data (the public helper returns only the QR code);
    # the version is pinned in requirements.lock and the tests hold it to the standard.
    data: bytes = segno.helpers._make_epc_qr_data(  # type: ignore[attr-defined]
        name[:70], iban, amount, None if reference else text, reference, bic, None, "utf-8"
    )
    return data


def qr_png(data: str | bytes, *, error: str = "m") -> bytes:
    """A QR code (EPC payload, payment link, EIP-681 request) as a PNG, error level M."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make_qr(data, error=error, boost_error=False).save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()
