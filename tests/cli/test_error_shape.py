"""The CLI's errors are the one payload of invoicer/services/errors.py (issue 18): `--json`
prints it, the text is its sentences, so the CLI, the apps and the server say the same."""

from __future__ import annotations

import json

import pytest

from invoicer.domain.errors import ValidationError
from invoicer.domain.parsing import parse_date
from tests.cli.conftest import ADDRESS, Cli


def issued_number(ready: Cli) -> str:
    customer = ready.json("customer", "add", "--name", "Jan", "--country", "NL", *ADDRESS)
    draft = ready.json("invoice", "new", customer["id"])
    ready("invoice", "add-line", draft["id"], "--description", "Widget", "--unit-price", "10")
    return str(ready.json("invoice", "issue", draft["id"])["number"])


def test_json_and_text_say_the_same(ready: Cli) -> None:
    code, _, err = ready("customer", "show", "no-such-id", "--json", ok=False)
    error = json.loads(err)["error"]
    assert (code, error["type"], error["code"], error["field"]) == (
        3,
        "not_found",
        "not_found",
        None,
    )

    code, _, text = ready("customer", "show", "no-such-id", ok=False)
    assert (code, text) == (3, f"Error: {error['message']}\n")


@pytest.mark.parametrize("typed", ["2026-02-31", "31.03.2026", "1999-12-31"])
def test_a_payment_date_is_refused_in_the_one_parsers_words(ready: Cli, typed: str) -> None:
    number = issued_number(ready)
    with pytest.raises(ValidationError) as caught:
        parse_date(typed, field="date")
    (problem,) = caught.value.problems
    before = ready.dump()

    code, _, text = ready("payment", "add", number, "1", "--date", typed, ok=False)
    _, _, as_json = ready("payment", "add", number, "1", "--date", typed, "--json", ok=False)

    assert (code, text) == (1, f"Error: date: {problem.message}\n")
    error = json.loads(as_json)["error"]
    assert (error["field"], error["code"], error["message"]) == (
        "date",
        problem.code,
        problem.message,
    )
    assert ready.dump() == before


def test_a_payment_method_label_is_read_as_its_code(ready: Cli) -> None:
    number = issued_number(ready)
    payment = ready.json("payment", "add", number, "1", "--method", "Bank transfer")
    assert payment["payment"]["method"] == "bank_transfer"
