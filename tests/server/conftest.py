"""A real API app on a real database (a SQLite file, or PostgreSQL with the `backend`
fixture's parameter), a movable clock, and helpers to sign up shops and call routes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from invoicer.server.app import create_app
from invoicer.server.config import ServerConfig
from invoicer.services.settings import Settings
from invoicer.store.database import open_database

SECRET = "test-signing-secret-" + "x" * 40
PASSWORD = "correct horse battery staple"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@dataclass
class MovableClock:
    at: dt.datetime = START

    def today(self) -> dt.date:
        return self.at.date()

    def now(self) -> dt.datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += dt.timedelta(**delta)


@dataclass
class Shop:
    """A signed-up shop as a test uses it: its admin's client headers, ids and keys."""

    email: str
    token: str
    shop_id: str
    user_id: str
    headers: dict[str, str] = field(default_factory=dict)


PROFILE = {
    "legal_name": "Bakkerij Test B.V.",
    "street": "Damrak 1",
    "postcode": "1012 LG",
    "city": "Amsterdam",
    "country": "NL",
    "vat_number": "NL000099998B57",
    "iban": "NL91ABNA0417164300",
}


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


def make_config(database: str, **overrides: Any) -> ServerConfig:
    return ServerConfig(
        database=database,
        jwt_secret=SECRET,
        production=False,
        secure_cookies=False,
        fast_hashing=True,
        **overrides,
    )


@pytest.fixture
def server_db(db_target: Path | str) -> str:
    """The server's store: every server test runs on a SQLite file and on PostgreSQL."""
    return str(db_target)


@pytest.fixture
def app(server_db: str, clock: MovableClock) -> Iterator[Any]:
    config = make_config(server_db)
    db = open_database(config.database)
    application = create_app(config, db=db, clock=clock, settings=Settings())
    yield application
    db.close()


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


def sign_up(client: TestClient, email: str = "owner@example.com", **profile: Any) -> Shop:
    response = client.post(
        "/v1/auth/signup",
        json={"email": email, "password": PASSWORD, "shop": {**PROFILE, **profile}},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return Shop(
        email=email,
        token=body["access_token"],
        shop_id=body["user"]["shop_id"],
        user_id=body["user"]["id"],
        headers={"Authorization": f"Bearer {body['access_token']}"},
    )


@pytest.fixture
def shop(client: TestClient) -> Shop:
    return sign_up(client)


@pytest.fixture
def other_shop(client: TestClient) -> Shop:
    return sign_up(
        client,
        "rival@example.org",
        legal_name="Rival GmbH",
        country="DE",
        vat_number="DE136695976",
        street="Unter den Linden 1",
        postcode="10117",
        city="Berlin",
    )
