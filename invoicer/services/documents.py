"""Issued invoices as documents: the PDF (its SHA-256 recorded once), e-invoices, batches."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any

from invoicer.documents.model import (
    BankAccount,
    DocumentKind,
    DocumentLine,
    DocumentTotals,
    InvoiceDocument,
    Logo,
    Party,
)
from invoicer.domain.errors import Conflict
from invoicer.domain.money import currency, to_minor
from invoicer.domain.vat.model import VatCategory, VatGroup
from invoicer.services import views
from invoicer.services.app import Services

_LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}


def to_document(
    invoice: views.Invoice, payments: tuple[views.Payment, ...] = ()
) -> InvoiceDocument:
    """Map an issued invoice (its frozen snapshot) onto what the renderers take."""
    if invoice.number is None or invoice.issue_date is None:
        raise Conflict("Only issued invoices and credit notes have documents; issue it first.")
    cur = currency(invoice.currency)
    sign = -1 if invoice.kind == "credit_note" else 1  # documents show credit notes positive

    def minor(amount: Decimal) -> int:
        return sign * to_minor(amount, cur)

    seller, buyer = invoice.seller, invoice.buyer
    requirements = invoice.requirements or {}
    omit_ids = bool(requirements.get("omit_vat_identifiers"))
    lines = tuple(
        DocumentLine(
            description=line.description,
            quantity=sign * line.quantity,
            unit_price=line.unit_price,
            net_minor=minor(line.net),
            category=VatCategory(line.category or "S"),
            rate=line.rate or Decimal(0),
            unit_code=line.unit_code,
        )
        for line in invoice.lines
    )
    groups = tuple(
        VatGroup(
            VatCategory(g.category),
            g.rate,
            minor(g.taxable),
            minor(g.tax),
            g.exemption_code,
            g.exemption_text,
        )
        for g in invoice.vat_groups
    )
    paid = to_minor(invoice.paid, cur) if invoice.kind == "invoice" else 0
    balance = to_minor(invoice.balance, cur) if invoice.kind == "invoice" else 0
    paid_reference = next(
        (p.reference or p.external_id for p in reversed(payments) if p.reference or p.external_id),
        None,
    )
    accounting = requirements.get("vat_accounting_currency")
    accounting_minor = requirements.get("vat_total_accounting_minor")
    seller_country = seller.country or ""
    needs_delivery = bool(requirements.get("deliver_to_country"))
    return InvoiceDocument(
        kind=DocumentKind.CREDIT_NOTE if invoice.kind == "credit_note" else DocumentKind.INVOICE,
        number=invoice.number,
        issue_date=invoice.issue_date,
        currency=cur.code,
        language=invoice.language,
        seller=Party(
            name=seller.name,
            street=seller.street or "",
            postcode=seller.postcode or "",
            city=seller.city or "",
            country=seller_country,
            vat_number=None if omit_ids else seller.vat_number,
            registration_id=seller.registration_number,
            registration_scheme="0106"
            if seller_country == "NL" and seller.registration_number
            else None,
            trading_name=seller.trading_name,
            email=seller.email,
            phone=seller.phone,
            website=seller.website,
        ),
        buyer=Party(
            name=buyer.name,
            street=buyer.street or "",
            postcode=buyer.postcode or "",
            city=buyer.city or "",
            country=buyer.country or "",
            vat_number=None if omit_ids else buyer.vat_number,
            email=buyer.email,
        ),
        lines=lines,
        vat_groups=groups,
        totals=DocumentTotals(
            net_minor=minor(invoice.net),
            vat_minor=minor(invoice.vat),
            gross_minor=minor(invoice.gross),
            paid_minor=paid,
            balance_minor=balance if invoice.kind == "invoice" else 0,
        ),
        due_date=invoice.due_date,
        supply_date=invoice.supply_date,
        supply_period=(invoice.period_start, invoice.period_end)
        if invoice.period_start and invoice.period_end
        else None,
        bank=BankAccount(seller.iban, seller.bic) if seller.iban else None,
        buyer_reference=invoice.buyer_reference,
        notes=tuple(n for n in (*invoice.notes_required, invoice.notes, invoice.reason) if n),
        original_invoice_number=invoice.credited_invoice_number,
        original_invoice_date=invoice.credited_invoice_date,
        accounting_currency=accounting if isinstance(accounting, str) else None,
        vat_total_accounting_minor=(
            sign * accounting_minor if isinstance(accounting_minor, int) else None
        ),
        delivery_country=(buyer.country if needs_delivery else None),
        paid_reference=paid_reference,
        logo=_logo(seller.logo_path),
    )


def _logo(path: str | None) -> Logo | None:
    if not path:
        return None
    file = Path(path).expanduser()
    mime = _LOGO_TYPES.get(file.suffix.lower())
    if mime is None or not file.is_file():
        return None
    return Logo(file.read_bytes(), mime)


def document(svc: Services, invoice_id: str) -> InvoiceDocument:
    """The invoice as its documents show it, with the payment links offered while unpaid."""
    return _document_of(svc, svc.invoices.get(invoice_id))


def _document_of(svc: Services, invoice: views.Invoice) -> InvoiceDocument:
    import dataclasses

    from invoicer.documents.model import CryptoPaymentRequest
    from invoicer.services import payment_requests

    doc = to_document(invoice, svc.payments.list(invoice.id) if invoice.kind == "invoice" else ())
    card = crypto = None
    for request in payment_requests.for_invoice(svc, invoice.id):
        if request.status != "open":
            continue
        if request.provider == "stripe":
            card = request.url
        elif request.provider == "crypto":
            crypto = CryptoPaymentRequest(
                request.url, str(request.details.get("text", request.url))
            )
    if card or crypto:
        doc = dataclasses.replace(doc, card_payment_url=card, crypto_payment=crypto)
    return doc


def render_pdf(svc: Services, invoice_id: str) -> tuple[bytes, tuple[str, ...]]:
    """The PDF of an issued invoice; its SHA-256 is recorded on the invoice the first time.

    A paid invoice's PDF says so, so it differs from the PDF first sent: the recorded hash is
    that of the first rendering (the document as issued).
    """
    from invoicer.documents.pdf import render_pdf as render

    doc = document(svc, invoice_id)
    result = render(doc)
    invoice = svc.invoices.get(invoice_id)
    if invoice.pdf_sha256 is None:
        svc.invoices.set_pdf_sha256(invoice.id, hashlib.sha256(result.pdf).hexdigest())
    return result.pdf, result.missing_characters


def export(svc: Services, invoice_id: str, fmt: str) -> bytes:
    """An EN 16931 e-invoice: ubl (Peppol BIS 3.0), cii, or facturx (PDF/A-3 with CII)."""
    from invoicer.documents import einvoice

    doc = document(svc, invoice_id)
    if fmt == "ubl":
        return einvoice.to_ubl(doc)
    if fmt == "cii":
        return einvoice.to_cii(doc)
    if fmt == "facturx":
        from invoicer.documents.pdf import render_pdf as render

        return einvoice.to_facturx(render(doc, pdfa=True).pdf, einvoice.to_cii(doc))
    from invoicer.domain.errors import ValidationError

    raise ValidationError.single("format", "unknown_value", "Format must be ubl, cii or facturx.")


def _safe(number: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in number)


def pdf_filename(number: str) -> str:
    return _safe(number) + ".pdf"


def export_filename(number: str, fmt: str) -> str:
    """The default file of an e-invoice export: INV-2026-000001-ubl.xml, -cii.xml, or
    -facturx.pdf (never the plain INV-....pdf that `pdf` writes, so neither replaces the
    other)."""
    return _safe(number) + ("-facturx.pdf" if fmt == "facturx" else f"-{fmt}.xml")


def check_output(target: Path, *, force: bool = False) -> None:
    """Refuse, before anything is rendered or recorded, a file that cannot be written: one in
    a folder that does not exist, a folder itself, or an existing file unless `force`."""
    if target.is_dir():
        raise Conflict(f"{target} is a folder; give the name of a file to write.")
    folder = target.parent
    if not folder.is_dir():
        raise Conflict(f"There is no folder {folder}; create it first or write somewhere else.")
    if target.exists() and not force:
        raise Conflict(f"{target} already exists; use --force to overwrite it.")


def write_output(target: Path, data: bytes) -> None:
    """Write a document file; a failure (permissions, a full disk) is said in plain words."""
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise Conflict(f"Could not write {target}: {exc.strerror or exc}.") from None


def check_batch_output(svc: Services, invoice_ids: list[str], out_dir: Path, force: bool) -> None:
    """Refuse a batch into `out_dir` that would overwrite existing PDFs, unless `force`."""
    if out_dir.exists() and not out_dir.is_dir():
        raise Conflict(f"{out_dir} is a file, not a folder.")
    if force or not out_dir.is_dir():
        return
    existing = {path.name for path in out_dir.glob("*.pdf")}
    if not existing:
        return
    from sqlalchemy import select

    from invoicer.store import schema

    clashes: list[str] = []
    with svc.db.read() as session:
        for start in range(0, len(invoice_ids), 500):
            numbers = session.execute(
                select(schema.Invoice.number).where(
                    schema.Invoice.id.in_(invoice_ids[start : start + 500])
                )
            ).scalars()
            clashes += [n for n in numbers if n and pdf_filename(n) in existing]
    if clashes:
        raise Conflict(
            f"{len(clashes)} of the PDFs already exist in {out_dir} (e.g. "
            f"{pdf_filename(sorted(clashes)[0])}); use --force to overwrite them."
        )


# Batch rendering. Each worker process opens its own connection and parses the fonts once
# (the pool's initializer), then renders chunks of invoices; the parent streams the chunks to
# the workers, advances the progress bar as each chunk comes back, and records the hashes of
# first renderings in one transaction at the end.
_worker: dict[str, Any] = {}
_CHUNK = 25  # invoices per task at most: few round trips, yet a progress bar that moves


def _start_worker(db_path: str) -> None:
    from invoicer.documents.pdf import warm_up
    from invoicer.services.app import open_services

    try:
        _worker["svc"] = open_services(db_path)
    except Exception as error:  # raised again by the first job: the caller sees why
        _worker["error"] = error
    warm_up()


def _render_chunk(
    job: tuple[str, tuple[str, ...]],
) -> list[tuple[str, str | None, str, tuple[str, ...]]]:
    """Worker: render invoices into `out_dir`; per invoice (id, hash already recorded, hash of
    this rendering, characters no font could draw)."""
    from invoicer.documents.pdf import render_pdf as render

    out_dir, invoice_ids = job
    if "error" in _worker:
        raise _worker["error"]
    svc: Services = _worker["svc"]
    results = []
    for invoice_id in invoice_ids:
        invoice = svc.invoices.get(invoice_id)
        doc = _document_of(svc, invoice)
        result = render(doc)
        (Path(out_dir) / pdf_filename(doc.number)).write_bytes(result.pdf)
        sha = hashlib.sha256(result.pdf).hexdigest()
        results.append((invoice_id, invoice.pdf_sha256, sha, result.missing_characters))
    return results


def render_batch(
    svc: Services,
    invoice_ids: list[str],
    out_dir: Path,
    *,
    jobs: int | None = None,
    progress: Any = None,
) -> dict[str, tuple[str, ...]]:
    """Render many invoices on all cores into `out_dir`; returns the missing characters per
    invoice that had any. Hashes of first renderings are recorded on the invoices."""
    import os
    from concurrent.futures import ProcessPoolExecutor, as_completed

    out_dir.mkdir(parents=True, exist_ok=True)
    workers = max(1, jobs or os.cpu_count() or 1)
    size = max(1, min(_CHUNK, len(invoice_ids) // (4 * workers)))  # a few chunks per worker
    chunks = [
        (str(out_dir), tuple(invoice_ids[i : i + size])) for i in range(0, len(invoice_ids), size)
    ]
    workers = min(workers, len(chunks))
    missing: dict[str, tuple[str, ...]] = {}
    first_hashes: dict[str, str] = {}

    def collect(results: list[tuple[str, str | None, str, tuple[str, ...]]]) -> None:
        for invoice_id, recorded, sha, chars in results:
            if recorded is None:
                first_hashes[invoice_id] = sha
            if chars:
                missing[invoice_id] = chars
        if progress is not None:
            progress(len(results))

    if workers <= 1:
        from invoicer.documents.pdf import warm_up

        warm_up()
        _worker["svc"] = svc
        try:
            for chunk in chunks:
                collect(_render_chunk(chunk))
        finally:
            del _worker["svc"]
    else:
        with ProcessPoolExecutor(
            workers, initializer=_start_worker, initargs=(str(svc.path),)
        ) as pool:
            for future in as_completed([pool.submit(_render_chunk, chunk) for chunk in chunks]):
                collect(future.result())
    svc.invoices.record_first_pdf_hashes(first_hashes)
    return missing
