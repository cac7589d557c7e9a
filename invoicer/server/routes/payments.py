"""What settles an issued invoice: payments received (record, list) and credit notes (for
the whole invoice or chosen line quantities)."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from invoicer.server import minor_units
from invoicer.server.auth import MemberServices
from invoicer.server.routes.common import answer, listing
from invoicer.server.routes.common import router as make_router
from invoicer.server.routes.invoices import invoice_answer
from invoicer.server.strict import strict
from invoicer.services.commands import NewCreditNote, RecordPayment

router = make_router("payments and credit notes")


@router.post(
    "/invoices/{invoice_id}/payments",
    status_code=201,
    summary="Record a payment received against an issued invoice",
)
def record_payment(
    svc: MemberServices,
    invoice_id: str,
    body: strict(RecordPayment),  # type: ignore[valid-type]
) -> JSONResponse:
    return answer(minor_units.payment(svc.payments.add(invoice_id, body)), 201, "payment")


@router.get("/invoices/{invoice_id}/payments", summary="Payments received for an invoice")
def payments(svc: MemberServices, invoice_id: str) -> JSONResponse:
    found = svc.invoices.get(invoice_id)  # another shop's invoice is a 404, not an empty list
    items = [minor_units.payment(p) for p in svc.payments.list(found.id)]
    return listing(items, object_name="payment", next_cursor=None, total=len(items))


@router.post(
    "/invoices/{invoice_id}/credit-notes",
    status_code=201,
    summary="Issue a credit note for an invoice (everything left, or the lines given)",
)
def credit_note(
    svc: MemberServices,
    invoice_id: str,
    body: strict(NewCreditNote),  # type: ignore[valid-type]
) -> JSONResponse:
    return invoice_answer(svc.credit_notes.create(invoice_id, body), 201)
