"""EU VAT numbers: offline format and checksum checks (python-stdnum), EL and XI handled.

Greece writes its VAT numbers with EL (Art. 215) while ISO and addresses use GR; python-stdnum
accepts both, so numbers are normalised to EL before they are printed or sent to VIES.
Northern Ireland traders use XI (goods only, Windsor Framework); GB numbers are not EU VAT
numbers since 2021.

>>> normalize(" gr 094-501.040 ")
'EL094501040'
>>> country_of("EL094501040"), country_of("XI980780684")
('GR', 'GB')
>>> vies_parts("EL094501040")
('EL', '094501040')
"""

from __future__ import annotations

from stdnum import exceptions as stdnum_errors
from stdnum.eu import vat as eu_vat
from stdnum.util import clean

from invoicer.domain.errors import ValidationError

# VAT prefix -> ISO 3166-1 country where the two differ.
_PREFIX_COUNTRY = {"EL": "GR", "XI": "GB"}


def compact(number: str) -> str:
    """Upper case, separators removed, GR normalised to EL. No validation."""
    text = clean(number, " -./,").upper().strip()
    return "EL" + text[2:] if text.startswith("GR") else text


def normalize(number: str, *, field: str = "vat_number") -> str:
    """The number in its canonical form, or a ValidationError naming `field`."""
    text = compact(number)
    if text.startswith("GB"):
        raise ValidationError.single(
            field,
            "not_eu",
            f"{text} is a UK VAT number; UK numbers are not EU VAT numbers since 2021 "
            "(Northern Ireland traders use XI for goods).",
        )
    try:
        eu_vat.validate(text)
    except stdnum_errors.InvalidComponent:
        raise ValidationError.single(
            field, "unknown_country", f"{number!r} does not start with an EU VAT country prefix."
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError.single(
            field,
            "invalid",
            f"{number!r} is not a valid VAT number (wrong length, format or check digit).",
        ) from None
    return text


def is_valid(number: str) -> bool:
    try:
        normalize(number)
    except ValidationError:
        return False
    return True


def prefix_of(number: str) -> str:
    return compact(number)[:2]


def country_of(number: str) -> str:
    """The ISO 3166-1 country a (normalised) VAT number belongs to."""
    prefix = prefix_of(number)
    return _PREFIX_COUNTRY.get(prefix, prefix)


def vies_parts(number: str) -> tuple[str, str]:
    """(countryCode, vatNumber) as VIES wants them: EL for Greece, no prefix in the number."""
    text = compact(number)
    return text[:2], text[2:]
