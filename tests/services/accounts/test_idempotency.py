"""Idempotency keys on both stores: a replay answers the first response, another body with
the same key is refused, a request still being answered is refused, a released key is free,
a key older than a day may be used again, and callers' keys never mix."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from invoicer.domain.errors import Conflict, ValidationError
from invoicer.services.accounts.idempotency import KEEP, Replay
from invoicer.services.accounts.passwords import PasswordHasher
from invoicer.services.accounts.service import Accounts
from invoicer.services.context import FixedClock
from invoicer.store.database import Database, open_database


@pytest.fixture
def db(db_target: Path | str) -> Iterator[Database]:
    database = open_database(db_target)
    yield database
    database.close()


@pytest.fixture
def accounts(db: Database) -> Accounts:
    return Accounts(db, FixedClock.on(dt.date(2026, 5, 1)), PasswordHasher(fast=True), b"k" * 32)


def test_a_replay_answers_the_first_response(accounts: Accounts) -> None:
    assert accounts.begin("caller", "key-1", "body-a") is None
    first = Replay(201, b'{"id": "x"}', "application/json")
    accounts.finish("caller", "key-1", None, first)
    assert accounts.begin("caller", "key-1", "body-a") == first


def test_the_same_key_with_another_body_is_refused(accounts: Accounts) -> None:
    accounts.begin("caller", "key-1", "body-a")
    accounts.finish("caller", "key-1", None, Replay(201, b"{}", "application/json"))
    with pytest.raises(Conflict, match="different request"):
        accounts.begin("caller", "key-1", "body-b")


def test_a_request_still_being_answered_is_refused_until_released(accounts: Accounts) -> None:
    assert accounts.begin("caller", "key-1", "body-a") is None
    with pytest.raises(Conflict, match="still being answered"):
        accounts.begin("caller", "key-1", "body-a")
    accounts.release("caller", "key-1")
    assert accounts.begin("caller", "key-1", "body-a") is None


def test_keys_of_different_callers_never_mix(accounts: Accounts) -> None:
    accounts.begin("caller-a", "key-1", "body-a")
    accounts.finish("caller-a", "key-1", None, Replay(201, b"a", "application/json"))
    assert accounts.begin("caller-b", "key-1", "body-a") is None


def test_a_key_older_than_a_day_may_be_used_again(db: Database) -> None:
    day = dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)
    old = Accounts(db, FixedClock(day), PasswordHasher(fast=True), b"k" * 32)
    old.begin("caller", "key-1", "body-a")
    old.finish("caller", "key-1", None, Replay(201, b"a", "application/json"))
    later = Accounts(db, FixedClock(day + KEEP + dt.timedelta(seconds=1)), old.hasher, b"k" * 32)
    assert later.begin("caller", "key-1", "body-b") is None


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\there", "nul\x00"])
def test_a_malformed_key_is_refused(accounts: Accounts, key: str) -> None:
    with pytest.raises(ValidationError):
        accounts.begin("caller", key, "body")
