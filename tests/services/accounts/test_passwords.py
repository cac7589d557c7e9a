"""Password policy and hashing (argon2id, legacy bcrypt upgrade, timing of unknown logins)."""

from __future__ import annotations

import time

import bcrypt
import pytest

from invoicer.domain.errors import ValidationError
from invoicer.services.accounts.passwords import (
    PasswordHasher,
    check_password_policy,
    common_passwords,
)


def _code(password: str, **kw: str) -> str:
    with pytest.raises(ValidationError) as err:
        check_password_policy(password, **kw)
    (problem,) = err.value.problems
    assert problem.field == "password"
    assert problem.message
    return problem.code


def test_good_passwords_pass() -> None:
    check_password_policy("correct horse battery staple")
    check_password_policy("Zq8!vT#2pL", email="ann@example.com")
    check_password_policy("ein langer Satz " * 5)  # 80 characters
    check_password_policy("é" * 8)


def test_length_limits() -> None:
    assert _code("Zq8!vT#") == "too_short"
    check_password_policy("x9" * 512)  # exactly 1024
    assert _code("x9" * 512 + "y") == "too_long"


@pytest.mark.parametrize("bad", ["abc\x00defgh", "abcdefgh\n", "tab\there1", "del\x7fchars"])
def test_control_characters_are_refused(bad: str) -> None:
    assert _code(bad) == "invalid"


@pytest.mark.parametrize(
    "common", ["password", "PASSWORD", "12345678", "Qwertyuiop", "ｐａｓｓｗｏｒｄ"]
)
def test_common_passwords_are_refused_case_insensitively_after_nfkc(common: str) -> None:
    assert _code(common) == "common"


def test_bundled_list_has_ten_thousand_entries_without_header() -> None:
    words = common_passwords()
    assert len(words) == 10_000
    assert not any(w.startswith("#") for w in words)
    assert common_passwords() is words  # loaded once


def test_password_like_email_is_refused() -> None:
    assert _code("ann.smith@example.com", email="Ann.Smith@example.com") == "like_email"
    assert _code("ann.smith.x", email="ann.smith.x@example.com") == "like_email"
    check_password_policy("ann.smith.x", email="other@example.com")


@pytest.fixture(scope="module")
def hasher() -> PasswordHasher:
    return PasswordHasher(fast=True)


def test_hash_is_argon2id_and_verifies(hasher: PasswordHasher) -> None:
    stored = hasher.hash("s3cret passphrase")
    assert stored.startswith("$argon2id$")
    assert hasher.hash("s3cret passphrase") != stored  # salted
    assert hasher.verify_and_update("s3cret passphrase", stored) == (True, None)
    assert hasher.verify_and_update("wrong passphrase", stored) == (False, None)


def test_legacy_bcrypt_verifies_and_is_rehashed_as_argon2id(hasher: PasswordHasher) -> None:
    legacy = bcrypt.hashpw(b"old system pw", bcrypt.gensalt(rounds=4)).decode()
    assert legacy.startswith("$2b$")
    ok, new = hasher.verify_and_update("old system pw", legacy)
    assert ok
    assert new is not None
    assert new.startswith("$argon2id$")
    assert hasher.verify_and_update("old system pw", new) == (True, None)
    assert hasher.verify_and_update("not it", legacy) == (False, None)


def test_long_password_against_legacy_bcrypt_uses_its_first_72_bytes(
    hasher: PasswordHasher,
) -> None:
    long = "a long legacy passphrase " * 5  # 125 bytes
    legacy = bcrypt.hashpw(long.encode()[:72], bcrypt.gensalt(rounds=4)).decode()
    ok, new = hasher.verify_and_update(long, legacy)
    assert ok
    assert new is not None
    assert hasher.verify_and_update(long, new) == (True, None)  # the full password now
    assert hasher.verify_and_update(long[:72], new) == (False, None)


def test_argon2_with_outdated_params_is_rehashed(hasher: PasswordHasher) -> None:
    strong = PasswordHasher()  # recommended parameters
    old = hasher.hash("upgrade me please")  # weaker parameters
    ok, new = strong.verify_and_update("upgrade me please", old)
    assert ok
    assert new is not None
    assert new.startswith("$argon2id$")
    assert "m=65536" in new


def test_damaged_hash_is_a_refusal(hasher: PasswordHasher) -> None:
    assert hasher.verify_and_update("anything1", "not-a-hash") == (False, None)


def test_dummy_verify_costs_about_as_much_as_a_real_verify() -> None:
    real = PasswordHasher()
    stored = real.hash("a real password")

    def best_of(fn: object, n: int = 3) -> float:
        times = []
        for _ in range(n):
            start = time.perf_counter()
            fn()  # type: ignore[operator]
            times.append(time.perf_counter() - start)
        return min(times)

    verify = best_of(lambda: real.verify_and_update("wrong password", stored))
    dummy = best_of(lambda: real.dummy_verify("wrong password"))
    assert 0.5 < dummy / verify < 2.0
