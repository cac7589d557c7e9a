"""Where Invoicer keeps its files: the platform's user data and config dirs (platformdirs)."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "invoicer"


def data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def backup_log() -> Path:
    """Where `invoicer backup` notes each good copy it made (store/backups.py), so that a
    damaged database's message can point to the newest one."""
    return data_dir() / "backups.jsonl"


def db_location(configured: str | None) -> Path:
    """INVOICER_DB if set, else the db_path setting (`configured`), else invoicer.sqlite in
    the data dir (the local app reads the setting: services/local.py default_db_path)."""
    override = os.environ.get("INVOICER_DB")
    if override:
        return Path(override).expanduser()
    return Path(configured) if configured else data_dir() / "invoicer.sqlite"
