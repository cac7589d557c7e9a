"""scripts/bootstrap and scripts/run, on a copy of the scripts in a fake checkout.

apt-get, dpkg-query, id and the venv's python are stand-ins on PATH, so these tests install
nothing, need no root and no network, and take a few seconds.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

NOISE = "WARNING: Location 'file:///opt/pypi/simple/x/' is ignored"


def _apt_packages() -> list[str]:
    """The Debian packages scripts/bootstrap lists (its APT_PACKAGES array)."""
    script = (REPO / "scripts" / "bootstrap").read_text(encoding="utf-8")
    block = script.split("APT_PACKAGES=(", 1)[1].split("\n)", 1)[0]
    return [word for line in block.splitlines() for word in line.split("#")[0].split()]


APT_PACKAGES = _apt_packages()


def executable(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A checkout with the real scripts, stand-in tools and a .venv whose python records
    what it was asked to do."""
    root = tmp_path / "repo"
    for name in ("bootstrap", "run"):
        target = root / "scripts" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / "scripts" / name, target)
    (root / "requirements.lock").write_text("click==8.1.8\n", encoding="utf-8")
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    calls = tmp_path / "calls"
    executable(
        root / ".venv" / "bin" / "python",
        f"""#!/bin/sh
echo "python $*" >> {calls}
for i in $(seq 80); do echo "{NOISE}" >&2; done
case "$*" in *"-r requirements.lock"*) [ -z "$FAKE_PIP_FAIL" ] || {{
    echo "ERROR: No matching distribution found for click==8.1.8" >&2; exit 1; }};; esac
""",
    )
    executable(
        root / ".venv" / "bin" / "invoicer",
        f'#!/bin/sh\necho "invoicer in $PWD: $*" >> {calls}\n',
    )
    tools = tmp_path / "tools"
    executable(tools / "dpkg-query", "#!/bin/sh\nexit 1\n")  # nothing is installed
    executable(tools / "id", "#!/bin/sh\necho 0\n")  # as root
    # apt-get: the lists' lock is held by someone else for the first $FAKE_LOCKED calls.
    executable(
        tools / "apt-get",
        f"""#!/bin/sh
echo "apt-get $*" >> {calls}
n=$(grep -c '^apt-get' {calls})
if [ "$n" -le "${{FAKE_LOCKED:-0}}" ]; then
    echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)"
    echo "E: Unable to lock directory /var/lib/apt/lists/"
    exit 100
fi
echo "Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]"
""",
    )
    return root


def up_to_date(root: Path) -> None:
    want = hashlib.sha256(
        (root / "requirements.lock").read_bytes() + (root / "pyproject.toml").read_bytes()
    ).hexdigest()
    (root / ".venv" / ".requirements.sha256").write_text(want + "\n", encoding="utf-8")


def run(
    root: Path, script: str, *args: str, cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    tools = root.parent / "tools"
    return subprocess.run(
        [str(root / "scripts" / script), *args],
        cwd=cwd or root,
        env={
            **os.environ,
            "PATH": f"{tools}:{os.environ['PATH']}",
            "BOOTSTRAP_LOCK_POLL_SECONDS": "1",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def calls(root: Path) -> list[str]:
    path = root.parent / "calls"
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_bootstrap_waits_while_another_process_holds_the_apt_lock(checkout: Path) -> None:
    up_to_date(checkout)
    done = run(checkout, "bootstrap", FAKE_LOCKED="2")
    assert done.returncode == 0, done.stdout + done.stderr
    apt = [c for c in calls(checkout) if c.startswith("apt-get")]
    assert len(apt) == 4  # update refused twice, then update and install
    assert all("DPkg::Lock::Timeout=600" in c for c in apt)  # dpkg's lock: apt-get waits
    assert apt[-1].split()[-len(APT_PACKAGES) :] == APT_PACKAGES  # all missing: all installed
    assert "waiting for it" in done.stdout
    assert "Could not get lock" not in done.stdout + done.stderr


def test_bootstrap_gives_up_on_a_lock_that_stays_and_shows_why(checkout: Path) -> None:
    up_to_date(checkout)
    done = run(checkout, "bootstrap", FAKE_LOCKED="99", BOOTSTRAP_LOCK_WAIT_SECONDS="2")
    assert done.returncode == 1
    assert "apt-get update failed" in done.stderr
    assert "It is held by process 4242" in done.stderr


def test_bootstrap_says_a_few_lines_and_does_the_work_once(checkout: Path) -> None:
    first = run(checkout, "bootstrap", FAKE_LOCKED="0")
    assert first.returncode == 0, first.stdout + first.stderr
    lines = (first.stdout + first.stderr).splitlines()
    assert NOISE not in first.stdout + first.stderr
    assert len(lines) <= 4, lines
    assert any("-r requirements.lock" in c for c in calls(checkout))
    before = calls(checkout)
    installed = "#!/bin/sh\necho 'install ok installed'\n"
    (checkout.parent / "tools" / "dpkg-query").write_text(installed, encoding="utf-8")
    again = run(checkout, "bootstrap")
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
    assert calls(checkout) == before  # nothing installed twice


def test_bootstrap_shows_the_log_when_pip_fails(checkout: Path) -> None:
    done = run(checkout, "bootstrap", FAKE_PIP_FAIL="1")
    assert done.returncode == 1
    assert "pip install -r requirements.lock failed" in done.stderr
    assert "No matching distribution found for click==8.1.8" in done.stderr
    assert not (checkout / ".venv" / ".requirements.sha256").exists()  # tried again next time


def test_run_keeps_the_callers_folder_so_relative_paths_land_there(
    checkout: Path, tmp_path: Path
) -> None:
    up_to_date(checkout)
    here = tmp_path / "where the user is"
    here.mkdir()
    done = run(checkout, "run", "--db", "shop.sqlite", "invoice", "pdf", "-o", "x.pdf", cwd=here)
    assert done.returncode == 0, done.stderr
    assert calls(checkout)[-1] == f"invoicer in {here}: --db shop.sqlite invoice pdf -o x.pdf"
