"""The real `invoicer serve` as a separate process: uvicorn with two workers on a loopback
port, on a SQLite file and on PostgreSQL, driven over HTTP by concurrent clients. Numbering
stays gap-free and unique across the workers; a production start without a signing secret is
refused plainly; the secret never reaches the output. Also the set-up subcommands."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from invoicer.cli import cli
from invoicer.cli.errors import run
from invoicer.server.app import create_app
from invoicer.server.cli import announce, plan
from invoicer.server.config import JWT_SECRET_NAME, ServerConfig
from tests.conftest import REPO_ROOT
from tests.server.conftest import PASSWORD, PROFILE, make_config

CUSTOMER = {"street": "Kerkstraat 5", "postcode": "3511 LX", "city": "Utrecht", "country": "NL"}
THREADS = 6
INVOICES_PER_THREAD = 4
START_TIMEOUT = 90.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INVOICER_")}
    env["PYTHONPATH"] = str(REPO_ROOT)
    # Never the developer's keyring: a backend that holds nothing.
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env.update(extra)
    return env


@dataclass
class Live:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def worker_pids(self, expected: int) -> list[int]:
        """The workers' process ids, once `expected` of them have started their app."""
        deadline = time.monotonic() + START_TIMEOUT
        while self.output().count("Application startup complete") < expected:
            assert time.monotonic() < deadline, self.output()
            time.sleep(0.2)
        return [int(pid) for pid in re.findall(r"Started server process \[(\d+)\]", self.output())]


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # the parent and its workers: one process group
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextmanager
def serving(tmp_path: Path, *args: str, env: dict[str, str]) -> Iterator[Live]:
    """`invoicer serve ARGS` on a free port until /healthz answers; stopped afterwards."""
    port = _free_port()
    log = tmp_path / f"serve-{port}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "invoicer", "serve", "--port", str(port), *args],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    live = Live(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"invoicer serve exited with {process.returncode}:\n{live.output()}")
            try:
                if httpx.get(f"{live.url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"invoicer serve did not answer /healthz:\n{live.output()}")
            time.sleep(0.2)
        yield live
    finally:
        _stop(process)


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _sign_up(base: str, email: str) -> dict[str, str]:
    response = httpx.post(
        f"{base}/v1/auth/signup",
        json={"email": email, "password": PASSWORD, "shop": PROFILE},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _issue_invoices(base: str, headers: dict[str, str], customer_id: str, count: int) -> list[str]:
    """Create, fill and issue `count` invoices, each request on a new connection (so the
    kernel spreads them over the workers); answers their numbers."""
    numbers = []
    fresh = httpx.Limits(max_keepalive_connections=0)
    with httpx.Client(base_url=base, headers=headers, timeout=30, limits=fresh) as client:
        for index in range(count):
            draft = client.post("/v1/invoices", json={"customer_id": customer_id})
            assert draft.status_code == 201, draft.text
            invoice_id = draft.json()["id"]
            line = client.post(
                f"/v1/invoices/{invoice_id}/lines",
                json={
                    "description": f"Sourdough loaf {index}",
                    "quantity": "2",
                    "unit_price": "4.50",
                },
            )
            assert line.status_code in (200, 201), line.text
            issued = client.post(f"/v1/invoices/{invoice_id}/issue")
            assert issued.status_code == 200, issued.text
            numbers.append(issued.json()["number"])
    return numbers


def invoke(*argv: str, stdin: str = "") -> tuple[int, str]:
    """`invoicer ARGV` in process as the console script runs it (errors become messages and
    exit statuses); answers the status and everything printed."""
    runner = CliRunner()
    with runner.isolation(input=stdin) as (out, err, _):
        code = run(cli, list(argv))
    return code, out.getvalue().decode() + err.getvalue().decode()


def _sequence(number: str) -> int:
    found = re.search(r"(\d+)$", number)
    assert found, number
    return int(found.group(1))


def test_two_workers_number_gap_free(db_target: Path | str, tmp_path: Path) -> None:
    secret = "signing-" + secrets.token_urlsafe(40)
    env = _child_env(INVOICER_JWT_SECRET=secret)
    with serving(tmp_path, "--workers", "2", "--database-url", str(db_target), env=env) as live:
        ready = httpx.get(f"{live.url}/readyz", timeout=10)
        assert ready.status_code == 200, ready.text
        assert ready.json()["status"] == "ok"
        workers = live.worker_pids(expected=2)
        assert len(workers) == 2, live.output()

        headers = _sign_up(live.url, "baker@example.com")
        customer = httpx.post(
            f"{live.url}/v1/customers",
            headers=headers,
            json={**CUSTOMER, "name": "Café Zuid"},
            timeout=30,
        )
        assert customer.status_code == 201, customer.text
        customer_id = customer.json()["id"]

        before = {pid: _cpu_ticks(pid) for pid in workers}
        results: list[list[str]] = []
        failures: list[BaseException] = []

        def client_thread() -> None:
            try:
                results.append(_issue_invoices(live.url, headers, customer_id, INVOICES_PER_THREAD))
            except BaseException as error:  # reported by the main thread
                failures.append(error)

        threads = [threading.Thread(target=client_thread) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        assert not failures, failures[0]
        # Both workers answered part of the load (each spent CPU on it).
        assert all(_cpu_ticks(pid) > before[pid] for pid in workers), live.output()

        numbers = [number for batch in results for number in batch]
        assert len(numbers) == THREADS * INVOICES_PER_THREAD
        assert len(set(numbers)) == len(numbers), numbers
        sequence = sorted(_sequence(number) for number in numbers)
        assert sequence == list(range(sequence[0], sequence[0] + len(sequence))), numbers

        # A second shop numbers from its own series, not after the first shop's.
        rival = _sign_up(live.url, "rival@example.org")
        other = httpx.post(
            f"{live.url}/v1/customers",
            headers=rival,
            json={**CUSTOMER, "name": "Bistro Noord"},
            timeout=30,
        ).json()["id"]
        (first,) = _issue_invoices(live.url, rival, other, 1)
        assert _sequence(first) == sequence[0]

    output = live.output()
    assert f"Invoicer API listening on {live.url} (docs: /docs)" in output
    assert secret not in output
    assert "Traceback" not in output


def test_production_start_without_a_secret_is_refused(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "invoicer", "serve", "--port", str(_free_port())],
        env=_child_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "needs a signing secret" in result.stderr
    assert "INVOICER_JWT_SECRET" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "listening" not in result.stdout


def test_dev_mode_runs_without_a_secret_and_says_so(tmp_path: Path) -> None:
    database = tmp_path / "dev.sqlite"
    with serving(tmp_path, "--dev", "--database-url", str(database), env=_child_env()) as live:
        headers = _sign_up(live.url, "dev@example.com")
        me = httpx.get(f"{live.url}/v1/me", headers=headers, timeout=10)
        assert me.status_code == 200, me.text
    output = live.output()
    assert "random signing secret for this run" in output
    assert database.exists()


def test_a_short_secret_is_refused(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "invoicer", "serve", "--port", str(_free_port())],
        env=_child_env(INVOICER_JWT_SECRET="short-secret"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "at least 32 bytes" in result.stderr
    assert "short-secret" not in result.stderr + result.stdout


def test_the_listen_lines_hide_the_database_password() -> None:
    config = ServerConfig(
        database="postgresql+psycopg://invoicer:hunter2-pass@db.internal:5432/invoicer",
        jwt_secret="x" * 48,
    )
    lines = "\n".join(announce(config, "0.0.0.0", 8080, 2, generated=False))
    assert "Invoicer API listening on http://0.0.0.0:8080 (docs: /docs)" in lines
    assert "db.internal" in lines
    assert "hunter2-pass" not in lines
    assert "x" * 48 not in lines


def test_the_default_database_is_server_sqlite_in_the_data_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from invoicer.services.paths import data_dir

    monkeypatch.setenv("INVOICER_JWT_SECRET", "y" * 40)
    assert plan(None, dev=False).config.database == str(data_dir() / "server.sqlite")
    monkeypatch.setenv("INVOICER_DATABASE_URL", "postgresql+psycopg://u@h/env")
    assert plan(None, dev=False).config.database == "postgresql+psycopg://u@h/env"
    assert plan("postgresql+psycopg://u@h/flag", dev=False).config.database.endswith("/flag")


def test_set_secret_stores_a_random_secret_the_server_then_uses(memory_keyring: object) -> None:
    entries = memory_keyring.entries  # type: ignore[attr-defined]
    code, output = invoke("serve", "set-secret")
    assert code == 0, output
    stored = entries[("invoicer", JWT_SECRET_NAME)]
    assert len(stored) >= 32
    assert stored not in output

    code, output = invoke("serve", "set-secret")
    assert code == 1
    assert "already stored" in output
    assert entries[("invoicer", JWT_SECRET_NAME)] == stored

    code, output = invoke("serve", "set-secret", "--replace")
    assert code == 0, output
    new = entries[("invoicer", JWT_SECRET_NAME)]
    assert new != stored
    started = plan(None, dev=False)
    assert started.config.jwt_secret == new
    assert started.config.production
    assert not started.generated_secret


def test_create_superadmin_from_stdin_signs_in_to_the_platform(tmp_path: Path) -> None:
    database = tmp_path / "server.sqlite"
    argv = ["serve", "create-superadmin", "--email", "Root@Example.com", "--password-stdin"]
    code, output = invoke(*argv, "--database-url", str(database), stdin=PASSWORD + "\n")
    assert code == 0, output
    assert "root@example.com" in output
    assert PASSWORD not in output

    code, output = invoke(*argv, "--database-url", str(database), stdin=PASSWORD + "\n")
    assert code == 1, output
    assert output.startswith("Error: ")

    code, output = invoke(
        *argv[:-1], "--password-stdin", "--database-url", str(database), stdin="short\n"
    )
    assert code == 1, output

    with TestClient(create_app(make_config(str(database)))) as client:
        signed_in = client.post(
            "/v1/auth/token", data={"username": "root@example.com", "password": PASSWORD}
        )
        assert signed_in.status_code == 200, signed_in.text
        token = signed_in.json()["access_token"]
        shops = client.get("/v1/platform/shops", headers={"Authorization": f"Bearer {token}"})
        assert shops.status_code == 200, shops.text


def test_create_superadmin_prompts_twice_and_refuses_a_mismatch(tmp_path: Path) -> None:
    database = str(tmp_path / "server.sqlite")
    argv = ["serve", "create-superadmin", "--email", "root@example.com"]
    # click asks again after a mismatch; the input then runs out: nothing is created.
    code, output = invoke(*argv, "--database-url", database, stdin=f"{PASSWORD}\nother one\n")
    assert code != 0
    assert "Created" not in output
    code, output = invoke(*argv, "--database-url", database, stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert code == 0, output
    assert "Created the superadmin root@example.com" in output
    assert PASSWORD not in output


def test_set_secret_without_a_keyring_says_what_to_do(no_keyring: None) -> None:
    code, output = invoke("serve", "set-secret")
    assert code == 1
    assert "keyring" in output.lower()
    assert "Traceback" not in output


def test_an_unreachable_database_is_refused_without_its_password(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://invoicer:hunter2-pass@127.0.0.1:{_free_port()}/invoicer"
    result = subprocess.run(
        [sys.executable, "-m", "invoicer", "serve", "--port", str(_free_port())],
        env=_child_env(INVOICER_JWT_SECRET="z" * 40, INVOICER_DATABASE_URL=url),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Could not open the database" in result.stderr
    assert "hunter2-pass" not in result.stderr + result.stdout
    assert "z" * 40 not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr + result.stdout
