"""The legal wording printed for each VAT treatment (BT-120), in the invoice's language.

Art. 226 fixes the English terms; any official EU language is valid. The Dutch, German and
French texts are the customary forms of VAT.md §1.3 (to be reviewed per country before a
merchant relies on them).
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("en", "nl", "de", "fr")

# VATEX codes (CEF VATEX code list) for the treatments the engine produces.
REVERSE_CHARGE = "VATEX-EU-AE"
INTRA_COMMUNITY = "VATEX-EU-IC"
EXPORT = "VATEX-EU-G"
OUTSIDE_SCOPE = "VATEX-EU-O"
EXEMPT_ART_132 = "VATEX-EU-132"
FR_FRANCHISE = "VATEX-FR-FRANCHISE"

_TEXTS: Mapping[str, Mapping[str, str]] = {
    REVERSE_CHARGE: {
        "en": "Reverse charge",
        "nl": "Btw verlegd",
        "de": "Steuerschuldnerschaft des Leistungsempfängers",
        "fr": "Autoliquidation",
    },
    INTRA_COMMUNITY: {
        "en": "VAT exempt intra-Community supply, Art. 138 Directive 2006/112/EC",
        "nl": "Intracommunautaire levering",
        "de": "Steuerfreie innergemeinschaftliche Lieferung",
        "fr": "Exonération de TVA, article 138 de la directive 2006/112/CE",
    },
    EXPORT: {
        "en": "VAT exempt export, Art. 146 Directive 2006/112/EC",
        "nl": "Uitvoer / export buiten de EU (0 %)",
        "de": "Steuerfreie Ausfuhrlieferung",
        "fr": "Exonération de TVA, article 146 de la directive 2006/112/CE",
    },
    OUTSIDE_SCOPE: {
        "en": "Not subject to EU VAT (Art. 44 / Art. 59 Directive 2006/112/EC)",
        "nl": "Niet belast in de EU",
        "de": "Nicht im Inland steuerbar",
        "fr": "Hors champ de la TVA UE",
    },
    EXEMPT_ART_132: {
        "en": "VAT exempt, Art. 132 Directive 2006/112/EC",
        "nl": "Vrijgesteld van btw, art. 132 Richtlijn 2006/112/EG",
        "de": "Steuerfrei nach Art. 132 MwStSystRL",
        "fr": "Exonération de TVA, article 132 de la directive 2006/112/CE",
    },
}

# A national law is cited only by a seller established under it: a Dutch seller invoicing in
# French cites the Directive, not the French tax code (CGI).
_NATIONAL_TEXTS: Mapping[tuple[str, str, str], str] = {
    (INTRA_COMMUNITY, "FR", "fr"): "Exonération de TVA, article 262 ter I du CGI",
    (EXPORT, "FR", "fr"): "Exonération de TVA, article 262 I du CGI",
}

# The small-business exemption names the seller's national law where we know it.
_SMALL_BUSINESS_GENERIC = {
    "en": "VAT exempt – small business scheme (Art. 284 Directive 2006/112/EC)",
    "nl": "Vrijgesteld van btw – kleineondernemersregeling (art. 284 Richtlijn 2006/112/EG)",
    "de": "Steuerbefreit – Kleinunternehmerregelung (Art. 284 MwStSystRL)",
    "fr": "Exonération de TVA – régime des petites entreprises (art. 284 directive 2006/112/CE)",
}
_SMALL_BUSINESS_NATIONAL = {
    ("NL", "en"): "VAT exempt – small business scheme (KOR, art. 25 Wet OB 1968)",
    ("NL", "nl"): "Vrijgesteld van btw – kleineondernemersregeling (KOR)",
    ("NL", "de"): "Steuerbefreit – Kleinunternehmerregelung (KOR, Art. 25 Wet OB 1968)",
    ("NL", "fr"): "Exonération de TVA – régime des petites entreprises (KOR, art. 25 Wet OB 1968)",
    ("DE", "de"): "Kleinunternehmer, § 19 UStG",
    ("DE", "en"): "VAT exempt – small business (§ 19 UStG)",
    ("FR", "fr"): "TVA non applicable, art. 293 B du CGI",
    ("FR", "en"): "VAT not applicable, art. 293 B of the French tax code (CGI)",
}

_OSS_NOTE = {
    "en": "VAT of {country} charged under the EU One-Stop-Shop (OSS) scheme",
    "nl": "Btw van {country} berekend via de One-Stop-Shop-regeling (OSS)",
    "de": "Umsatzsteuer von {country} im Rahmen des One-Stop-Shop-Verfahrens (OSS)",
    "fr": "TVA de {country} facturée dans le cadre du guichet unique (OSS)",
}


def exemption_text(code: str, language: str, seller_country: str = "") -> str:
    """The BT-120 text for a VATEX code, citing the seller's national law where customary.

    >>> exemption_text("VATEX-EU-AE", "nl")
    'Btw verlegd'
    >>> exemption_text("VATEX-EU-G", "fr", "FR")
    'Exonération de TVA, article 262 I du CGI'
    >>> exemption_text("VATEX-EU-G", "fr", "NL")
    'Exonération de TVA, article 146 de la directive 2006/112/CE'
    """
    return _NATIONAL_TEXTS.get((code, seller_country, language)) or _TEXTS[code][language]


def small_business_text(seller_country: str, language: str) -> str:
    """The exemption wording of the small-business scheme (Art. 284; NL KOR).

    >>> small_business_text("NL", "nl")
    'Vrijgesteld van btw – kleineondernemersregeling (KOR)'
    """
    national = _SMALL_BUSINESS_NATIONAL.get((seller_country, language))
    return national or _SMALL_BUSINESS_GENERIC[language]


def small_business_code(seller_country: str) -> str | None:
    """No EU VATEX code exists for the SME exemption; France has its own."""
    return FR_FRANCHISE if seller_country == "FR" else None


def oss_note(country: str, language: str) -> str:
    return _OSS_NOTE[language].format(country=country)
