"""PDF and e-invoice files for the invoice screen (run inside workers), through the
documents service (`invoicer.services.documents`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _folder(app: Any) -> Path:
    folder = app.export_dir
    if folder is None:
        from invoicer.services.paths import data_dir

        folder = Path(data_dir()) / "documents"
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _safe(number: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in number)


def render_pdf(app: Any, invoice: Any) -> Path:
    from invoicer.services import documents

    data = documents.render_pdf(app.services, invoice.id).pdf  # the issued bytes, always
    path = _folder(app) / f"{_safe(invoice.number)}.pdf"
    path.write_bytes(data)
    app.opener(path)
    return path


def export_einvoice(app: Any, invoice: Any, fmt: str = "ubl") -> Path:
    from invoicer.services import documents

    data = documents.export(app.services, invoice.id, fmt)
    suffix = "pdf" if fmt == "facturx" else "xml"  # Factur-X is a PDF with the XML inside
    path = _folder(app) / f"{_safe(invoice.number)}.{fmt}.{suffix}"
    path.write_bytes(data)
    return path
