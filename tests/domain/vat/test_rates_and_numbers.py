"""The bundled rate table, its provenance, and VAT-number normalisation."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from invoicer.domain.errors import ValidationError
from invoicer.domain.vat import numbers
from invoicer.domain.vat.model import RateClass
from invoicer.domain.vat.rates import EU_MEMBER_STATES, RateTable, default_rate_table
from invoicer.resources import read_text
from tests.conftest import REPO_ROOT


def test_committed_rates_file_is_the_build_script_output(shared_dir: Path) -> None:
    built = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "scripts" / "build-vat-rates"),
            str(shared_dir / "data" / "vat-rates.json"),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert built == read_text("vat", "rates.json")


def test_every_correction_names_its_source() -> None:
    data = json.loads(read_text("vat", "rates.json"))
    assert data["corrections"]
    assert all(fix["source"] and fix["what"] for fix in data["corrections"])


def test_all_27_member_states_and_gb_for_northern_ireland_have_rates() -> None:
    table = default_rate_table()
    assert EU_MEMBER_STATES | {"GB"} == table.countries()
    today = dt.date(2026, 11, 24)
    for country in EU_MEMBER_STATES:
        assert table.rate(country, RateClass.STANDARD, today) >= 15  # Art. 97 minimum


@pytest.mark.parametrize(
    ("country", "rate_class", "rate"),
    [
        ("DK", RateClass.REDUCED, Decimal(25)),  # no reduced rates: standard applies
        ("DE", RateClass.SUPER_REDUCED, Decimal(7)),  # falls back to the reduced rate
        ("FR", RateClass.SUPER_REDUCED, Decimal("2.1")),
        ("FR", RateClass.REDUCED2, Decimal("5.5")),
        ("IE", RateClass.PARKING, Decimal("13.5")),
        ("NL", RateClass.PARKING, Decimal(21)),
        ("NL", RateClass.ZERO, Decimal(0)),
        ("NL", RateClass.EXEMPT, Decimal(0)),
    ],
)
def test_rate_classes_map_per_country(country: str, rate_class: RateClass, rate: Decimal) -> None:
    assert default_rate_table().rate(country, rate_class, dt.date(2026, 6, 1)) == rate


def test_unknown_country_and_dates_before_the_first_period_are_clear_errors() -> None:
    table = RateTable(
        {
            "countries": {
                "NL": {
                    "periods": [{"from": "2019-01-01", "rates": {"standard": "21"}}],
                    "territories": [],
                }
            },
            "national_currencies": {},
        }
    )
    with pytest.raises(ValidationError) as unknown:
        table.rate("US", RateClass.STANDARD, dt.date(2026, 1, 1))
    assert unknown.value.problems[0].field == "country"
    with pytest.raises(ValidationError) as early:
        table.rate("NL", RateClass.STANDARD, dt.date(2018, 1, 1))
    assert early.value.problems[0].field == "supply_date"
    assert table.national_currency("NL", dt.date(2026, 1, 1)) == "EUR"


def test_territory_lookup_needs_a_postcode() -> None:
    table = default_rate_table()
    assert table.territory("ES", None) is None
    assert table.territory("ES", "35 001").name == "Canary Islands"  # type: ignore[union-attr]
    assert table.territory("NL", "1011 AB") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("nl 0044.95.445.b01", "NL004495445B01"),
        ("GR094501040", "EL094501040"),
        ("xi 980 7806 84", "XI980780684"),
        ("DE 136 695 976", "DE136695976"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert numbers.normalize(raw) == expected
    assert numbers.is_valid(raw)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("GB980780684", "not_eu"),
        ("US123456789", "unknown_country"),
        ("NL004495446B01", "invalid"),
        ("DE12", "invalid"),
        ("", "unknown_country"),
    ],
)
def test_normalize_refuses(raw: str, code: str) -> None:
    with pytest.raises(ValidationError) as err:
        numbers.normalize(raw, field="vat")
    assert (err.value.problems[0].field, err.value.problems[0].code) == ("vat", code)
    assert not numbers.is_valid(raw)


def test_vies_parts_and_countries() -> None:
    assert numbers.vies_parts("gr 094501040") == ("EL", "094501040")
    assert numbers.vies_parts("XI980780684") == ("XI", "980780684")
    assert numbers.country_of("NL004495445B01") == "NL"
    assert numbers.prefix_of("el094501040") == "EL"
