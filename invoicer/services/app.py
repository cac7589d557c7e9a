"""The one entry point front-ends use: `open_services(path)` -> Services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from invoicer.domain.errors import NotFound
from invoicer.services.audit import AuditService
from invoicer.services.credit_notes import CreditNoteService
from invoicer.services.customers import CustomerService
from invoicer.services.devices import DeviceService
from invoicer.services.invoices import InvoiceService
from invoicer.services.paths import backup_log, default_db_path
from invoicer.services.payments import PaymentService
from invoicer.services.products import ProductService
from invoicer.services.reports import ReportService
from invoicer.services.shop import ShopService
from invoicer.store.database import Database, open_database


class Services:
    """Every use case of one open database."""

    def __init__(self, db: Database, today: Callable[[], dt.date] = dt.date.today) -> None:
        self.db = db
        self.path = db.path
        self.today = today
        self.shop = ShopService(db, today)
        self.customers = CustomerService(db, today)
        self.products = ProductService(db, today)
        self.invoices = InvoiceService(db, today)
        self._apply_settings()
        self.credit_notes = CreditNoteService(db, self.invoices, today=today)
        self.payments = PaymentService(db, today)
        self.reports = ReportService(db, today)
        self.audit = AuditService(db, today)
        self.devices = DeviceService(db, today)

    def reload_settings(self) -> None:
        """Use the settings as they are now (after a front-end changed them)."""
        self._apply_settings()

    def _apply_settings(self) -> None:
        """The VIES policy and age limit come from the user's settings (if readable)."""
        from invoicer.domain.errors import ValidationError
        from invoicer.services.settings import SettingsService

        try:
            settings = SettingsService().get()
        except ValidationError:
            return  # a broken settings file keeps the safe defaults (block, 30 days)
        self.invoices.vies_policy = settings.vies_policy
        self.invoices.vies_max_age_days = settings.vies_max_age_days
        self.invoices.max_future_issue_days = settings.max_future_issue_days

    def resolve(self, kind: str, id_or_prefix: str) -> str:
        """A full id from the short form lists print (kind: customer, product, invoice)."""
        from invoicer.services.lookup import resolve_id

        return resolve_id(self.db, kind, id_or_prefix)

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
    today: Callable[[], dt.date] = dt.date.today,
    on_upgrade: Callable[[str], None] | None = None,
    create: bool = True,
) -> Services:
    """Open (creating or upgrading) the database at `db_path` (default: the user data dir).

    `on_upgrade(message)` gets a sentence for the user before an existing file is upgraded.
    `create=False`: a missing file is refused (NoDatabase) instead of created, so a mistyped
    path never silently starts an empty shop.
    """
    path = Path(db_path).expanduser() if db_path is not None else default_db_path()
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

    return Services(open_database(path, notice, backup_log()), today)
