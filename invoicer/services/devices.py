"""The devices of a shop (DESIGN.md §11): each registered device issues from its own
gap-free number series, set here once, so that devices never need the network to number.

A store with no registered device numbers as it always did; the first device of a shop is
registered with the empty prefix to keep those numbers, each further one with its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from invoicer.domain import numbering
from invoicer.domain.errors import Conflict, Problem, ValidationError
from invoicer.services import views
from invoicer.services.base import Service
from invoicer.store import audit, schema
from invoicer.store.event_state import row_state

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def _view(row: schema.Device) -> views.Device:
    return views.Device(row.id, row.code, row.series_prefix, row.registered_at)


class DeviceService(Service):
    def register(self, device_id: str, code: str, series_prefix: str | None = None) -> views.Device:
        """Register a device; its numbers carry `series_prefix` (default: its code; "" keeps
        the shop's formats, for one device only)."""
        code = (code or "").strip().upper()
        prefix = code if series_prefix is None else series_prefix.strip().upper()
        device_id = (device_id or "").strip()
        problems = []
        if not device_id or len(device_id) > 64:
            problems.append(Problem("device_id", "invalid", "A device id is 1 to 64 characters."))
        if not code or numbering.check_prefix(code):
            problems.append(
                Problem("code", "invalid", "A device code is 1 to 8 capital letters or digits.")
            )
        why = numbering.check_prefix(prefix)
        if why:
            problems.append(Problem("series_prefix", "invalid", why))
        if problems:
            raise ValidationError(problems)
        with self._write() as session:
            return self.register_in(session, device_id, code, prefix)

    def register_in(self, session: Session, device_id: str, code: str, prefix: str) -> views.Device:
        """Register a checked device inside the caller's write transaction (the sync server
        registers devices in the transaction that starts the shop's feed)."""
        taken = session.execute(
            select(schema.Device).where(
                (schema.Device.id == device_id)
                | (schema.Device.code == code)
                | (schema.Device.series_prefix == prefix)
            )
        ).scalar()
        if taken is not None:
            raise Conflict(_taken(taken, device_id, code, prefix))
        row = schema.Device(
            id=device_id,
            code=code,
            series_prefix=prefix,
            registered_at=self.now(),
        )
        session.add(row)
        session.flush()
        audit.append(session, "device.register", "device", row.id, {"row": row_state(row)})
        return _view(row)

    def list(self) -> tuple[views.Device, ...]:
        with self._read() as session:
            rows = session.execute(select(schema.Device).order_by(schema.Device.registered_at))
            return tuple(_view(row) for row in rows.scalars())


def _taken(row: schema.Device, device_id: str, code: str, prefix: str) -> str:
    if row.id == device_id:
        return f"Device {device_id} is already registered (code {row.code})."
    if row.code == code:
        return f"Device {row.id} already has the code {code}."
    shown = prefix or "the shop's own number formats"
    return f"Device {row.code} already issues from {shown}: choose another series prefix."
