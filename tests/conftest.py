"""Keep the developer's machine out of every test.

Every test gets its own HOME and XDG dirs under tmp_path, so platformdirs (data, config,
cache, logs) points into the test's own folder; INVOICER_* variables from the caller's
shell are dropped; Qt runs offscreen; Stripe's library never writes a telemetry file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before any PySide6 import: without a display Qt would abort the whole run.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["TZ"] = "UTC"

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"

# memory_keyring and no_keyring, for every test directory.
from tests.keyrings import memory_keyring, no_keyring  # noqa: E402, F401
from tests.pg_server import PgServer, running_server  # noqa: E402

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One real PostgreSQL server for the whole run (per xdist worker), started on first use."""
    yield from running_server()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """An empty, migrated PostgreSQL database of its own for the test."""
    url = pg_server.new_database()
    yield url
    pg_server.release(url)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Which store the test runs against; PostgreSQL starts only if a test asks for it."""
    return str(request.param)


@pytest.fixture
def db_target(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Path | str:
    """Where the test's store lives: a new SQLite file, or a new PostgreSQL database's URL."""
    if backend == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return tmp_path / "invoicer.sqlite"


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    home.mkdir()
    for name in list(os.environ):
        if name.startswith("INVOICER_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))
    for var, sub in [
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
    ]:
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    return home


@pytest.fixture
def shared_dir() -> Path:
    """../shared beside the checkout (tests may read it; the app never does)."""
    if not SHARED.is_dir():
        pytest.fail(f"{SHARED} is missing: CI runs with ../shared beside the checkout")
    return SHARED
