"""Issued invoices as documents: the PDF (its SHA-256 recorded once), e-invoices, batches."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from invoicer.documents.model import (
    BankAccount,
    CryptoPaymentRequest,
    DocumentKind,
    DocumentLine,
    DocumentTotals,
    InvoiceDocument,
    Logo,
    Party,
    PaymentStatement,
    StatementPayment,
)
from invoicer.domain import peppol
from invoicer.domain.errors import Conflict, ValidationError
from invoicer.domain.money import currency, to_minor
from invoicer.domain.vat.model import VatCategory, VatGroup
from invoicer.services import views
from invoicer.services.app import Services

if TYPE_CHECKING:
    from invoicer.documents.pdf import Rendered

_LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}


def _endpoint(peppol_id: str | None, vat_number: str | None) -> dict[str, str]:
    """The party's Peppol electronic address from its frozen snapshot: its own id, else the one
    its VAT number gives (see invoicer/domain/peppol.py); none when neither gives one."""
    try:
        found = peppol.endpoint(peppol_id, vat_number)
    except ValidationError:  # stored before ids were checked: not an address to deliver to
        found = None
    return {"endpoint_scheme": found[0], "endpoint_id": found[1]} if found else {}


def to_document(invoice: views.Invoice, svc: Services | None = None) -> InvoiceDocument:
    """Map an issued invoice (its frozen snapshot) onto what the renderers take.

    Only the frozen snapshot goes in: nothing paid, credited or requested since, so every
    rendering of an issued document gives the bytes first issued (see `render_pdf`).
    `svc`: the services of the invoice's shop, for a logo kept in the database.
    """
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
            **_endpoint(seller.peppol_id, seller.vat_number),
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
            **_endpoint(buyer.peppol_id, buyer.vat_number),
        ),
        lines=lines,
        vat_groups=groups,
        totals=DocumentTotals(
            net_minor=minor(invoice.net),
            vat_minor=minor(invoice.vat),
            gross_minor=minor(invoice.gross),
            balance_minor=None if invoice.kind == "invoice" else 0,
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
        logo=_logo_of(svc, seller.logo_path),
    )


def _logo_of(svc: Services | None, path: str | None) -> Logo | None:
    """The shop's stored logo (a server's upload), else the local app's logo file. A server
    shop (its context names the shop) never reads a path from disk: a tenant could name any."""
    if svc is not None:
        from invoicer.services.shop_logo import ShopLogoService

        stored = ShopLogoService(svc.db, svc.ctx).get()
        if stored is not None:
            return Logo(stored.data, stored.content_type)
        if svc.ctx.shop_id is not None:
            return None
    return _logo(path)


def _logo(path: str | None) -> Logo | None:
    if not path:
        return None
    file = Path(path).expanduser()
    mime = _LOGO_TYPES.get(file.suffix.lower())
    if mime is None or not file.is_file():
        return None
    return Logo(file.read_bytes(), mime)


def document(svc: Services, invoice_id: str) -> InvoiceDocument:
    """The issued invoice or credit note as its documents show it: the frozen snapshot only."""
    return to_document(svc.invoices.get(invoice_id), svc)


class IssuedPdf(NamedTuple):
    pdf: bytes
    missing_characters: tuple[str, ...]  # drawn as "?"
    # False when the bytes differ from the SHA-256 recorded when the PDF was first made: the
    # renderer changed since (another layout, font or fpdf2 version), so this is a new
    # rendering of the same content, not the file the buyer received.
    matches_issued: bool


def render_pdf(svc: Services, invoice_id: str) -> IssuedPdf:
    """The PDF of an issued invoice or credit note: always the same bytes.

    It is rendered from the frozen snapshot alone (no payment state, no payment links opened
    since; the creation date and the file id come from the invoice), so every rendering gives
    the bytes first issued, whose SHA-256 is recorded on the invoice the first time. The
    bytes are not stored: at about 55 kB a PDF (two embedded font subsets), a million
    invoices would add 55 GB to the database, where the snapshot they are made from is
    already kept. What was paid since goes on the payment statement (`render_statement`).
    """
    from invoicer.documents.pdf import render_pdf as render

    invoice = svc.invoices.get(invoice_id)
    result = render(to_document(invoice, svc))
    digest = hashlib.sha256(result.pdf).hexdigest()
    if invoice.pdf_sha256 is None:
        svc.invoices.set_pdf_sha256(invoice.id, digest)
    matches = invoice.pdf_sha256 in (None, digest)
    return IssuedPdf(result.pdf, result.missing_characters, matches)


def statement(svc: Services, invoice_id: str, as_of: dt.date | None = None) -> PaymentStatement:
    """Where an issued invoice stands on `as_of` (default today): what was paid and credited,
    what is due, and the payment links open for it. Not an invoice; made anew each time."""
    import dataclasses

    from invoicer.services import payment_requests

    invoice = svc.invoices.get(invoice_id)
    if invoice.kind != "invoice":
        raise Conflict("A payment statement is for an invoice, not a credit note.")
    doc = to_document(invoice, svc)
    cur = currency(invoice.currency)
    payments = svc.payments.list(invoice.id)
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
    paid_reference = next(
        (p.reference or p.external_id for p in reversed(payments) if p.reference or p.external_id),
        None,
    )
    day = as_of or svc.today()
    totals = dataclasses.replace(
        doc.totals,
        paid_minor=to_minor(invoice.paid, cur),
        balance_minor=to_minor(invoice.balance, cur),
    )
    key = f"{doc.file_id}|statement|{day.isoformat()}"
    doc = dataclasses.replace(
        doc,
        totals=totals,
        card_payment_url=card,
        crypto_payment=crypto,
        paid_reference=paid_reference,
        created_at=dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC),
        document_id=hashlib.sha256(key.encode()).hexdigest()[:32],
    )
    return PaymentStatement(
        invoice=doc,
        as_of=day,
        payments=tuple(
            StatementPayment(
                p.date, to_minor(p.amount, cur), p.method, p.reference or p.external_id
            )
            for p in payments
        ),
        credited_minor=to_minor(invoice.credited, cur),
    )


def render_statement(svc: Services, invoice_id: str, as_of: dt.date | None = None) -> Rendered:
    """The payment statement of an invoice as a PDF (and the characters drawn as "?")."""
    from invoicer.documents.pdf import render_statement as render

    return render(statement(svc, invoice_id, as_of))


def export(svc: Services, invoice_id: str, fmt: str) -> bytes:
    """An EN 16931 e-invoice: ubl (Peppol BIS 3.0), cii, or facturx (PDF/A-3 with CII).

    Like the PDF, made from the frozen snapshot only: the same bytes every time."""
    from invoicer.documents import einvoice

    doc = document(svc, invoice_id)
    if fmt == "ubl":
        return einvoice.to_ubl(_with_peppol_endpoints(svc, invoice_id, doc))
    if fmt == "ubl-en16931":
        return einvoice.to_ubl(doc, peppol=False)
    if fmt == "cii":
        return einvoice.to_cii(doc)
    if fmt == "facturx":
        from invoicer.documents.pdf import render_pdf as render

        return einvoice.to_facturx(render(doc, pdfa=True).pdf, einvoice.to_cii(doc))
    raise ValidationError.single(
        "format", "unknown_value", "Format must be ubl, ubl-en16931, cii or facturx."
    )


def _with_peppol_endpoints(svc: Services, invoice_id: str, doc: InvoiceDocument) -> InvoiceDocument:
    """The document with both Peppol endpoints, or a ValidationError saying what to fill in.

    The buyer's id is frozen with the invoice; for an invoice issued before the customer had
    one, the customer's id as it is now is the address to deliver to (it is routing, not a
    particular of the invoice)."""
    import dataclasses

    buyer = doc.buyer
    if not buyer.endpoint_id:
        customer_id = svc.invoices.get(invoice_id).customer_id
        current = svc.customers.get(customer_id).peppol_id if customer_id else None
        found = _endpoint(current, None)
        if found:
            doc = dataclasses.replace(doc, buyer=dataclasses.replace(buyer, **found))
    missing = []
    if not doc.seller.endpoint_id:
        missing.append(
            "the shop has no Peppol id and its VAT number gives none: "
            "`invoicer shop set --peppol-id SCHEME:VALUE`"
        )
    if not doc.buyer.endpoint_id:
        missing.append(
            f"{buyer.name} has no Peppol id and no VAT number that gives one: "
            "`invoicer customer edit ID --peppol-id SCHEME:VALUE` (e.g. 0208:0403019261)"
        )
    if missing:
        raise ValidationError.single(
            "peppol_id",
            "missing",
            "A Peppol invoice needs both parties' electronic addresses; "
            + "; ".join(missing)
            + ". A plain EN 16931 UBL file needs none: --format ubl-en16931.",
        )
    return doc


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
    with svc.read() as session:
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


class BatchReport(NamedTuple):
    missing: dict[str, tuple[str, ...]]  # invoice id -> characters drawn as "?"
    differing: tuple[str, ...]  # invoice ids whose rendering differs from the recorded hash


_CHUNK = 25  # invoices per task at most: few round trips, yet a progress bar that moves


def _start_worker(db_path: str, shop_id: str | None) -> None:
    from invoicer.documents.pdf import warm_up
    from invoicer.services.app import open_services
    from invoicer.services.context import ServiceContext

    try:
        # The worker only reads: the parent's shop is what matters (a context's clock and
        # secrets need not cross the process boundary).
        _worker["svc"] = open_services(db_path, ctx=ServiceContext.local(shop_id=shop_id))
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
        doc = to_document(invoice, svc)
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
) -> BatchReport:
    """Render many invoices on all cores into `out_dir`. Hashes of first renderings are
    recorded on the invoices; the report names the invoices with characters drawn as "?" and
    those whose rendering differs from the hash recorded before (see `IssuedPdf`)."""
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
    differing: list[str] = []

    def collect(results: list[tuple[str, str | None, str, tuple[str, ...]]]) -> None:
        for invoice_id, recorded, sha, chars in results:
            if recorded is None:
                first_hashes[invoice_id] = sha
            elif recorded != sha:
                differing.append(invoice_id)
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
            workers, initializer=_start_worker, initargs=(svc.db.location, svc.ctx.shop_id)
        ) as pool:
            for future in as_completed([pool.submit(_render_chunk, chunk) for chunk in chunks]):
                collect(future.result())
    svc.invoices.record_first_pdf_hashes(first_hashes)
    return BatchReport(missing, tuple(differing))
