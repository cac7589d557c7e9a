"""What a device may change through its pushed events, checked by the server before it
applies them (docs/sync.md "Push"): chains prove who wrote an event, not that the writer was
allowed to. A device changes only its own drafts, issues only from its own series, sets up,
changes and bills only the recurring templates it runs, and registers no devices (the server
does). An event that oversteps is kept in its chain,
without its effect, and recorded as refused, like any event that cannot be applied.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from invoicer.domain import numbering
from invoicer.store import schema
from invoicer.store.recurring_schema import RecurringTemplate
from invoicer.store.tenancy import shop_of

_EVENTS = schema.AuditEvent.__table__.c
_DEVICES = schema.Device.__table__.c
_MADE_BY = select(_EVENTS.device_id).where(
    _EVENTS.shop_id == bindparam("shop"),
    _EVENTS.entity == "invoice",
    _EVENTS.entity_id == bindparam("invoice"),
    _EVENTS.action == "invoice.create_draft",
)
_PREFIX = select(_DEVICES.series_prefix).where(
    _DEVICES.shop_id == bindparam("shop"), _DEVICES.id == bindparam("device")
)
_CREATES = ("invoice.create_draft",)
_TEMPLATES = RecurringTemplate.__table__.c
_RUNS_ON = select(_TEMPLATES.device_id).where(
    _TEMPLATES.shop_id == bindparam("shop"), _TEMPLATES.id == bindparam("template")
)


class Overstep:
    """The reasons, by event id, a device's batch oversteps what it may change."""

    def __init__(
        self, session: Session, device_id: str, chains: Sequence[str], history: bool
    ) -> None:
        self.session = session
        self.device_id = device_id
        self.chains = set(chains)
        self.made_here: dict[str, str] = {}  # invoice id -> chain, drafts made in this batch
        self.runs_on: dict[str, str] = {}  # template id -> its device, set up in this batch
        shop = shop_of(session)
        prefix = session.connection().execute(_PREFIX, {"shop": shop, "device": device_id})
        self.prefix = prefix.scalar() or ""
        self.history = history

    def reason(self, event: schema.AuditEvent) -> str | None:
        if event.entity == "device":
            if self.history and event.device_id != self.device_id:
                return None  # a store's own devices from before sync: kept as history
            if event.entity_id == self.device_id and self._same_series(event):
                return None  # the device noting its own registration, as the server made it
            return "Devices are registered by the server, not by another device's events."
        if event.entity in ("recurring_template", "recurring_run"):
            return self._recurring_reason(event)
        if event.entity != "invoice" or event.action == "invoice.pdf":
            return None  # any device may record the PDF it rendered of an issued document
        if event.action in _CREATES:
            self.made_here[event.entity_id] = event.device_id
            return None
        maker = self.made_here.get(event.entity_id) or self._maker(event.entity_id)
        if maker is not None and maker not in self.chains:
            return f"It changes a document device {maker} made, which only that device may."
        if event.action.endswith(".issue") or event.action == "invoice.issue":
            return self._series_reason(event)
        return None

    def _recurring_reason(self, event: schema.AuditEvent) -> str | None:
        """A template is set up, changed and billed by the device that runs it only
        (docs/recurring.md), so no period is ever billed by two devices."""
        try:
            row = json.loads(event.state)["row"]
            template_id = row["id"] if event.entity == "recurring_template" else row["template_id"]
        except (ValueError, KeyError, TypeError):
            return None  # the replay refuses a payload it cannot read, with its own reason
        runs_on = self.runs_on.get(template_id) or self._runs_on(template_id)
        if event.entity == "recurring_template":
            claimed = row.get("device_id")
            if runs_on is None:  # set up here: for itself only
                if claimed not in self.chains:
                    return "It sets up a recurring template for another device to run."
                self.runs_on[template_id] = claimed
                return None
            if claimed != runs_on:
                return "It hands a recurring template to another device."
        if runs_on is not None and runs_on not in self.chains:
            return f"It changes a recurring template device {runs_on} runs, which only it may."
        return None

    def _runs_on(self, template_id: str) -> str | None:
        found = self.session.connection().execute(
            _RUNS_ON, {"shop": shop_of(self.session), "template": template_id}
        )
        return found.scalar()

    def _same_series(self, event: schema.AuditEvent) -> bool:
        try:
            return bool(json.loads(event.state)["row"]["series_prefix"] == self.prefix)
        except (ValueError, KeyError, TypeError):
            return False

    def _maker(self, invoice_id: str) -> str | None:
        found = self.session.connection().execute(
            _MADE_BY, {"shop": shop_of(self.session), "invoice": invoice_id}
        )
        return found.scalar()

    def _series_reason(self, event: schema.AuditEvent) -> str | None:
        try:
            row = json.loads(event.state)["row"]
            series, kind = row["series"], row["kind"]
        except (ValueError, KeyError, TypeError):
            return None  # the replay refuses a payload it cannot read, with its own reason
        allowed = numbering.series_key(kind, self.prefix)
        if series == allowed:
            return None
        if self.history and event.device_id != self.device_id:
            return None  # the history numbered as the store did before sync
        return f"It issues from series {series}; this device issues from {allowed} only."
