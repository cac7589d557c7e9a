"""Payment references and codes printed on an invoice.

- ISO 11649 structured creditor reference (invoicer.domain.payments.reference), derived from
  the invoice number so a bank statement can be matched to the invoice.
- The EPC QR code payload (EPC069-12) that European banking apps read to pre-fill a SEPA
  credit transfer, made with segno.
"""

from __future__ import annotations

from decimal import Decimal


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
