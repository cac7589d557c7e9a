"""Real device stores for the sync API tests: a temporary SQLite store per device, real work
done through its services under the device's id, and its events in wire form."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from invoicer.services.app import Services, open_services
from invoicer.services.commands import NewCustomer, NewDraft, NewLine, ShopProfileChanges
from invoicer.services.context import FixedClock
from invoicer.services.sync.protocol import CLIENT_SCHEMA, SCHEMA_HEADER, event_to_wire
from invoicer.store import schema
from invoicer.store.audit import Writer, new_event
from tests.services.conftest import SHOP
from tests.store.devices import as_device

ADDRESS = {"street": "Kerkstraat 1", "postcode": "1017 GA", "city": "Amsterdam"}
DAY = dt.date(2026, 3, 2)


def register(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    made = client.post("/v1/sync/devices", headers=headers, json={"name": "Laptop", **body})
    assert made.status_code == 201, made.text
    return made.json()  # type: ignore[no-any-return]


def device_headers(token: str, schema_version: int = CLIENT_SCHEMA) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", SCHEMA_HEADER: str(schema_version)}


class DeviceStore:
    """One device's own store, working as `device_id` (its numbers from its series)."""

    def __init__(self, svc: Services, device_id: str) -> None:
        self.svc = svc
        self.device_id = device_id

    def customer(self, name: str = "Jan") -> str:
        with as_device(self.svc, self.device_id):
            return self.svc.customers.add(NewCustomer(name=name, country="NL", **ADDRESS)).id

    def invoice(self, customer: str, what: str = "Tea") -> str:
        with as_device(self.svc, self.device_id):
            draft = self.svc.invoices.create_draft(NewDraft(customer_id=customer))
            self.svc.invoices.add_line(
                draft.id, NewLine(description=what, unit_price="12.50", quantity="2")
            )
            return self.svc.invoices.issue(draft.id).number or ""

    def events(self, chain: str | None = None) -> list[dict[str, Any]]:
        """The store's events of `chain` (default: the device's own) in wire form."""
        with self.svc.db.read() as session:
            rows = session.execute(
                select(schema.AuditEvent)
                .where(schema.AuditEvent.device_id == (chain or self.device_id))
                .order_by(schema.AuditEvent.device_seq)
            ).scalars()
            return [event_to_wire(row) for row in rows]

    def all_events(self) -> list[dict[str, Any]]:
        with self.svc.db.read() as session:
            rows = session.execute(select(schema.AuditEvent).order_by(schema.AuditEvent.seq))
            return [event_to_wire(row) for row in rows.scalars()]


@contextlib.contextmanager
def device_store(folder: Path, registered: dict[str, Any]) -> Iterator[DeviceStore]:
    """A store for a registered device (the body /v1/sync/devices answered): the shop's
    profile set and the device registered in it with the server's code and prefix, as the
    sync client does at setup."""
    folder.mkdir(parents=True, exist_ok=True)
    with open_services(folder / "store.sqlite", clock=FixedClock.on(DAY)) as svc:
        store = DeviceStore(svc, registered["device_id"])
        # The profile as the store had it before sync (a new device pulls the shop's).
        svc.shop.save(ShopProfileChanges(**SHOP))
        with as_device(svc, store.device_id):
            svc.devices.register(
                registered["device_id"], registered["code"], registered["series_prefix"]
            )
        yield store


def crafted(after: dict[str, Any], action: str, entity: str, entity_id: str, state: Any) -> Any:
    """The event a device would write after `after` (wire form) with this payload, hashed
    as it would hash it (for payloads real work never makes)."""
    noon = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
    writer = Writer("tester", after["device_id"], lambda: noon)
    event = new_event(
        writer, after["device_seq"] + 1, after["hash"], action, entity, entity_id, state
    )
    return event_to_wire(event)
