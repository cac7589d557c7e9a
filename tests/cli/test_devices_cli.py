"""`invoicer device`: registering devices and their series."""

from __future__ import annotations

from .conftest import ADDRESS, Cli


def test_devices_are_registered_and_the_first_keeps_its_numbers(ready: Cli) -> None:
    first = ready.json("device", "register", "local", "--code", "a", "--keep-numbers")
    ready("device", "register", "tablet-7", "--code", "T7")
    customer = ready.json("customer", "add", "--name", "Jan", "--country", "NL", *ADDRESS)["id"]
    draft = ready.json("invoice", "new", customer)["id"]
    ready("invoice", "add-line", draft, "--description", "Tea", "--unit-price", "10")

    number = ready.json("invoice", "issue", draft)["number"]

    assert first["code"] == "A"
    assert first["series_prefix"] == ""
    assert number.endswith("-000001")
    assert "-T7-" not in number
    listed = ready.json("device", "list")
    assert [(d["code"], d["series_prefix"]) for d in listed] == [("A", ""), ("T7", "T7")]
    assert ready("audit", "verify")[0] == 0


def test_a_taken_code_is_refused_and_nothing_changes(ready: Cli) -> None:
    ready("device", "register", "local", "--code", "A", "--keep-numbers")
    before = ready.snapshot()

    code, _, err = ready("device", "register", "other", "--code", "A", ok=False)

    assert code != 0
    assert "already has the code A" in err
    assert ready.snapshot() == before
