"""Recurring templates over the API: a template made here is the server's, which bills it
hourly (`invoicer serve` runs the catch-up; docs/recurring.md); one a device made stays that
device's to change. Thin callers of services/recurring."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path
from fastapi.responses import JSONResponse

from invoicer.server.auth import MemberServices
from invoicer.server.routes.common import answer, listing
from invoicer.server.routes.common import router as make_router
from invoicer.server.serialise import plain
from invoicer.server.strict import strict
from invoicer.services.commands import NewRecurring, RecurringChanges
from invoicer.services.recurring import views
from invoicer.services.recurring.catch_up import run_due

router = make_router("recurring invoices")

TemplateId = Annotated[str, Path(max_length=64)]


def _body(view: views.Template) -> dict[str, Any]:
    body: dict[str, Any] = plain(view)
    body.pop("runs_here", None)  # a device's notion; the server's own have device_id "server"
    return body


def template_answer(view: views.Template, status: int = 200) -> JSONResponse:
    return answer(_body(view), status, "recurring_template")


@router.get("/recurring", summary="The shop's recurring templates")
def templates(svc: MemberServices) -> JSONResponse:
    items = [_body(view) for view in svc.recurring.list()]
    return listing(items, object_name="recurring_template", next_cursor=None, total=len(items))


@router.post(
    "/recurring",
    status_code=201,
    summary="Set up a recurring template (the server bills it)",
)
def create_template(
    svc: MemberServices,
    body: strict(NewRecurring),  # type: ignore[valid-type]
) -> JSONResponse:
    return template_answer(svc.recurring.create(body), 201)


@router.get("/recurring/{template_id}", summary="A recurring template")
def template(svc: MemberServices, template_id: TemplateId) -> JSONResponse:
    return template_answer(svc.recurring.get(template_id))


@router.patch(
    "/recurring/{template_id}",
    summary="Change a template (from the next invoice on; the fields given)",
)
def update_template(
    svc: MemberServices,
    template_id: TemplateId,
    body: strict(RecurringChanges),  # type: ignore[valid-type]
) -> JSONResponse:
    return template_answer(svc.recurring.update(template_id, body))


@router.post("/recurring/{template_id}/pause", summary="Pause a template: it bills nothing")
def pause_template(svc: MemberServices, template_id: TemplateId) -> JSONResponse:
    return template_answer(svc.recurring.pause(template_id))


@router.post("/recurring/{template_id}/resume", summary="Resume a paused template")
def resume_template(svc: MemberServices, template_id: TemplateId) -> JSONResponse:
    return template_answer(svc.recurring.resume(template_id))


@router.get("/recurring/{template_id}/invoices", summary="The invoices a template made")
def template_runs(svc: MemberServices, template_id: TemplateId) -> JSONResponse:
    items = [plain(made) for made in svc.recurring.runs(template_id)]
    return listing(items, object_name="recurring_invoice", next_cursor=None, total=len(items))


@router.post(
    "/recurring/run",
    summary="Make the server's templates' invoices due now (the hourly run, at once)",
)
def run_now(svc: MemberServices) -> JSONResponse:
    report = run_due(svc)
    return answer(
        {
            "made": [plain(made) for made in report.made],
            "failed": [plain(failed) for failed in report.failed],
            "mailed": list(report.mailed),
            "summary": report.summary(),
        },
        object_name="recurring_run",
    )
