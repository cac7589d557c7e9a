"""The lockout rule with a fixed clock: 5 failed password sign-ins for one account within 15
minutes pause password sign-ins for it for 15 minutes (429 with Retry-After, the same answer
whether or not the account exists); failures older than 15 minutes do not count; per-address
throttling after 30 failures across accounts. A lock cannot be used to keep the merchant out:
a refresh token, an API key and a password confirmed with a TOTP code still work, and the
lock is in the server's event log."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from fastapi.testclient import TestClient

from tests.server.conftest import PASSWORD, MovableClock, Shop
from tests.server.security import (
    assert_error_shape,
    create_key,
    events,
    key_headers,
    superadmin_headers,
)

WRONG = "not the password at all"


def attempt(client: TestClient, email: str, password: str, **extra: Any) -> Any:
    client.cookies.clear()
    return client.post("/v1/auth/token", data={"username": email, "password": password, **extra})


def fail(client: TestClient, email: str, times: int) -> None:
    for _ in range(times):
        answer = attempt(client, email, WRONG)
        assert_error_shape(answer, 401)


def assert_locked(answer: Any) -> int:
    error = assert_error_shape(answer, 429)
    assert error["type"] == "rate_limited" or error["code"] == "too_many_attempts", error
    retry = int(answer.headers["Retry-After"])
    assert 0 < retry <= 15 * 60
    return retry


def test_five_failures_lock_password_sign_in_even_with_the_right_password(
    client: TestClient, shop: Shop
) -> None:
    fail(client, shop.email, 4)
    assert attempt(client, shop.email, PASSWORD).status_code == 200  # 4 is not 5
    fail(client, shop.email, 5)
    assert_locked(attempt(client, shop.email, WRONG))
    assert_locked(attempt(client, shop.email, PASSWORD))
    # The lock is by account: another shop's admin signs in as ever.


def test_a_locked_account_and_an_unknown_one_answer_alike(client: TestClient, shop: Shop) -> None:
    fail(client, shop.email, 5)
    fail(client, "nobody@example.com", 5)
    known = attempt(client, shop.email, PASSWORD)
    unknown = attempt(client, "nobody@example.com", PASSWORD)
    assert_locked(known)
    assert_locked(unknown)
    assert known.json() == unknown.json()
    assert known.headers["Retry-After"] == unknown.headers["Retry-After"]


def test_the_lock_ends_after_15_minutes(
    client: TestClient, shop: Shop, clock: MovableClock
) -> None:
    fail(client, shop.email, 5)
    retry = assert_locked(attempt(client, shop.email, PASSWORD))
    clock.advance(seconds=retry - 1)
    assert_locked(attempt(client, shop.email, PASSWORD))
    clock.advance(seconds=1)
    assert attempt(client, shop.email, PASSWORD).status_code == 200


def test_attempts_while_locked_do_not_extend_the_lock(
    client: TestClient, shop: Shop, clock: MovableClock
) -> None:
    fail(client, shop.email, 5)
    for _ in range(14):
        clock.advance(minutes=1)
        assert_locked(attempt(client, shop.email, WRONG))
    clock.advance(minutes=1, seconds=1)
    assert attempt(client, shop.email, PASSWORD).status_code == 200


def test_failures_older_than_15_minutes_do_not_count(
    client: TestClient, shop: Shop, clock: MovableClock
) -> None:
    fail(client, shop.email, 4)
    clock.advance(minutes=15, seconds=1)
    fail(client, shop.email, 4)
    assert attempt(client, shop.email, PASSWORD).status_code == 200


def test_a_success_clears_the_count(client: TestClient, shop: Shop) -> None:
    fail(client, shop.email, 4)
    assert attempt(client, shop.email, PASSWORD).status_code == 200
    fail(client, shop.email, 4)
    assert attempt(client, shop.email, PASSWORD).status_code == 200


def test_a_lock_is_logged_for_the_account_holder(client: TestClient, shop: Shop) -> None:
    admin = superadmin_headers(client)
    fail(client, shop.email, 5)
    fail(client, "nobody@example.com", 5)
    locks = events(client, admin, "account_locked")
    mine = [e for e in locks if e["actor"] == shop.email]
    assert len(mine) == 1
    assert mine[0]["shop_id"] == shop.shop_id
    assert mine[0]["ip"]
    strangers = [e for e in locks if e["actor"] != shop.email]
    assert len(strangers) == 1
    assert strangers[0]["shop_id"] is None  # an unknown account: no shop is named
    assert WRONG not in str(locks)


def test_while_locked_a_refresh_token_still_works(client: TestClient, shop: Shop) -> None:
    login = attempt(client, shop.email, PASSWORD).json()
    fail(client, shop.email, 5)
    assert_locked(attempt(client, shop.email, PASSWORD))
    client.cookies.clear()
    refreshed = client.post("/v1/auth/refresh", json={"refresh_token": login["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    headers = {"Authorization": f"Bearer {refreshed.json()['access_token']}"}
    assert client.get("/v1/me", headers=headers).status_code == 200
    assert client.get("/v1/me", headers=shop.headers).status_code == 200  # tokens go on


def test_while_locked_an_api_key_still_works(client: TestClient, shop: Shop) -> None:
    key = create_key(client, shop, "live")
    fail(client, shop.email, 5)
    assert_locked(attempt(client, shop.email, PASSWORD))
    answer = client.get("/v1/customers", headers=key_headers(key["secret"]))
    assert answer.status_code == 200, answer.text


def _turn_on_totp(client: TestClient, shop: Shop, clock: MovableClock) -> pyotp.TOTP:
    started = client.post("/v1/me/totp", headers=shop.headers)
    assert started.status_code == 200, started.text
    secret = started.json()["secret"]
    totp = pyotp.TOTP(secret)
    confirmed = client.post(
        "/v1/me/totp/confirm",
        headers=shop.headers,
        json={"secret": secret, "code": totp.at(clock.now())},
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["totp_enabled"] is True
    return totp


def test_while_locked_a_password_with_a_totp_code_still_works(
    client: TestClient, shop: Shop, clock: MovableClock
) -> None:
    totp = _turn_on_totp(client, shop, clock)
    fail(client, shop.email, 5)
    clock.advance(seconds=30)  # the confirming code's step is used up
    assert_locked(attempt(client, shop.email, PASSWORD))
    # A wrong code does not get through the lock either.
    wrong_code = "000000" if totp.at(clock.now()) != "000000" else "111111"
    assert_locked(attempt(client, shop.email, PASSWORD, totp_code=wrong_code))
    # Nor a right code with a wrong password.
    assert_locked(attempt(client, shop.email, WRONG, totp_code=totp.at(clock.now())))
    answer = attempt(client, shop.email, PASSWORD, totp_code=totp.at(clock.now()))
    assert answer.status_code == 200, answer.text
    # The code is good once: replayed, it is refused.
    clock.advance(seconds=1)
    replay = attempt(client, shop.email, PASSWORD, totp_code=totp.at(clock.now()))
    assert assert_error_shape(replay, 401)["code"] == "totp_invalid"


def test_per_address_throttling_after_30_failures_across_accounts(
    client: TestClient, shop: Shop, clock: MovableClock
) -> None:
    for n in range(10):
        fail(client, f"guess{n}@example.com", 3)  # never 5 for one account
    answer = attempt(client, shop.email, PASSWORD)
    retry = assert_locked(answer)
    # X-Forwarded-For is not trusted unless configured: a new address in it does not help.
    client.cookies.clear()
    spoofed = client.post(
        "/v1/auth/token",
        data={"username": shop.email, "password": PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    assert_locked(spoofed)
    clock.advance(seconds=retry)
    assert attempt(client, shop.email, PASSWORD).status_code == 200


def test_an_unknown_account_costs_a_password_hash(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    hasher = client.app.state.invoicer.accounts.hasher  # type: ignore[attr-defined]
    calls: list[str] = []
    real = hasher.dummy_verify

    def spy(password: str) -> None:
        calls.append(password)
        real(password)

    monkeypatch.setattr(hasher, "dummy_verify", spy)
    assert_error_shape(attempt(client, "nobody@example.com", WRONG), 401)
    assert calls == [WRONG]


@pytest.mark.parametrize("secret", ["!!!", "AAAA", "0189", "A" * 8])
def test_a_totp_secret_that_is_not_base32_of_128_bits_is_refused(
    client: TestClient, shop: Shop, clock: MovableClock, secret: str
) -> None:
    answer = client.post(
        "/v1/me/totp/confirm", headers=shop.headers, json={"secret": secret, "code": "123456"}
    )
    assert assert_error_shape(answer, 422)["param"] == "secret"
    assert client.get("/v1/me", headers=shop.headers).json()["totp_enabled"] is False
