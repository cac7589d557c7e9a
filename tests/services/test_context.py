"""The service context decides who writes, from which device and when: dates, timestamps and
the audit trail follow its clock and its actor, never the machine's."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from invoicer.domain.errors import ValidationError
from invoicer.integrations.secrets import KeyringSecrets
from invoicer.services.app import Services, open_services
from invoicer.services.commands import (
    NewCreditNote,
    NewCustomer,
    NewDraft,
    NewLine,
    RecordPayment,
    ShopProfileChanges,
)
from invoicer.services.context import DayClock, FixedClock, ServiceContext
from invoicer.services.local import SystemClock
from invoicer.services.settings import Settings
from invoicer.store.audit import Writer
from tests.services.conftest import SHOP

# Far from the real date, so nothing can pass by following the machine's clock.
AT = dt.datetime(2031, 7, 15, 9, 30, 5, tzinfo=dt.UTC)


def context(clock: Any = None, **changes: Any) -> ServiceContext:
    ctx = ServiceContext(
        actor="ana@shop.example",
        device_id="device-7",
        shop_id=None,  # the file's one shop
        clock=clock or FixedClock(AT),
        settings=Settings(),
        secrets=KeyringSecrets(),
    )
    return dataclasses.replace(ctx, **changes)


def audit_rows(path: Path) -> list[tuple[str, str, str]]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT at, actor, action FROM audit_events ORDER BY seq").fetchall()


@pytest.fixture
def writers(monkeypatch: pytest.MonkeyPatch) -> list[Writer | None]:
    """Every writer a write transaction was opened with."""
    from invoicer.store.database import Database

    seen: list[Writer | None] = []
    write = Database.write

    @contextlib.contextmanager
    def spy(self: Database, writer: Writer | None = None, **options: Any) -> Iterator[Any]:
        seen.append(writer)
        with write(self, writer, **options) as session:
            yield session

    monkeypatch.setattr(Database, "write", spy)
    return seen


def issue_one(svc: Services) -> Any:
    svc.shop.save(ShopProfileChanges(**SHOP))
    customer = svc.customers.add(
        NewCustomer(
            name="Jan Jansen", country="NL", street="Kerkstraat 1", postcode="1017 GA",
            city="Amsterdam",
        )
    )  # fmt: skip
    draft = svc.invoices.create_draft(NewDraft(customer_id=customer.id))
    svc.invoices.add_line(draft.id, NewLine(description="Tea", quantity="3", unit_price="1.05"))
    return svc.invoices.issue(draft.id)


def test_a_fixed_clock_dates_everything_and_the_actor_signs_every_event(
    tmp_path: Path, writers: list[Writer | None]
) -> None:
    path = tmp_path / "ctx.sqlite"
    with open_services(path, ctx=context()) as svc:
        invoice = issue_one(svc)
        payment = svc.payments.add(invoice.id, RecordPayment(amount="1.00"))
        dashboard = svc.reports.dashboard()
        note = svc.credit_notes.create(invoice.id, NewCreditNote(reason="Returned"))

    day = AT.date()
    assert invoice.issue_date == day
    assert invoice.due_date == day + dt.timedelta(days=14)  # the shop's payment terms
    assert invoice.number == f"INV-{day.year}-000001"  # the series' year is the clock's
    assert payment.date == day
    assert (note.issue_date, note.number) == (day, f"CN-{day.year}-000001")
    # Open, not overdue: due 14 days after the clock's day (years after the real one).
    assert (dashboard.open_total, dashboard.overdue_total) == (invoice.gross - 1, 0)
    assert dashboard.revenue_30d == invoice.net
    events = audit_rows(path)
    assert len(events) >= 6
    stamp = AT.strftime("%Y-%m-%d %H:%M:%S.%f")  # naive UTC, as the store keeps time
    assert {(at, actor) for at, actor, _ in events} == {(stamp, "ana@shop.example")}
    with contextlib.closing(sqlite3.connect(path)) as db:
        issued_at = {row[0] for row in db.execute("SELECT issued_at FROM invoices")}
    assert issued_at == {stamp}
    # Every write carried the context's writer: its actor, its device, its clock.
    assert writers
    assert all(w is not None for w in writers)
    assert {(w.actor, w.device_id, w.now()) for w in writers if w} == {
        ("ana@shop.example", "device-7", AT.replace(tzinfo=None))
    }


def test_moving_the_clock_moves_the_dates(tmp_path: Path) -> None:
    later = AT + dt.timedelta(days=200)
    with open_services(tmp_path / "ctx.sqlite", ctx=context()) as svc:
        first = issue_one(svc)
        svc.use_context(context(FixedClock(later)))
        draft = svc.invoices.create_draft(NewDraft(customer_id=first.customer_id))
        svc.invoices.add_line(draft.id, NewLine(description="Tea", quantity="1", unit_price="1.05"))
        second = svc.invoices.issue(draft.id)
        assert svc.invoices.get(first.id).status == "overdue"  # by the new clock
    assert (first.issue_date, second.issue_date) == (AT.date(), later.date())
    assert second.number == f"INV-{later.year}-000001"


def test_the_services_work_for_the_contexts_shop(tmp_path: Path) -> None:
    path = tmp_path / "ctx.sqlite"
    with open_services(path, ctx=context()) as svc:
        invoice = issue_one(svc)
        own = svc.db.local_shop_id
    assert own is not None
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute("INSERT INTO shops (id, created_at) VALUES ('other-shop', '2031-01-01')")
    with open_services(path, ctx=context(shop_id=own)) as svc:
        assert [i.id for i in svc.invoices.list().items] == [invoice.id]
        assert svc.resolve("invoice", invoice.id[:8]) == invoice.id
    with open_services(path, ctx=context(shop_id="other-shop")) as svc:
        assert svc.invoices.list().items == ()  # another shop's context sees none of them
        assert svc.customers.list().items == ()


def test_the_actor_is_the_contexts_not_the_os_user(tmp_path: Path) -> None:
    path = tmp_path / "ctx.sqlite"
    with open_services(path, ctx=context(actor="bob@shop.example")) as svc:
        svc.shop.save(ShopProfileChanges(**SHOP))
    assert {actor for _, actor, _ in audit_rows(path)} == {"bob@shop.example"}


def test_the_local_context_is_the_os_user_on_this_device() -> None:
    import getpass

    ctx = ServiceContext.local(clock=FixedClock(AT))
    assert (ctx.actor, ctx.device_id, ctx.shop_id) == (getpass.getuser(), "local", None)
    assert isinstance(ctx.secrets, KeyringSecrets)
    assert ctx.clock.today() == AT.date()
    assert isinstance(ServiceContext.local().clock, SystemClock)


def test_the_context_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        context().actor = "mallory"  # type: ignore[misc]


def test_a_fixed_clock_is_timezone_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        FixedClock(dt.datetime(2031, 7, 15, 9, 30))
    assert FixedClock.on(dt.date(2031, 7, 15)).now() == dt.datetime(2031, 7, 15, 12, tzinfo=dt.UTC)


def test_a_day_clock_takes_its_day_from_a_callable_and_its_instant_from_another_clock() -> None:
    clock = DayClock(lambda: dt.date(2031, 1, 2), FixedClock(AT))
    assert (clock.today(), clock.now()) == (dt.date(2031, 1, 2), AT)


def test_settings_come_from_the_context(tmp_path: Path) -> None:
    warn = dataclasses.replace(Settings(), vies_policy="warn", vies_max_age_days=7)
    with open_services(tmp_path / "ctx.sqlite", ctx=context(settings=warn)) as svc:
        assert (svc.invoices.vies_policy, svc.invoices.vies_max_age_days) == ("warn", 7)


def test_unreadable_settings_keep_the_defaults_and_refuse_what_needs_them(
    tmp_path: Path,
) -> None:
    from invoicer.services.payments_crypto import require_crypto_settings

    broken = ValidationError.single("settings", "unreadable", "settings.toml is not valid TOML")
    ctx = context(settings_error=broken)
    with open_services(tmp_path / "ctx.sqlite", ctx=ctx) as svc:
        assert svc.invoices.vies_policy == "block"  # the safe default
        with pytest.raises(ValidationError, match="not valid TOML"):
            require_crypto_settings(svc)


def test_a_context_and_a_clock_are_not_given_together(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        open_services(tmp_path / "x.sqlite", ctx=context(), clock=FixedClock(AT))
    assert not (tmp_path / "x.sqlite").exists()


# Building blocks of other use cases (the Stripe and crypto ones), not use cases themselves.
INTERNAL = {
    "payment_requests.add",
    "payment_requests.set_status",
    "payments_bank.invoice_for_reference",  # a lookup the bank import and webhooks share
    "payments_stripe.stripe_client",  # the client the Stripe use cases share
}


def test_every_use_case_is_reachable_from_the_one_services_object(tmp_path: Path) -> None:
    import ast
    import functools
    import importlib

    from tests.conftest import REPO_ROOT

    with open_services(tmp_path / "ctx.sqlite", ctx=context()) as svc:
        areas = [
            getattr(svc, name)
            for name, member in vars(type(svc)).items()
            if isinstance(member, functools.cached_property)
        ]
        reachable = {
            (bound.func.__module__, bound.func.__name__)
            for area in areas
            for bound in vars(area).values()
            if isinstance(bound, functools.partial)
        }
    wanted = set()
    for path in sorted((REPO_ROOT / "invoicer" / "services").glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (
                isinstance(node, ast.FunctionDef)
                and not node.name.startswith("_")
                and node.args.args
                and node.args.args[0].arg == "svc"
                and f"{path.stem}.{node.name}" not in INTERNAL
            ):
                module = importlib.import_module(f"invoicer.services.{path.stem}")
                wanted.add((module.__name__, getattr(module, node.name).__name__))
    assert len(wanted) > 15  # the search found the use cases
    assert wanted <= reachable, wanted - reachable


def test_a_context_for_another_shop_sees_and_writes_only_that_shop(tmp_path: Path) -> None:
    from invoicer.domain.errors import NotFound
    from invoicer.store import schema

    with open_services(tmp_path / "ctx.sqlite", ctx=context()) as svc:
        mine = issue_one(svc)
        with svc.db.write() as session:
            other = schema.Tenant()
            session.add(other)
        svc.use_context(context(shop_id=other.id))
        assert svc.customers.list().items == ()
        theirs = svc.customers.add(NewCustomer(name="Hans Huber", country="AT"))
        assert [c.id for c in svc.customers.list().items] == [theirs.id]
        with pytest.raises(NotFound):
            svc.invoices.get(mine.id)
        svc.use_context(context(shop_id=svc.db.local_shop_id))
        assert {c.id for c in svc.customers.list().items} == {mine.customer_id}
