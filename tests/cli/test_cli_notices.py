"""`invoice show` prints what the law requires on the document and the VIES warning, the same
lines (from `views.Invoice.notices`) the TUI and the desktop app show."""

from __future__ import annotations

from tests.cli.conftest import Cli

WARNING = "Warning: The buyer's VAT number has no recent valid VIES check."


def test_show_prints_the_reverse_charge_wording_and_the_vies_warning(ready: Cli) -> None:
    customer = ready.json(
        "customer", "add", "--name", "Müller Bau GmbH", "--street", "Marktplatz 5",
        "--postcode", "80331", "--city", "München", "--country", "DE",
        "--vat-number", "DE129273398", "--business",
    )  # fmt: skip
    product = ready.json(
        "product", "add", "--name", "Consulting", "--unit-price", "90", "--supply-kind", "services"
    )
    draft = ready.json("invoice", "new", customer["id"])
    ready("invoice", "add-line", draft["id"], "--product", product["id"], "--quantity", "2")
    _, preview, _ = ready("invoice", "preview", draft["id"])
    assert WARNING in preview
    issued = ready.json("invoice", "issue", draft["id"], "--warn-unverified")
    _, out, _ = ready("invoice", "show", issued["number"])
    assert "Reverse charge" in out
    assert WARNING in out.splitlines()
