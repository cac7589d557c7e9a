"""Peppol participant ids: the scheme from the bundled EAS list, check digits where the scheme
has them, and the VAT-number schemes used to derive an endpoint."""

from __future__ import annotations

import pytest

from invoicer.domain import peppol
from invoicer.domain.errors import ValidationError


def refusal(text: str) -> tuple[str, str]:
    with pytest.raises(ValidationError) as error:
        peppol.participant_id(text, field="peppol_id")
    problem = error.value.problems[0]
    assert problem.field == "peppol_id"
    return problem.code, problem.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0208:0403019261", ("0208", "0403019261")),
        (" 0088 : 8712345000004 ", ("0088", "8712345000004")),
        ("9944:NL004495445B01", ("9944", "NL004495445B01")),
        ("0106:12345678", ("0106", "12345678")),  # no check digits known: kept as given
    ],
)
def test_valid_ids(text: str, expected: tuple[str, str]) -> None:
    assert peppol.participant_id(text) == expected


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("0208", "format", "write SCHEME:VALUE"),
        ("0208:", "format", "write SCHEME:VALUE"),
        ("EM:jan@example.nl", "unknown_scheme", "not a Peppol electronic address scheme"),
        ("0106:12 34", "format", "not a Peppol identifier value"),
        ("0106:12\x0034", "format", "not a Peppol identifier value"),
        ("0106:" + "1" * 136, "format", "not a Peppol identifier value"),
        ("9930:DE136695977", "invalid", "the DE VAT number"),
        ("9930:NL004495445B01", "invalid", "the DE VAT number"),
        ("0088:8712345000005", "invalid", "not a valid GLN"),
        ("0208:0403019262", "invalid", "Belgian enterprise number"),
    ],
)
def test_refused_ids_say_why(text: str, code: str, words: str) -> None:
    got_code, message = refusal(text)
    assert got_code == code
    assert words in message


def test_every_vat_scheme_is_a_scheme_peppol_accepts() -> None:
    schemes = peppol.schemes()
    table = peppol.vat_number_schemes()
    assert table["DE"] == "9930"
    assert table["NL"] == "9944"
    assert table["EL"] == "9933"
    assert set(table.values()) <= set(schemes)
    assert "EM" not in schemes  # e-mail is EN 16931's, not Peppol's


@pytest.mark.parametrize(
    ("vat_number", "expected"),
    [
        ("DE136695976", ("9930", "DE136695976")),
        ("gr 094501040", ("9933", "EL094501040")),
        ("BE0403019261", ("0208", "0403019261")),  # Belgium: the enterprise number
        ("SE556036079301", None),  # Sweden's scheme is the organisation number: fill it in
        ("DE136695977", None),
        (None, None),
        ("", None),
    ],
)
def test_endpoint_from_the_vat_number(
    vat_number: str | None, expected: tuple[str, str] | None
) -> None:
    assert peppol.from_vat_number(vat_number) == expected


def test_an_own_id_comes_before_the_vat_number() -> None:
    assert peppol.endpoint("0088:8712345000004", "DE136695976") == ("0088", "8712345000004")
    assert peppol.endpoint(None, "DE136695976") == ("9930", "DE136695976")
    assert peppol.endpoint(None, None) is None
