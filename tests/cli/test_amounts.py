"""Amounts typed on the command line: the one parser of every front-end (issue 16)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.amount_keystrokes import REFUSED, STORED
from tests.cli.conftest import ADDRESS, Cli


@pytest.fixture
def draft(ready: Cli) -> str:
    customer = ready.json("customer", "add", "--name", "Jan", "--country", "NL", *ADDRESS)
    return str(ready.json("invoice", "new", customer["id"])["id"])


@pytest.mark.parametrize(("typed", "stored"), STORED)
def test_a_typed_unit_price_is_stored_as_meant(
    ready: Cli, draft: str, typed: str, stored: Decimal
) -> None:
    shown = ready.json("invoice", "add-line", draft, "--description", "Work", "--unit-price", typed)
    assert Decimal(shown["lines"][-1]["unit_price"]) == stored


@pytest.mark.parametrize(("typed", "code", "words"), REFUSED)
def test_an_ambiguous_unit_price_is_refused_and_changes_nothing(
    ready: Cli, draft: str, typed: str, code: str, words: str
) -> None:
    before = ready.snapshot()
    status, out, err = ready(
        "invoice", "add-line", draft, "--description", "Work", "--unit-price", typed, ok=False
    )
    assert status != 0
    assert words in err
    assert "Traceback" not in err + out
    assert ready.snapshot() == before


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (["--quantity", ""], "Quantity is empty"),
        (["--quantity", "  "], "Quantity is empty"),
        (["--unit-price", ""], "Unit price is required"),
        (["--quantity", "1,000"], "'1,000' is ambiguous"),
    ],
)
def test_an_empty_quantity_is_refused_not_read_as_one(
    ready: Cli, draft: str, options: list[str], words: str
) -> None:
    before = ready.snapshot()
    args: list[Any] = ["invoice", "add-line", draft, "--description", "Work", *options]
    if "--unit-price" not in options:
        args += ["--unit-price", "5"]
    status, _, err = ready(*args, ok=False)
    assert status != 0
    assert words in err
    assert ready.snapshot() == before


def test_a_payment_amount_is_read_the_same_way(ready: Cli, draft: str) -> None:
    ready("invoice", "add-line", draft, "--description", "Work", "--unit-price", "2.000,00",
          "--rate-class", "zero")  # fmt: skip
    ready("invoice", "issue", draft)
    status, _, err = ready("payment", "add", draft, "1.000", ok=False)
    assert status != 0
    assert "'1.000' is ambiguous" in err
    ready("payment", "add", draft, "1.000,00")
    assert ready.json("invoice", "show", draft)["balance"] == "1000.00"
