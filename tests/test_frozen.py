"""Inside a PyInstaller bundle: resources come from sys._MEIPASS, user files never sit next
to the executable, and the built bundles pass scripts/package-smoke (opt-in, slow)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from invoicer import resources
from invoicer.services import local, paths


@pytest.fixture
def frozen_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Pretend to run from a one-folder bundle unpacked in tmp_path/bundle."""
    bundle = tmp_path / "bundle"
    (bundle / "resources" / "vat").mkdir(parents=True)
    (bundle / "resources" / "vat" / "rates.json").write_text('{"bundled": true}', "utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    monkeypatch.setattr(sys, "executable", str(bundle / "invoicer"))
    resources._root.cache_clear()
    yield bundle
    resources._root.cache_clear()


def test_resources_come_from_the_bundle_when_frozen(frozen_bundle: Path) -> None:
    assert resources.read_text("vat", "rates.json") == '{"bundled": true}'
    with resources.resource_path("vat", "rates.json") as path:
        assert path == frozen_bundle / "resources" / "vat" / "rates.json"
    assert not resources.resource("SOURCES.md").is_file()  # not the checkout's copy


def test_resources_ignore_a_stray_meipass_when_not_frozen(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    resources._root.cache_clear()
    try:
        assert "Bundled resources" in resources.read_text("SOURCES.md")
    finally:
        resources._root.cache_clear()


def test_frozen_app_keeps_user_files_out_of_the_bundle(frozen_bundle: Path) -> None:
    home = Path(os.environ["HOME"])
    for where in (paths.data_dir(), paths.config_dir(), paths.log_dir(), local.default_db_path()):
        assert not where.is_relative_to(frozen_bundle)
        assert where.is_relative_to(home)
