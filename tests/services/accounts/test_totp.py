"""TOTP verification (drift, replay) and sealing of TOTP secrets at rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest

from invoicer.domain.errors import ValidationError
from invoicer.services.accounts.totp import (
    new_totp_secret,
    provisioning_uri,
    seal,
    unseal,
    verify_totp,
)

AT = datetime(2026, 3, 1, 12, 0, 15, tzinfo=UTC)
KEY = b"server-secret-0123456789abcdef!!"


def _code_at(secret: str, when: datetime) -> str:
    return pyotp.TOTP(secret).at(when)


def _refused(secret: str, code: str, at: datetime, last: int | None = None) -> None:
    with pytest.raises(ValidationError) as err:
        verify_totp(secret, code, at, last_used_step=last)
    (problem,) = err.value.problems
    assert (problem.field, problem.code) == ("totp_code", "invalid")


def test_new_secrets_are_random_base32() -> None:
    a, b = new_totp_secret(), new_totp_secret()
    assert a != b
    assert len(a) >= 32
    pyotp.TOTP(a).now()  # valid base32


def test_provisioning_uri_names_issuer_and_account() -> None:
    secret = new_totp_secret()
    uri = provisioning_uri(secret, "ann@example.com")
    parsed = urlparse(uri)
    assert parsed.scheme == "otpauth"
    assert parsed.netloc == "totp"
    assert "ann%40example.com" in parsed.path or "ann@example.com" in parsed.path
    query = parse_qs(parsed.query)
    assert query["secret"] == [secret]
    assert query["issuer"] == ["Invoicer"]


def test_current_code_is_accepted_and_its_step_returned() -> None:
    secret = new_totp_secret()
    step = verify_totp(secret, _code_at(secret, AT), AT, last_used_step=None)
    assert step == int(AT.timestamp()) // 30


def test_one_step_of_drift_either_way_is_accepted() -> None:
    secret = new_totp_secret()
    now = int(AT.timestamp()) // 30
    earlier = _code_at(secret, AT - timedelta(seconds=30))
    later = _code_at(secret, AT + timedelta(seconds=30))
    assert verify_totp(secret, earlier, AT, last_used_step=None) == now - 1
    assert verify_totp(secret, later, AT, last_used_step=None) == now + 1


def test_code_from_two_steps_ago_is_refused() -> None:
    secret = new_totp_secret()
    _refused(secret, _code_at(secret, AT - timedelta(seconds=60)), AT)
    _refused(secret, _code_at(secret, AT + timedelta(seconds=60)), AT)


def test_replayed_code_is_refused() -> None:
    secret = new_totp_secret()
    code = _code_at(secret, AT)
    step = verify_totp(secret, code, AT, last_used_step=None)
    _refused(secret, code, AT + timedelta(seconds=5), last=step)
    # an older code within the drift window is refused too once a newer one was used
    _refused(secret, _code_at(secret, AT - timedelta(seconds=30)), AT, last=step)
    nxt = AT + timedelta(seconds=30)
    assert verify_totp(secret, _code_at(secret, nxt), nxt, last_used_step=step) == step + 1


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "abcdef", "１２３４５６", "12 34 5x"])
def test_malformed_codes_are_refused(bad: str) -> None:
    _refused(new_totp_secret(), bad, AT)


def test_wrong_code_is_refused() -> None:
    secret = new_totp_secret()
    right = _code_at(secret, AT)
    _refused(secret, f"{(int(right) + 1) % 1_000_000:06d}", AT)


def test_time_comes_from_the_argument() -> None:
    secret = new_totp_secret()
    past = datetime(2001, 1, 1, tzinfo=UTC)
    assert verify_totp(secret, _code_at(secret, past), past, last_used_step=None) == (
        int(past.timestamp()) // 30
    )


def test_seal_round_trips_and_hides_the_secret() -> None:
    secret = new_totp_secret()
    token = seal(secret, KEY)
    assert secret not in token
    assert seal(secret, KEY) != token  # random nonce
    assert unseal(token, KEY) == secret


def test_unseal_with_another_key_or_altered_token_fails() -> None:
    token = seal(new_totp_secret(), KEY)
    with pytest.raises(ValueError, match="cannot be opened"):
        unseal(token, b"another-server-secret-0123456789")
    altered = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    with pytest.raises(ValueError, match="cannot be opened"):
        unseal(altered, KEY)
