"""Number series per device: the series name and the format a device numbers with."""

from __future__ import annotations

import pytest

from invoicer.domain.numbering import check_prefix, device_format, series_key, split_series


@pytest.mark.parametrize(
    ("fmt", "prefix", "number"),
    [
        ("INV-{year}-{seq:06d}", "", "INV-2026-000007"),  # the first device: as before
        ("INV-{year}-{seq:06d}", "B", "INV-2026-B-000007"),
        ("{seq}", "SHOP2", "SHOP2-7"),
        ("R{year}/{seq:04d}", "K", "R2026/K-0007"),
        ("INV-{year}", "B", "B-INV-2026"),  # no sequence to put it before: in front
    ],
)
def test_a_device_numbers_with_its_prefix_before_the_sequence(
    fmt: str, prefix: str, number: str
) -> None:
    assert device_format(fmt, prefix).format(year=2026, seq=7) == number


def test_series_names_round_trip() -> None:
    assert series_key("invoice", "") == "invoice"
    assert series_key("credit_note", "B") == "credit_note:B"
    assert split_series("credit_note:B") == ("credit_note", "B")
    assert split_series("invoice") == ("invoice", "")


@pytest.mark.parametrize("prefix", ["b", "B C", "{seq}", "TOOLONGXX", "B-1"])
def test_a_prefix_is_capitals_and_digits(prefix: str) -> None:
    assert check_prefix(prefix) is not None


def test_good_prefixes_pass() -> None:
    assert check_prefix("B") is None
    assert check_prefix("SHOP2") is None
    assert check_prefix("") is None  # the shop's own formats
