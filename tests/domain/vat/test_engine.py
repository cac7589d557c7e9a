"""Every row of VAT.md §1.2 in scope (1-11, 13), plus thresholds, territories and bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from invoicer.domain.errors import ValidationError
from invoicer.domain.vat.model import BuyerVat, RateClass, SellerVat, SupplyKind, VatCategory

from .conftest import BE_VAT, DE_VAT, EL_VAT, FR_VAT, XI_VAT, line, make_quote

GOODS, SERVICES, TBE = SupplyKind.GOODS, SupplyKind.SERVICES, SupplyKind.ELECTRONIC_SERVICES


def only_group(q):  # type: ignore[no-untyped-def]
    assert len(q.groups) == 1
    return q.groups[0]


# --- row 1: domestic -------------------------------------------------------------------------


def test_row1_domestic_standard_and_reduced_rates_group_separately() -> None:
    q = make_quote(
        buyer=BuyerVat("NL"),
        lines=(line("100"), line("10", "3", rate_class=RateClass.REDUCED)),
    )
    assert [(g.category, g.rate, g.tax_minor) for g in q.groups] == [
        (VatCategory.STANDARD, Decimal(21), 2100),
        (VatCategory.STANDARD, Decimal(9), 270),
    ]
    assert (q.net_minor, q.vat_minor, q.gross_minor) == (13000, 2370, 15370)
    assert q.lines[0].tax_country == "NL"
    assert not q.requirements.buyer_vat_number


def test_row1_domestic_b2b_is_still_charged_at_the_seller_rate() -> None:
    q = make_quote(buyer=BuyerVat("DE", vat_number=DE_VAT), seller=SellerVat("DE", DE_VAT))
    assert (only_group(q).category, only_group(q).rate) == (VatCategory.STANDARD, Decimal(19))


def test_row1_zero_and_exempt_rate_classes() -> None:
    q = make_quote(
        buyer=BuyerVat("NL"),
        lines=(line(rate_class=RateClass.ZERO), line(rate_class=RateClass.EXEMPT)),
        language="de",
    )
    zero, exempt = q.groups
    assert (zero.category, zero.exemption_code, zero.tax_minor) == (VatCategory.ZERO, None, 0)
    assert exempt.category is VatCategory.EXEMPT
    assert exempt.exemption_code == "VATEX-EU-132"
    assert exempt.exemption_text == "Steuerfrei nach Art. 132 MwStSystRL"


# --- row 2: B2B services to another Member State -------------------------------------------


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Reverse charge"),
        ("nl", "Btw verlegd"),
        ("de", "Steuerschuldnerschaft des Leistungsempfängers"),
        ("fr", "Autoliquidation"),
    ],
)
def test_row2_b2b_services_reverse_charge(language: str, text: str) -> None:
    q = make_quote(
        buyer=BuyerVat("DE", vat_number=DE_VAT, vat_verified=True),
        lines=(line("1000", supply=SERVICES),),
        language=language,
    )
    group = only_group(q)
    assert (group.category, group.rate, group.tax_minor) == (VatCategory.REVERSE_CHARGE, 0, 0)
    assert (group.exemption_code, group.exemption_text) == ("VATEX-EU-AE", text)
    assert q.requirements.buyer_vat_number
    assert not q.requirements.unverified_buyer_vat_number
    assert q.gross_minor == 100000


def test_row2_unverified_number_is_flagged_for_the_caller_to_block_or_warn() -> None:
    q = make_quote(buyer=BuyerVat("BE", vat_number=BE_VAT), lines=(line(supply=TBE),))
    assert only_group(q).category is VatCategory.REVERSE_CHARGE
    assert q.requirements.unverified_buyer_vat_number


# --- row 3: intra-Community supply of goods --------------------------------------------------


def test_row3_b2b_goods_intra_community_supply() -> None:
    q = make_quote(buyer=BuyerVat("DE", vat_number=DE_VAT, vat_verified=True), language="nl")
    group = only_group(q)
    assert group.category is VatCategory.INTRA_COMMUNITY
    assert group.exemption_code == "VATEX-EU-IC"
    assert group.exemption_text == "Intracommunautaire levering"
    r = q.requirements
    assert r.buyer_vat_number
    assert r.delivery_date
    assert r.deliver_to_country


# --- rows 4 and 5: B2C distance sales and TBE services ------------------------------------


def test_row4_b2c_goods_below_threshold_use_the_seller_rate() -> None:
    q = make_quote(buyer=BuyerVat("DE"), eu_b2c_sales_current_year=Decimal(5000))
    assert (only_group(q).rate, q.lines[0].tax_country) == (Decimal(21), "NL")
    assert not q.requirements.oss


def test_row4_b2c_goods_above_threshold_previous_year_use_the_buyer_rate() -> None:
    q = make_quote(buyer=BuyerVat("DE"), eu_b2c_sales_previous_year=Decimal("10000.01"))
    assert (only_group(q).rate, q.lines[0].tax_country) == (Decimal(19), "DE")


def test_row4_threshold_exceeded_earlier_this_year() -> None:
    q = make_quote(buyer=BuyerVat("FR"), eu_b2c_sales_current_year=Decimal(10001))
    assert only_group(q).rate == Decimal(20)


def test_row4_exactly_at_threshold_stays_with_the_seller_rate() -> None:
    q = make_quote(
        buyer=BuyerVat("DE"), lines=(line("1000"),), eu_b2c_sales_current_year=Decimal(9000)
    )
    assert only_group(q).rate == Decimal(21)  # 10,000 is not "exceeding"


def test_row4_the_sale_that_crosses_the_threshold_is_itself_taxed_at_destination() -> None:
    q = make_quote(
        buyer=BuyerVat("DE"),
        lines=(line("1000.01"),),
        eu_b2c_sales_current_year=Decimal(9000),
    )
    assert (only_group(q).rate, only_group(q).tax_minor) == (Decimal(19), 19000)


def test_row4_services_do_not_count_towards_the_threshold() -> None:
    q = make_quote(
        buyer=BuyerVat("DE"),
        lines=(line("5000", supply=SERVICES), line("100")),
        eu_b2c_sales_current_year=Decimal(9000),
    )
    assert {g.rate for g in q.groups} == {Decimal(21)}


def test_row4_oss_opt_in_taxes_at_destination_below_threshold() -> None:
    q = make_quote(buyer=BuyerVat("FR"), seller=SellerVat("NL", oss_opt_in=True))
    assert only_group(q).rate == Decimal(20)
    assert not q.requirements.oss  # opted in, but not declaring through the OSS


def test_row4_oss_registered_seller_gets_the_oss_note() -> None:
    q = make_quote(
        buyer=BuyerVat("SE"),
        seller=SellerVat("NL", oss_registered=True),
        lines=(line(rate_class=RateClass.REDUCED),),
        language="nl",
    )
    assert (only_group(q).rate, q.lines[0].tax_country) == (Decimal(12), "SE")
    assert q.requirements.oss
    assert q.requirements.notes == ("Btw van SE berekend via de One-Stop-Shop-regeling (OSS)",)


def test_row4_destination_rate_class_override_per_country() -> None:
    q = make_quote(
        buyer=BuyerVat("DE"),
        seller=SellerVat("NL", oss_opt_in=True),
        lines=(
            line(rate_class=RateClass.REDUCED, rate_class_by_country=(("DE", RateClass.STANDARD),)),
        ),
    )
    assert only_group(q).rate == Decimal(19)


def test_row4_destination_zero_and_exempt_classes() -> None:
    q = make_quote(
        buyer=BuyerVat("DE"),
        seller=SellerVat("NL", oss_opt_in=True),
        lines=(line(rate_class=RateClass.ZERO), line(rate_class=RateClass.EXEMPT)),
    )
    assert [(g.category, g.rate) for g in q.groups] == [
        (VatCategory.ZERO, 0),
        (VatCategory.EXEMPT, 0),
    ]
    assert q.lines[0].tax_country == "DE"


def test_row5_tbe_services_b2c_follow_the_threshold() -> None:
    below = make_quote(buyer=BuyerVat("IE"), lines=(line(supply=TBE),))
    above = make_quote(
        buyer=BuyerVat("IE"), lines=(line(supply=TBE),), eu_b2c_sales_previous_year=Decimal(20000)
    )
    assert only_group(below).rate == Decimal(21)
    assert only_group(above).rate == Decimal(23)


# --- row 6: other B2C services --------------------------------------------------------------


def test_row6_general_b2c_services_stay_at_the_seller_rate_even_above_threshold() -> None:
    q = make_quote(
        buyer=BuyerVat("DE"),
        lines=(line(supply=SERVICES),),
        eu_b2c_sales_previous_year=Decimal(50000),
    )
    assert (only_group(q).rate, q.lines[0].tax_country) == (Decimal(21), "NL")


def test_a_business_without_vat_number_in_another_member_state_is_treated_as_consumer() -> None:
    q = make_quote(buyer=BuyerVat("DE", is_business=True), lines=(line(supply=SERVICES),))
    assert only_group(q).category is VatCategory.STANDARD


# --- row 7: exports ------------------------------------------------------------------------


@pytest.mark.parametrize("country", ["US", "CH", "NO", "GB"])
def test_row7_goods_outside_the_eu_are_exports(country: str) -> None:
    q = make_quote(buyer=BuyerVat(country), language="fr")
    group = only_group(q)
    assert (group.category, group.exemption_code) == (VatCategory.EXPORT, "VATEX-EU-G")
    # A Dutch seller cites the Directive; the French tax code is for French sellers.
    assert group.exemption_text == "Exonération de TVA, article 146 de la directive 2006/112/CE"
    assert not q.requirements.omit_vat_identifiers


# --- rows 8 and 9: services outside the EU --------------------------------------------------


def test_row8_b2b_services_outside_the_eu_are_outside_scope() -> None:
    q = make_quote(
        buyer=BuyerVat("US", vat_number="EIN 12-3456789"), lines=(line(supply=SERVICES),)
    )
    group = only_group(q)
    assert (group.category, group.exemption_code) == (VatCategory.OUTSIDE_SCOPE, "VATEX-EU-O")
    assert q.requirements.omit_vat_identifiers  # BR-O-02


def test_row9_b2c_services_outside_the_eu_general_rule_is_the_seller_rate() -> None:
    q = make_quote(buyer=BuyerVat("CH"), lines=(line(supply=SERVICES),))
    assert (only_group(q).category, only_group(q).rate) == (VatCategory.STANDARD, Decimal(21))


def test_row9_art59_and_tbe_services_to_non_eu_consumers_are_outside_scope() -> None:
    for spec in (line(supply=SERVICES, art59_service=True), line(supply=TBE)):
        q = make_quote(buyer=BuyerVat("US"), lines=(spec,))
        assert only_group(q).category is VatCategory.OUTSIDE_SCOPE


def test_category_o_mixed_with_other_categories_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        make_quote(buyer=BuyerVat("US", is_business=True), lines=(line(), line(supply=SERVICES)))
    assert err.value.problems[0].field == "lines"
    assert "BR-O-11" in str(err.value)


# --- row 10: Northern Ireland --------------------------------------------------------------


def test_row10_xi_goods_b2b_are_intra_community_supplies() -> None:
    q = make_quote(buyer=BuyerVat("GB", vat_number=XI_VAT, vat_verified=True))
    assert only_group(q).category is VatCategory.INTRA_COMMUNITY


def test_row10_xi_goods_b2c_are_distance_sales_with_uk_rates_above_threshold() -> None:
    below = make_quote(buyer=BuyerVat("GB", postcode="BT1 1AA"))
    above = make_quote(
        buyer=BuyerVat("GB", northern_ireland=True), eu_b2c_sales_previous_year=Decimal(10001)
    )
    assert (only_group(below).category, only_group(below).rate) == (VatCategory.STANDARD, 21)
    assert (only_group(above).rate, above.lines[0].tax_country) == (Decimal(20), "XI")


def test_row10_xi_services_are_like_non_eu_services() -> None:
    b2b = make_quote(
        buyer=BuyerVat("GB", vat_number=XI_VAT, vat_verified=True), lines=(line(supply=SERVICES),)
    )
    b2c = make_quote(buyer=BuyerVat("GB", postcode="BT7 1NN"), lines=(line(supply=SERVICES),))
    assert only_group(b2b).category is VatCategory.OUTSIDE_SCOPE
    assert (only_group(b2c).category, only_group(b2c).rate) == (VatCategory.STANDARD, 21)


def test_row10_gb_vat_number_is_not_an_eu_number() -> None:
    with pytest.raises(ValidationError, match="UK VAT number"):
        make_quote(buyer=BuyerVat("GB", vat_number="GB980780684", northern_ireland=True))


# --- row 11: special territories -----------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "postcode"),
    [
        ("ES", "35001"),  # Canary Islands (Las Palmas)
        ("ES", "38001"),  # Canary Islands (Tenerife)
        ("ES", "51001"),  # Ceuta
        ("ES", "52001"),  # Melilla
        ("GR", "63086"),  # Mount Athos
        ("FI", "22100"),  # Åland (Mariehamn)
        ("FR", "97100"),  # Guadeloupe
        ("FR", "97200"),  # Martinique
        ("FR", "97300"),  # Guyane
        ("FR", "97400"),  # Réunion
        ("FR", "97600"),  # Mayotte
        ("FR", "97150"),  # Saint-Martin
        ("DE", "78266"),  # Büsingen
        ("DE", "27498"),  # Heligoland
        ("IT", "23041"),  # Livigno
        ("IT", "22061"),  # Campione d'Italia
    ],
)
def test_row11_special_territories_are_third_territories(country: str, postcode: str) -> None:
    goods = make_quote(buyer=BuyerVat(country, postcode=postcode))
    services = make_quote(
        buyer=BuyerVat(country, postcode=postcode, is_business=True),
        lines=(line(supply=SERVICES),),
    )
    assert only_group(goods).category is VatCategory.EXPORT
    assert only_group(services).category is VatCategory.OUTSIDE_SCOPE


def test_row11_mainland_postcodes_are_ordinary_member_state_addresses() -> None:
    q = make_quote(buyer=BuyerVat("ES", postcode="28001", vat_number="ESA28017895"))
    assert only_group(q).category is VatCategory.INTRA_COMMUNITY


def test_row11_domestic_sale_into_own_special_territory_is_an_export() -> None:
    q = make_quote(seller=SellerVat("ES", "ESA28017895"), buyer=BuyerVat("ES", postcode="35001"))
    assert only_group(q).category is VatCategory.EXPORT


def test_regional_standard_rate_inside_the_eu_vat_area() -> None:
    q = make_quote(
        buyer=BuyerVat("PT", postcode="9000-001"),
        seller=SellerVat("NL", oss_opt_in=True),
        lines=(line(), line(rate_class=RateClass.REDUCED)),
    )
    assert [g.rate for g in q.groups] == [Decimal(22), Decimal(13)]  # Madeira; reduced: mainland


# --- row 13: small-business exemption ----------------------------------------------------


@pytest.mark.parametrize(
    ("seller", "language", "code", "text"),
    [
        ("NL", "nl", None, "Vrijgesteld van btw – kleineondernemersregeling (KOR)"),
        ("DE", "de", None, "Kleinunternehmer, § 19 UStG"),
        ("FR", "fr", "VATEX-FR-FRANCHISE", "TVA non applicable, art. 293 B du CGI"),
        ("BE", "en", None, "VAT exempt – small business scheme (Art. 284 Directive 2006/112/EC)"),
    ],
)
def test_row13_small_business_exemption(
    seller: str, language: str, code: str | None, text: str
) -> None:
    q = make_quote(
        seller=SellerVat(seller, small_business=True), buyer=BuyerVat(seller), language=language
    )
    group = only_group(q)
    assert (group.category, group.tax_minor) == (VatCategory.EXEMPT, 0)
    assert (group.exemption_code, group.exemption_text) == (code, text)


def test_row13_small_business_reverse_charge_abroad_still_applies() -> None:
    q = make_quote(
        seller=SellerVat("NL", small_business=True),
        buyer=BuyerVat("DE", vat_number=DE_VAT, vat_verified=True),
        lines=(line(supply=SERVICES),),
    )
    assert only_group(q).category is VatCategory.REVERSE_CHARGE


# --- rates over time -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "day", "rate_class", "rate"),
    [
        ("NL", dt.date(2018, 12, 31), RateClass.REDUCED, Decimal(6)),
        ("NL", dt.date(2019, 1, 1), RateClass.REDUCED, Decimal(9)),
        ("FI", dt.date(2024, 8, 31), RateClass.STANDARD, Decimal(24)),
        ("FI", dt.date(2024, 9, 1), RateClass.STANDARD, Decimal("25.5")),
        ("FI", dt.date(2025, 12, 31), RateClass.REDUCED, Decimal(14)),
        ("FI", dt.date(2026, 1, 1), RateClass.REDUCED, Decimal("13.5")),
        ("EE", dt.date(2025, 6, 30), RateClass.STANDARD, Decimal(22)),
        ("EE", dt.date(2025, 7, 1), RateClass.STANDARD, Decimal(24)),
        ("RO", dt.date(2025, 7, 31), RateClass.STANDARD, Decimal(19)),
        ("RO", dt.date(2025, 8, 1), RateClass.STANDARD, Decimal(21)),
    ],
)
def test_destination_rate_follows_the_supply_date(
    country: str, day: dt.date, rate_class: RateClass, rate: Decimal
) -> None:
    seller_country = "DE" if country == "NL" else "NL"
    q = make_quote(
        seller=SellerVat(seller_country, oss_registered=True),
        buyer=BuyerVat(country),
        lines=(line(rate_class=rate_class),),
        on=day,
    )
    assert only_group(q).rate == rate


def test_finnish_rounding_example_at_25_5_percent() -> None:
    q = make_quote(seller=SellerVat("FI"), buyer=BuyerVat("FI"), lines=(line("7.35", "4"),))
    assert (q.net_minor, q.vat_minor) == (2940, 750)  # VAT.md §1.6


# --- EL / GR -------------------------------------------------------------------------------


def test_greek_buyer_with_el_or_gr_prefix() -> None:
    for number in (EL_VAT, "GR094501040"):
        q = make_quote(buyer=BuyerVat("GR", vat_number=number, vat_verified=True))
        assert only_group(q).category is VatCategory.INTRA_COMMUNITY


def test_greek_number_for_a_german_buyer_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        make_quote(buyer=BuyerVat("DE", vat_number=EL_VAT))
    assert err.value.problems[0].field == "buyer.vat_number"


# --- currencies ----------------------------------------------------------------------------


def test_vat_stated_in_the_national_currency_when_invoicing_in_another() -> None:
    q = make_quote(buyer=BuyerVat("NL"), currency="USD", exchange_rate=Decimal("0.9"))
    assert q.requirements.vat_accounting_currency == "EUR"
    assert q.requirements.vat_total_accounting_minor == 1890  # 21.00 USD x 0.9


def test_missing_exchange_rate_when_vat_is_charged_in_a_foreign_currency() -> None:
    with pytest.raises(ValidationError) as err:
        make_quote(buyer=BuyerVat("NL"), currency="USD")
    assert err.value.problems[0].field == "exchange_rate"


def test_no_exchange_rate_needed_when_no_vat_is_charged() -> None:
    q = make_quote(buyer=BuyerVat("US"), currency="USD")
    assert q.requirements.vat_accounting_currency is None


def test_swedish_seller_states_vat_in_sek_and_jpy_has_no_decimals() -> None:
    q = make_quote(
        seller=SellerVat("SE"),
        buyer=BuyerVat("SE"),
        currency="JPY",
        lines=(line("1001"),),
        exchange_rate=Decimal("0.07"),
    )
    assert (q.net_minor, q.vat_minor) == (1001, 250)
    assert (q.requirements.vat_accounting_currency, q.requirements.vat_total_accounting_minor) == (
        "SEK",
        1750,
    )


def test_bulgaria_declares_in_euro_from_2026() -> None:
    before = make_quote(
        seller=SellerVat("BG"),
        buyer=BuyerVat("BG"),
        on=dt.date(2025, 12, 31),
        exchange_rate=Decimal("1.95583"),
    )
    after = make_quote(seller=SellerVat("BG"), buyer=BuyerVat("BG"), on=dt.date(2026, 1, 1))
    assert before.requirements.vat_accounting_currency == "BGN"
    assert after.requirements.vat_accounting_currency is None


def test_threshold_in_a_foreign_currency_uses_the_exchange_rate() -> None:
    q = make_quote(
        buyer=BuyerVat("DE"),
        currency="USD",
        lines=(line("2000"),),
        exchange_rate=Decimal("0.5"),
        eu_b2c_sales_current_year=Decimal(8999),
    )
    assert only_group(q).rate == Decimal(21)  # 8,999 + 1,000 EUR stays within 10,000
    crossing = make_quote(
        buyer=BuyerVat("DE"),
        currency="USD",
        lines=(line("2000"),),
        exchange_rate=Decimal("0.5"),
        eu_b2c_sales_current_year=Decimal(9001),
    )
    assert only_group(crossing).rate == Decimal(19)


def test_threshold_for_a_non_euro_seller_needs_a_eur_rate() -> None:
    seller = SellerVat("SE")
    with pytest.raises(ValidationError) as err:
        make_quote(seller=seller, buyer=BuyerVat("DE"), currency="SEK")
    assert err.value.problems[0].field == "eur_exchange_rate"
    q = make_quote(
        seller=seller,
        buyer=BuyerVat("DE"),
        currency="SEK",
        lines=(line("200000"),),
        eur_exchange_rate=Decimal("0.09"),
    )
    assert only_group(q).rate == Decimal(19)  # 18,000 EUR crosses the threshold


def test_threshold_with_usd_for_euro_seller_without_rate_names_exchange_rate() -> None:
    with pytest.raises(ValidationError) as err:
        make_quote(buyer=BuyerVat("DE"), currency="USD")
    assert err.value.problems[0].field == "exchange_rate"


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"buyer": BuyerVat("XX")}, "buyer.country"),
        ({"buyer": BuyerVat("Germany")}, "buyer.country"),
        ({"buyer": BuyerVat("DE", vat_number="DE123")}, "buyer.vat_number"),
        ({"buyer": BuyerVat("DE", vat_number="DE136695977")}, "buyer.vat_number"),
        ({"buyer": BuyerVat("DE", vat_number="QQ136695976")}, "buyer.vat_number"),
        ({"buyer": BuyerVat("DE", vat_number=FR_VAT)}, "buyer.vat_number"),
        ({"buyer": BuyerVat("DE"), "currency": "EURO"}, "currency"),
        ({"buyer": BuyerVat("DE"), "language": "es"}, "language"),
        ({"buyer": BuyerVat("DE"), "lines": ()}, "lines"),
        ({"buyer": BuyerVat("DE"), "seller": SellerVat("US")}, "seller.country"),
        ({"buyer": BuyerVat("DE"), "seller": SellerVat("GB")}, "seller.country"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict, field: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValidationError) as err:
        make_quote(**kwargs)
    assert err.value.problems[0].field == field


def test_an_invalid_vat_number_never_silently_becomes_b2c() -> None:
    with pytest.raises(ValidationError, match="not a valid VAT number"):
        make_quote(buyer=BuyerVat("BE", vat_number="BE0403170702"), lines=(line(supply=SERVICES),))


def test_lines_with_the_same_treatment_share_one_group_and_vat_is_rounded_once() -> None:
    q = make_quote(buyer=BuyerVat("NL"), lines=(line("0.50"), line("0.55")))
    assert [line.net_minor for line in q.lines] == [50, 55]
    assert (only_group(q).taxable_minor, only_group(q).tax_minor) == (105, 22)  # VAT.md §1.6


@pytest.mark.parametrize(
    ("seller", "buyer", "language", "text"),
    [
        (SellerVat("FR", FR_VAT), BuyerVat("US"), "fr", "Exonération de TVA, article 262 I du CGI"),
        (
            SellerVat("FR", FR_VAT),
            BuyerVat("DE", vat_number=DE_VAT),
            "fr",
            "Exonération de TVA, article 262 ter I du CGI",
        ),
        (
            SellerVat("NL"),
            BuyerVat("BE", vat_number=BE_VAT),
            "fr",
            "Exonération de TVA, article 138 de la directive 2006/112/CE",
        ),
        (
            SellerVat("FR", FR_VAT),
            BuyerVat("US"),
            "en",
            "VAT exempt export, Art. 146 Directive 2006/112/EC",
        ),
    ],
)
def test_national_law_is_cited_only_for_a_seller_established_under_it(
    seller: SellerVat, buyer: BuyerVat, language: str, text: str
) -> None:
    q = make_quote(seller=seller, buyer=buyer, language=language)
    assert only_group(q).exemption_text == text
