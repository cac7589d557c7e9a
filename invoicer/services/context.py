"""Who calls the services, from where, at what time, with which settings and secrets.

One immutable `ServiceContext` is given to the services when they are built (services/app.py),
so nothing in `invoicer/services` reads ambient state (the OS user, the system clock, the
settings file, the keyring): the local app builds its context in one place
(services/local.py), a server will build one per request, tests build one with a FixedClock.

Kept free of SQLAlchemy imports: the terminal UI's first look (services/first_look.py) runs
before the store is imported and takes its clock from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from invoicer.services.settings import Settings

if TYPE_CHECKING:
    from invoicer.domain.errors import ValidationError
    from invoicer.integrations.secrets import SecretsStatus
    from invoicer.store.audit import Writer


class Clock(Protocol):
    def today(self) -> dt.date:
        """The merchant's calendar day."""
        ...

    def now(self) -> dt.datetime:
        """The current instant, timezone-aware in UTC."""
        ...


@dataclass(frozen=True, slots=True)
class FixedClock:
    """A clock that stands still at `at` (tests, demos, back-dated work)."""

    at: dt.datetime

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime (UTC).")

    @classmethod
    def on(cls, day: dt.date, time: dt.time = dt.time(12)) -> FixedClock:
        """The clock at `time` UTC (noon by default) on `day`."""
        return cls(dt.datetime.combine(day, time, tzinfo=dt.UTC))

    def today(self) -> dt.date:
        return self.at.date()

    def now(self) -> dt.datetime:
        return self.at.astimezone(dt.UTC)


@dataclass(frozen=True, slots=True)
class DayClock:
    """The day from a callable, the instant from another clock: what `open_services(today=...)`
    (a fixed or test-controlled day) has always meant."""

    day: Callable[[], dt.date]
    base: Clock

    def today(self) -> dt.date:
        return self.day()

    def now(self) -> dt.datetime:
        return self.base.now()


class SecretStore(Protocol):
    """Where secrets live (the OS keyring for the local app: integrations/secrets.py)."""

    def get_secret(self, name: str) -> str | None: ...

    def optional_secret(self, name: str) -> str | None: ...

    def set_secret(self, name: str, value: str) -> None: ...

    def delete_secret(self, name: str) -> bool: ...

    def status(self) -> SecretsStatus: ...


@dataclass(frozen=True, slots=True)
class ServiceContext:
    actor: str  # a user id or e-mail; the OS user for the local app
    device_id: str  # "local" until devices are registered (sync)
    shop_id: str | None  # the tenant; the local app's file has one shop
    clock: Clock
    settings: Settings
    secrets: SecretStore
    # A settings file that could not be read: the safe defaults are in `settings`, and what
    # needs a setting the user may have changed (VIES, payments) raises this (require_settings).
    settings_error: ValidationError | None = field(default=None, compare=False)

    @classmethod
    def local(
        cls,
        *,
        clock: Clock | None = None,
        settings: Settings | None = None,
        secrets: SecretStore | None = None,
        shop_id: str | None = None,
    ) -> ServiceContext:
        """The local app's context: the OS user, this device, the system clock, the settings
        as they are now and the OS keyring (each replaceable)."""
        from invoicer.services.local import local_context

        return local_context(clock=clock, settings=settings, secrets=secrets, shop_id=shop_id)

    def require_settings(self) -> Settings:
        """The settings, or the reason the settings file could not be read."""
        if self.settings_error is not None:
            raise self.settings_error
        return self.settings

    def stored_now(self) -> dt.datetime:
        """Now as the store keeps timestamps: naive UTC."""
        return self.clock.now().astimezone(dt.UTC).replace(tzinfo=None)

    def writer(self) -> Writer:
        """Who a write transaction's audit events are by (store/audit.py)."""
        from invoicer.store.audit import Writer

        return Writer(self.actor, self.device_id, self.stored_now)
