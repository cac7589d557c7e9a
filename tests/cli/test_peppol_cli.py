"""`customer add --peppol-id` and `invoice export --format ubl` for Peppol, through the CLI."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from tests.documents.validation import assert_peppol_valid

from .conftest import Cli

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"


def endpoints(xml: bytes) -> list[tuple[str | None, str | None]]:
    return [(e.get("schemeID"), e.text) for e in etree.fromstring(xml).iter(f"{{{CBC}}}EndpointID")]


def test_a_bad_id_is_refused_and_nothing_is_saved(ready: Cli) -> None:
    before = ready.snapshot()
    code, _, err = ready(
        "customer", "add", "--name", "X BV", "--country", "NL", "--street", "A 1",
        "--postcode", "1000 AA", "--city", "Amsterdam", "--peppol-id", "EM:x@example.nl",
        ok=False,
    )  # fmt: skip
    assert code != 0
    assert "not a Peppol electronic address scheme" in err
    assert "Traceback" not in err
    assert ready.snapshot() == before


def test_the_cli_takes_the_id_and_exports_for_peppol(ready: Cli, tmp_path: Path) -> None:
    customer = ready.json(
        "customer", "add", "--name", "Brussels Tea SA", "--country", "BE",
        "--street", "Rue Neuve 1", "--postcode", "1000", "--city", "Bruxelles",
        "--vat-number", "BE0403019261",
    )  # fmt: skip
    assert customer["peppol_id"] is None  # derived at export from the VAT number: 0208
    ready("settings", "set", "vies_policy=warn")
    draft = ready.json("invoice", "new", customer["id"])
    ready("invoice", "add-line", draft["id"], "--description", "Tea", "--unit-price", "10")
    ready("invoice", "issue", draft["id"])
    target = tmp_path / "peppol.xml"
    ready("invoice", "export", draft["id"], "--format", "ubl", "-o", str(target))
    xml = target.read_bytes()
    assert_peppol_valid(xml)
    assert ("0208", "0403019261") in endpoints(xml)
