"""The README's own first session, run as written: its command blocks are parsed from README.md
and run with bash in an empty folder, offline (VIES unreachable) and online (the loopback VIES
stand-in), through `scripts/run` as a user would type them."""

from __future__ import annotations

import os
import re
import socket
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO_ROOT

README = REPO_ROOT / "README.md"
ONLINE_MARK = "needs the internet"


def session_blocks() -> list[str]:
    """The ```sh blocks of the README's "A first session" section, in order."""
    text = README.read_text(encoding="utf-8")
    start = text.index("## A first session")
    end = text.index("\n## ", start + 1)
    return re.findall(r"```sh\n(.*?)```", text[start:end], re.DOTALL)


def as_typed(block: str) -> str:
    """The block with `scripts/run` pointing at this checkout (the user types it in the repo;
    the test types it from an empty folder, which is what relative paths must survive)."""
    return block.replace("scripts/run", str(REPO_ROOT / "scripts" / "run"))


def run_bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    return work


def test_the_two_setup_commands_exist_and_are_executable() -> None:
    first = re.search(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert first is not None
    commands = [line.split()[0] for line in first.group(1).splitlines() if line.strip()]
    assert commands == ["scripts/run", "scripts/test"]
    for command in commands:
        mode = (REPO_ROOT / command).stat().st_mode
        assert mode & stat.S_IXUSR, f"{command} is not executable"


def test_the_first_session_works_offline_in_the_callers_folder(folder: Path) -> None:
    blocks = [block for block in session_blocks() if ONLINE_MARK not in block]
    assert len(blocks) >= 2
    env = {**os.environ, "INVOICER_VIES_URL": f"http://127.0.0.1:{closed_port()}/vies"}
    result = run_bash("\n".join(as_typed(block) for block in blocks), folder, env)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    # Relative paths land where the commands were typed, not in the repository.
    for name in ("shop.sqlite", "invoice.pdf", "invoice.xml"):
        assert (folder / name).stat().st_size > 0, name
        assert not (REPO_ROOT / name).exists(), f"{name} was written into the repository"
    assert (folder / "invoice.pdf").read_bytes().startswith(b"%PDF-")
    assert b"urn:oasis:names:specification:ubl" in (folder / "invoice.xml").read_bytes()
    assert "Issued INV-" in result.stdout
    assert "no recent valid VIES check" in result.stderr  # the warning the README explains


def test_online_the_vat_check_makes_the_warning_unneeded(
    folder: Path, vies_service: tuple[str, Any]
) -> None:
    url, _server = vies_service
    own_shop = next(block for block in session_blocks() if "init " in block)
    check = next(block for block in session_blocks() if ONLINE_MARK in block)
    before_issue, issue_line, _ = re.split(r"^(.*invoice issue.*)$", own_shop, flags=re.M)
    issue_line = issue_line.replace(" --warn-unverified", "")
    script = "\n".join(as_typed(part) for part in (before_issue, check, issue_line))
    env = {**os.environ, "INVOICER_VIES_URL": url, "INVOICER_VIES_TIMEOUT_SECONDS": "5"}
    result = run_bash(script, folder, env)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "Issued INV-" in result.stdout
    assert "Warning" not in result.stderr
