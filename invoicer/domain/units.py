"""Names of the UN/ECE Recommendation 20 unit codes a small business uses (what a person reads
for the code stored on a line: "piece" for C62, "hour" for HUR). An unknown code is shown as is."""

from __future__ import annotations

UNIT_NAMES: dict[str, str] = {
    "C62": "piece",
    "H87": "piece",
    "EA": "each",
    "XPP": "piece",
    "SET": "set",
    "PR": "pair",
    "XPK": "pack",
    "XBX": "box",
    "LS": "lump sum",
    "E48": "service unit",
    "SEC": "second",
    "MIN": "minute",
    "HUR": "hour",
    "DAY": "day",
    "WEE": "week",
    "MON": "month",
    "QAN": "quarter",
    "ANN": "year",
    "GRM": "gram",
    "KGM": "kilogram",
    "TNE": "tonne",
    "MMT": "millimetre",
    "CMT": "centimetre",
    "MTR": "metre",
    "KMT": "kilometre",
    "MTK": "square metre",
    "MTQ": "cubic metre",
    "MLT": "millilitre",
    "LTR": "litre",
    "KWH": "kilowatt hour",
    "KWT": "kilowatt",
    "P1": "percent",
    "ZZ": "mutually defined",
}


def unit_name(code: str) -> str:
    """The unit's name for CODE ("C62" -> "piece"); an unknown code comes back unchanged."""
    return UNIT_NAMES.get(code.upper(), code)
