"""The documents of an issued invoice or credit note: its PDF and its EN 16931 e-invoices
(UBL for Peppol or plain, CII, Factur-X), made by the same service calls as the CLI's, as
attachments named after the number."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from fastapi.responses import Response

from invoicer.server.auth import MemberServices
from invoicer.server.routes.common import router as make_router
from invoicer.services.app import Services

router = make_router("invoice documents")


def _content(media_type: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {media_type: {}}, "description": "The file, as an attachment."}}


def _attachment(data: bytes, media_type: str, filename: str) -> Response:
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _export(svc: Services, invoice_id: str, fmt: str, media_type: str) -> Response:
    from invoicer.services.documents import export_filename

    view = svc.invoices.get(invoice_id)  # its number names the file (and a 404 comes first)
    data = svc.documents.export(view.id, fmt)
    return _attachment(data, media_type, export_filename(view.number or view.id, fmt))


@router.get(
    "/invoices/{invoice_id}/pdf",
    summary="The PDF of an issued invoice or credit note (always the file first issued)",
    response_class=Response,
    responses=_content("application/pdf"),
)
def pdf(svc: MemberServices, invoice_id: str) -> Response:
    from invoicer.services.documents import pdf_filename

    view = svc.invoices.get(invoice_id)
    result = svc.documents.render_pdf(view.id)
    response = _attachment(result.pdf, "application/pdf", pdf_filename(view.number or view.id))
    if result.missing_characters:  # drawn as "?": the caller may want to know
        response.headers["Invoicer-Missing-Characters"] = str(len(result.missing_characters))
    return response


@router.get(
    "/invoices/{invoice_id}/ubl",
    summary="UBL 2.1 e-invoice (Peppol BIS 3.0; peppol=false: plain EN 16931)",
    response_class=Response,
    responses=_content("application/xml"),
)
def ubl(
    svc: MemberServices,
    invoice_id: str,
    peppol: Annotated[
        bool, Query(description="Peppol BIS 3.0 (both parties need a Peppol id).")
    ] = True,
) -> Response:
    return _export(svc, invoice_id, "ubl" if peppol else "ubl-en16931", "application/xml")


@router.get(
    "/invoices/{invoice_id}/cii",
    summary="UN/CEFACT CII e-invoice (EN 16931)",
    response_class=Response,
    responses=_content("application/xml"),
)
def cii(svc: MemberServices, invoice_id: str) -> Response:
    return _export(svc, invoice_id, "cii", "application/xml")


@router.get(
    "/invoices/{invoice_id}/facturx",
    summary="Factur-X: the PDF/A-3 with its CII XML embedded",
    response_class=Response,
    responses=_content("application/pdf"),
)
def facturx(svc: MemberServices, invoice_id: str) -> Response:
    return _export(svc, invoice_id, "facturx", "application/pdf")
