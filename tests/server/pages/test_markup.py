"""The pages as markup, rendered from the page model in every language: every field has a
label, nothing needs a script or an inline style (the CSP forbids both), what a buyer typed
is escaped, the QR code is an image with a name, and the colours keep WCAG AA contrast."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from invoicer.server.pages import buyer_form
from invoicer.server.pages.i18n import Words
from invoicer.server.pages.model import Bank, BuyerForm, Checkout, Line, Party, Totals, VatRow
from invoicer.server.pages.qr import inline_svg
from invoicer.server.pages.render import render, stylesheet

LANGUAGES = ["en", "nl", "de", "fr"]


def basket(**changes: object) -> Checkout:
    values: dict[str, object] = {
        "id": "cs_" + "a" * 32,
        "kind": "basket",
        "status": "open",
        "seller": Party(
            "Bakkerij <b>Test</b> B.V.", ("Damrak 1", "1012 LG Amsterdam"), "NL000099998B57"
        ),
        "buyer": None,
        "invoice_number": None,
        "lines": (Line("Sourdough <script>", "2", "4,50 EUR", "9 %", "9,00 EUR"),),
        "vat_rows": (VatRow("VAT 9 %", "9,00 EUR", "0,81 EUR"),),
        "totals": Totals("9,00 EUR", "0,81 EUR", "9,81 EUR", None, "9,81 EUR"),
        "currency": "EUR",
        "methods": ("card", "bank_transfer", "crypto"),
        "needs_buyer": True,
        "reverse_charge": False,
        "has_pdf": False,
    }
    values.update(changes)
    return Checkout(**values)  # type: ignore[arg-type]


class Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.label_for: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "label" and attributes.get("for"):
            self.label_for.add(str(attributes["for"]))


def parse(html: str) -> Markup:
    found = Markup()
    found.feed(html)
    return found


def pay_page(language: str, form: BuyerForm | None = None, page: Checkout | None = None) -> str:
    words = Words(language)
    response = render(
        "pay.html",
        language,
        form_targets=("https://checkout.stripe.com",),
        here="/pay/cs_x",
        seller_name="Bakkerij Test",
        c=page or basket(),
        form=form or BuyerForm(),
        buyer_fields=buyer_form.fields(words),
        countries=buyer_form.countries(language),
    )
    return bytes(response.body).decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_field_has_a_label_and_nothing_needs_a_script(language: str) -> None:
    html = pay_page(language)
    markup = parse(html)
    fields = [a for tag, a in markup.tags if tag in ("input", "select", "textarea")]
    assert len(fields) == len(buyer_form.FIELDS)
    for attributes in fields:
        assert attributes["id"] in markup.label_for, attributes
        assert attributes.get("autocomplete")
    assert ("html", {"lang": language}) in markup.tags
    assert not [t for t, _ in markup.tags if t == "script"]
    assert not [a for _, a in markup.tags if "style" in a or any(k.startswith("on") for k in a)]
    forms = [a for tag, a in markup.tags if tag == "form"]
    assert {a["method"] for a in forms} == {"post"}
    assert all(str(a["action"]).startswith("/pay/cs_x/") for a in forms)


def test_a_refused_field_says_why_next_to_it() -> None:
    from invoicer.domain.errors import Problem, ValidationError

    error = ValidationError(
        [Problem("buyer.vat_number", "invalid", "VAT number"), Problem("", "x", "Something else.")]
    )
    form = buyer_form.refused({"vat_number": "DE123"}, error, Words("de"))
    html = pay_page("de", form)
    markup = parse(html)
    [vat] = [a for tag, a in markup.tags if a.get("id") == "buyer-vat_number"]
    assert vat["aria-invalid"] == "true"
    assert vat["aria-describedby"] == "error-vat_number"
    assert 'id="error-vat_number">USt-IdNr.</p>' in html  # the service's words, translated
    assert 'value="DE123"' in html
    assert "Something else." in html


def test_what_anyone_typed_is_escaped() -> None:
    html = pay_page("en")
    assert "<script>" not in html
    assert "Sourdough &lt;script&gt;" in html
    assert "Bakkerij &lt;b&gt;Test&lt;/b&gt; B.V." in html


def test_headers_forbid_scripts_framing_and_referrers() -> None:
    response = render("not_found.html", "fr", status=404, here=None, seller_name=None)
    assert response.status_code == 404
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "script-src" not in csp  # so default-src 'none' forbids every script
    assert "frame-ancestors 'none'" in csp
    assert "form-action 'self'" in csp
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "Page de paiement introuvable" in bytes(response.body).decode()


def test_the_card_form_may_redirect_to_stripe_only() -> None:
    response = render(
        "pay.html",
        "en",
        form_targets=("https://checkout.stripe.com",),
        here="/pay/x",
        seller_name="S",
        c=basket(needs_buyer=False),
        form=BuyerForm(),
        buyer_fields=[],
        countries=(),
    )
    csp = response.headers["content-security-policy"]
    assert re.search(r"form-action 'self' https://checkout\.stripe\.com;", csp)


def test_the_qr_code_is_a_named_image_without_styles() -> None:
    svg = str(inline_svg(b"BCD\n002\n1\nSCT\n\nBakkerij\nNL91ABNA0417164300\nEUR9.81", "QR <code>"))
    assert svg.startswith('<svg role="img"')
    assert "<title>QR &lt;code&gt;</title>" in svg
    assert "style=" not in svg
    assert "<script" not in svg
    words = Words("nl")
    bank = Bank("Bakkerij", "NL91 ABNA 0417 1643 00", None, "RF18 5390 0754 7034", "9,81 EUR", None)
    response = render(
        "bank.html",
        "nl",
        here="/pay/x",
        seller_name="S",
        c=basket(needs_buyer=False),
        bank=bank,
        qr=inline_svg("x", words.gettext("QR code for a SEPA transfer")),
    )
    html = bytes(response.body).decode()
    assert "<title>QR-code voor een SEPA-overschrijving</title>" in html
    assert "RF18 5390 0754 7034" in html


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_text_colours_keep_aa_contrast() -> None:
    css = stylesheet().decode()
    colour = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6});", css))
    pairs = [
        ("ink", "paper"),
        ("ink", "ground"),
        ("muted", "paper"),
        ("muted", "ground"),
        ("accent", "paper"),
        ("accent-dark", "paper"),
        ("error", "paper"),
        ("error", "error-ground"),
        ("ok", "ok-ground"),
        ("warn", "warn-ground"),
    ]
    for text, background in pairs:
        ratio = contrast(colour[text], colour[background])
        assert ratio >= 4.5, (text, background, round(ratio, 2))
    assert contrast("#ffffff", colour["accent"]) >= 4.5  # the primary button's label
    assert contrast("#000000", "#ffffff") > 20  # the check itself is right
    assert contrast("#777777", "#ffffff") < 4.5
