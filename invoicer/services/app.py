"""The one entry point front-ends use: `open_services(path)` -> Services."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from invoicer.domain.errors import NotFound
from invoicer.services import areas
from invoicer.services.audit import AuditService
from invoicer.services.base import Service
from invoicer.services.context import Clock, DayClock, ServiceContext
from invoicer.services.credit_notes import CreditNoteService
from invoicer.services.customers import CustomerService
from invoicer.services.devices import DeviceService
from invoicer.services.invoices import InvoiceService
from invoicer.services.merchant_stats import MerchantStatsService
from invoicer.services.paths import backup_log
from invoicer.services.payments import PaymentService
from invoicer.services.products import ProductService
from invoicer.services.quotes import QuoteService
from invoicer.services.recurring.catch_up import CatchUp
from invoicer.services.recurring.templates import RecurringService
from invoicer.services.reports import ReportService
from invoicer.services.shop import ShopService
from invoicer.store.audit import LOCAL_DEVICE
from invoicer.store.database import Database, is_url, open_database

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from invoicer.services.sync.client import SyncEngine


class Services:
    """Every use case of one open database, for one service context (who, where, when)."""

    def __init__(self, db: Database, ctx: ServiceContext) -> None:
        self.db = db
        # A store linked to a sync server writes as the device the server registered
        # (services/sync/link.py): asked once here, for the local app's context only.
        self._linked_device: str | None = None
        if ctx.device_id == LOCAL_DEVICE:
            from invoicer.services.sync.link import linked_device

            self._linked_device = linked_device(db, ctx.shop_id)
        ctx = self._as_linked(ctx)
        self.ctx = ctx
        self.shop = ShopService(db, ctx)
        self.customers = CustomerService(db, ctx)
        self.products = ProductService(db, ctx)
        self.invoices = InvoiceService(db, ctx)
        self.credit_notes = CreditNoteService(db, ctx, self.invoices)
        self.quotes = QuoteService(db, ctx, self.invoices)
        self.payments = PaymentService(db, ctx)
        self.reports = ReportService(db, ctx)
        self.merchant_stats = MerchantStatsService(db, ctx)
        self.audit = AuditService(db, ctx)
        self.devices = DeviceService(db, ctx)
        self.recurring = RecurringService(db, ctx)
        self.recurring_runs = CatchUp(db, ctx)

    # The use cases written as functions of the services (services/areas.py), built on first
    # use so that opening the services imports no PDF, SOAP, Stripe or web3 code.
    @functools.cached_property
    def vies(self) -> areas.Vies:
        return areas.Vies(self)

    @functools.cached_property
    def documents(self) -> areas.Documents:
        return areas.Documents(self)

    @functools.cached_property
    def payment_requests(self) -> areas.PaymentRequests:
        return areas.PaymentRequests(self)

    @functools.cached_property
    def stripe(self) -> areas.Stripe:
        return areas.Stripe(self)

    @functools.cached_property
    def crypto(self) -> areas.Crypto:
        return areas.Crypto(self)

    @functools.cached_property
    def bank(self) -> areas.Bank:
        return areas.Bank(self)

    @functools.cached_property
    def transfer(self) -> areas.Transfer:
        return areas.Transfer(self)

    @functools.cached_property
    def sync(self) -> SyncEngine:
        from invoicer.services.sync.client import SyncEngine

        return SyncEngine(self)

    @functools.cached_property
    def mail(self) -> areas.Mail:
        return areas.Mail(self)

    @functools.cached_property
    def demo(self) -> areas.Demo:
        return areas.Demo(self)

    def _services(self) -> tuple[Service, ...]:
        return (
            self.shop,
            self.customers,
            self.products,
            self.invoices,
            self.credit_notes,
            self.quotes,
            self.payments,
            self.reports,
            self.merchant_stats,
            self.audit,
            self.devices,
            self.recurring,
            self.recurring_runs,
        )

    def today(self) -> dt.date:
        return self.ctx.clock.today()

    def _as_linked(self, ctx: ServiceContext) -> ServiceContext:
        if self._linked_device and ctx.device_id == LOCAL_DEVICE:
            return replace(ctx, device_id=self._linked_device)
        return ctx

    def link_device(self, device_id: str) -> None:
        """Write as `device_id` from now on (sync set-up just linked this store)."""
        self._linked_device = device_id
        self.use_context(replace(self.ctx, device_id=device_id))

    def use_context(self, ctx: ServiceContext) -> None:
        """Go on with another context (changed settings, a day fixed for back-dated work)."""
        ctx = self._as_linked(ctx)
        self.ctx = ctx
        for service in self._services():
            service.ctx = ctx

    @property
    def path(self) -> Path:
        """The SQLite file (NotAFile for a PostgreSQL database)."""
        return self.db.path

    def reload_settings(self) -> None:
        """Use the settings as they are now (after a front-end changed them)."""
        from invoicer.services.local import read_settings

        settings, error = read_settings()
        self.use_context(replace(self.ctx, settings=settings, settings_error=error))

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A read transaction that sees this context's shop (None: the file's one shop)."""
        with self.db.read(shop_id=self.ctx.shop_id) as session:
            yield session

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction for this context's shop whose audit events are by its actor
        and device."""
        with self.db.write(writer=self.ctx.writer(), shop_id=self.ctx.shop_id) as session:
            yield session

    def resolve(self, kind: str, id_or_prefix: str) -> str:
        """A full id from the short form lists print (kind: customer, product, invoice)."""
        from invoicer.services.lookup import resolve_id

        return resolve_id(self.db, kind, id_or_prefix, self.ctx.shop_id)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Services:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class NoDatabase(NotFound):
    """There is no database file where the user pointed (a mistyped --db, most often)."""


def open_services(
    db_path: Path | str | None = None,
    *,
    ctx: ServiceContext | None = None,
    clock: Clock | None = None,
    today: Callable[[], dt.date] | None = None,
    on_upgrade: Callable[[str], None] | None = None,
    create: bool = True,
) -> Services:
    """Open (creating or upgrading) the database at `db_path` (default: the user data dir).

    `on_upgrade(message)` gets a sentence for the user before an existing file is upgraded.
    `create=False`: a missing file is refused (NoDatabase) instead of created, so a mistyped
    path never silently starts an empty shop.

    `ctx`: who works, where and when (default: the local app's, ServiceContext.local, with
    `clock`, or a clock whose day is `today()`, the shorthand tests and benches use).
    """
    if ctx is None:
        from invoicer.services.local import SystemClock

        if clock is None and today is not None:
            clock = DayClock(today, SystemClock())
        ctx = ServiceContext.local(clock=clock)
    elif clock is not None or today is not None:
        raise TypeError("open_services: give a ctx or a clock/today, not both")
    if isinstance(db_path, str) and is_url(db_path):
        return Services(open_database(db_path), ctx)
    if db_path is None:
        from invoicer.services.local import default_db_path

        db_path = default_db_path()
    path = Path(db_path).expanduser()
    if not create and not path.exists():
        raise NoDatabase(
            f"There is no Invoicer database at {path}. Check the path, or create one there "
            f"with `invoicer --db {path} init` (your shop) or `invoicer --db {path} demo` "
            "(a sample shop)."
        )

    def notice(backup: Path) -> None:
        if on_upgrade is not None:
            on_upgrade(
                f"Upgrading {path.name} for this version of Invoicer; "
                f"the file as it was is kept as {backup.name}."
            )

    return Services(open_database(path, notice, backup_log()), ctx)
