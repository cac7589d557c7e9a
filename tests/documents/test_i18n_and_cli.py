"""Catalogs stay compiled; the document commands work end to end."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

from invoicer.cli import cli
from invoicer.cli.errors import run
from invoicer.documents.i18n import Labels
from invoicer.resources import resource
from tests.conftest import REPO_ROOT


def test_committed_mo_files_match_their_po_sources() -> None:
    from importlib.machinery import SourceFileLoader

    path = str(REPO_ROOT / "scripts" / "compile-catalogs")
    loader = SourceFileLoader("compile_catalogs", path)
    spec = importlib.util.spec_from_loader("compile_catalogs", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    pos = sorted((REPO_ROOT / "resources" / "locale").glob("*/LC_MESSAGES/invoicer.po"))
    assert {p.parts[-3] for p in pos} == {"nl", "de", "fr"}
    for po in pos:
        assert po.with_suffix(".mo").read_bytes() == module.compile_po(po), po


def test_every_label_is_translated() -> None:
    english = Labels("en")
    for language in ("nl", "de", "fr"):
        labels = Labels(language)
        assert labels("Invoice") != english("Invoice")
        assert labels("Amount due") != "Amount due"
    assert Labels("es")("Invoice") == "Invoice"  # unknown languages print in English
    assert resource("locale", "nl", "LC_MESSAGES", "invoicer.mo").is_file()


def test_invoice_pdf_export_and_einvoice_show(tmp_path: Path, capsys: object) -> None:
    db = tmp_path / "d.sqlite"
    base = [sys.executable, "-m", "invoicer", "--db", str(db)]
    subprocess.run([*base, "demo", "--invoices", "12"], check=True, cwd=REPO_ROOT,
                   capture_output=True)  # fmt: skip
    listing = json.loads(subprocess.run([*base, "invoice", "list", "--json", "--status", "paid"],
                                        check=True, cwd=REPO_ROOT, capture_output=True,
                                        text=True).stdout)  # fmt: skip
    number = listing["items"][0]["number"]
    out = tmp_path / "one.pdf"
    assert run(cli, ["--db", str(db), "invoice", "pdf", number, "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    folder = tmp_path / "all"
    assert (
        run(cli, ["--db", str(db), "invoice", "pdf", "--all", "-o", str(folder), "--jobs", "2"])
        == 0
    )
    assert len(list(folder.glob("*.pdf"))) >= 10
    for fmt, name in (("ubl-en16931", "x.xml"), ("cii", "y.xml"), ("facturx", "z.pdf")):
        target = tmp_path / name
        assert run(cli, ["--db", str(db), "invoice", "export", number, "--format", fmt,
                         "-o", str(target)]) == 0  # fmt: skip
        assert run(cli, ["einvoice", "show", str(target), "--json"]) == 0
    shown = subprocess.run([*base, "einvoice", "show", str(tmp_path / "x.xml")], cwd=REPO_ROOT,
                           capture_output=True, text=True)  # fmt: skip
    assert shown.returncode == 0
    assert "Totals reconcile." in shown.stdout
    bad = tmp_path / "bad.xml"
    bad.write_text("<Invoice><ID>1</ID>")
    assert run(cli, ["einvoice", "show", str(bad)]) == 1
