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


def default_db_path() -> Path:
    """INVOICER_DB if set, else invoicer.sqlite in the user data dir."""
    override = os.environ.get("INVOICER_DB")
    return Path(override).expanduser() if override else data_dir() / "invoicer.sqlite"
