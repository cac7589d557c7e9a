"""resources/ is found through importlib.resources from a checkout and from a wheel."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from invoicer.resources import read_text, resource, resource_path
from tests.conftest import REPO_ROOT


def test_resources_found_from_the_checkout() -> None:
    assert "Bundled resources" in read_text("SOURCES.md")
    with resource_path("SOURCES.md") as path:
        assert path.is_file()
        assert path.resolve().is_relative_to(REPO_ROOT)
    assert not resource("no-such-file").is_file()


@pytest.mark.slow
def test_resources_found_from_a_non_editable_install(tmp_path: Path) -> None:
    wheel_dir = tmp_path / "wheel"
    target = tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheel_dir), str(REPO_ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheel_dir.glob("invoicer-*.whl")
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    probe = (
        "import invoicer, invoicer.resources as r;"
        "print(invoicer.__file__);"
        "print(r.read_text('SOURCES.md').splitlines()[0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    module_file, first_line = out.stdout.splitlines()
    assert Path(module_file).is_relative_to(target)
    assert first_line == "# Bundled resources and where they come from"
