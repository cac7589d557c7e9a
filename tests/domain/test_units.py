from __future__ import annotations

import pytest

from invoicer.domain.units import unit_name


@pytest.mark.parametrize(
    ("code", "name"),
    [("C62", "piece"), ("HUR", "hour"), ("kgm", "kilogram"), ("DAY", "day"), ("XYZ", "XYZ")],
)
def test_unit_names_for_codes_and_unknown_codes_as_they_are(code: str, name: str) -> None:
    assert unit_name(code) == name
