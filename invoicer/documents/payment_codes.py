"""Payment references and codes printed on an invoice.

- ISO 11649 structured creditor reference (invoicer.domain.payments.reference), derived from
  the invoice number so a bank statement can be matched to the invoice.
- The EPC QR code payload (EPC069-12) that European banking apps read to pre-fill a SEPA
  credit transfer, made with segno.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any


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


@functools.lru_cache(maxsize=64)
def qr_image(data: str | bytes, *, error: str = "m") -> Any:
    """A QR code (EPC payload, payment link, EIP-681 request), error level M, as a Pillow
    image for fpdf2: black modules of 6 px on white with a 2-module quiet zone.

    Made from segno's matrix directly rather than through a PNG that fpdf2 would decode
    again; cached because one invoice is often rendered more than once (PDF, Factur-X).
    """
    import segno
    from PIL import Image

    code = segno.make_qr(data, error=error, boost_error=False)
    rows = list(code.matrix_iter(scale=1, border=2))
    pixels = bytes(0 if dark else 255 for row in rows for dark in row)
    size = len(rows)
    small = Image.frombytes("L", (size, size), pixels)
    return small.resize((size * 6, size * 6), Image.Resampling.NEAREST)
