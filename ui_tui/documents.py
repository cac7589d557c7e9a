"""PDF and e-invoice files for the invoice screen (run inside workers).

The documents team adds `svc.documents` later; until it exists both actions say so plainly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from invoicer.domain.errors import InvoicerError

NOT_AVAILABLE = (
    "PDF and e-invoice output are not available in this build yet "
    "(the documents service is missing)."
)


def _documents(app: Any) -> Any:
    documents = getattr(app.services, "documents", None)
    if documents is None:
        raise InvoicerError(NOT_AVAILABLE)
    return documents


def _folder(app: Any) -> Path:
    folder = app.export_dir
    if folder is None:
        from invoicer.services.paths import data_dir

        folder = Path(data_dir()) / "documents"
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write(folder: Path, name: str, data: Any) -> Path:
    if isinstance(data, Path | str) and Path(data).exists():
        return Path(data)
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else str(data).encode("utf-8"))
    return path


def render_pdf(app: Any, invoice: Any) -> Path:
    data = _documents(app).render_pdf(invoice.id)
    path = _write(_folder(app), f"{invoice.number}.pdf", data)
    app.opener(path)
    return path


def export_einvoice(app: Any, invoice: Any, fmt: str = "ubl") -> Path:
    data = _documents(app).export(invoice.id, fmt)
    return _write(_folder(app), f"{invoice.number}.{fmt}.xml", data)
