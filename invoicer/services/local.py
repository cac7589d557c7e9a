"""The local app's composition root: the only place in invoicer/services that reads ambient
state (the OS user, the system clock, the settings file, the OS keyring).

Everything else in invoicer/services gets these through a ServiceContext
(tests/services/test_no_ambient_state.py holds the rule and names the functions below as the
only exceptions).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from invoicer.domain.errors import ValidationError
from invoicer.services.context import Clock, SecretStore, ServiceContext
from invoicer.services.paths import db_location
from invoicer.services.settings import Settings

LOCAL_DEVICE = "local"


@dataclass(frozen=True, slots=True)
class SystemClock:
    def today(self) -> dt.date:
        return dt.date.today()

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


def read_settings() -> tuple[Settings, ValidationError | None]:
    """The settings as they are now; a file or variable that cannot be read gives the safe
    defaults and the reason (raised by what needs the settings, ServiceContext.require_settings),
    so that a broken settings file never stops the merchant from opening their shop."""
    from invoicer.services.settings import SettingsService

    try:
        return SettingsService().get(), None
    except ValidationError as error:
        return Settings(), error


def default_db_path() -> Path:
    """Where the local app's database is: INVOICER_DB, the db_path setting or the data dir (a
    settings file that cannot be read is said, rather than opening another database)."""
    from invoicer.services.settings import SettingsService

    return db_location(SettingsService().get().db_path)


def local_context(
    *,
    clock: Clock | None = None,
    settings: Settings | None = None,
    secrets: SecretStore | None = None,
    shop_id: str | None = None,
) -> ServiceContext:
    import getpass

    try:
        actor = getpass.getuser()
    except (KeyError, OSError):  # no user name in containers without a passwd entry
        actor = "unknown"
    error = None
    if settings is None:
        settings, error = read_settings()
    if secrets is None:
        from invoicer.integrations.secrets import KeyringSecrets

        secrets = KeyringSecrets()
    return ServiceContext(
        actor=actor,
        device_id=LOCAL_DEVICE,
        shop_id=shop_id,
        clock=clock or SystemClock(),
        settings=settings,
        secrets=secrets,
        settings_error=error,
    )
