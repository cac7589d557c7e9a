"""E-invoice export (UBL, CII, Factur-X) through the documents service, in a worker."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invoicer.services.app import Services
from invoicer.services.views import Invoice
from ui_qt.dialogs.errors import show_error
from ui_qt.widgets.naming import named
from ui_qt.workers import Worker, run_in_thread

FORMATS = [
    ("ubl", "Peppol BIS 3.0 (UBL XML)", "xml"),
    ("ubl-en16931", "EN 16931 UBL XML (no Peppol ids needed)", "xml"),
    ("cii", "UN/CEFACT CII (XML)", "xml"),
    ("facturx", "Factur-X / ZUGFeRD (PDF with XML)", "pdf"),
]


def documents_available() -> bool:
    """The documents team's module may be missing from a build: the UI says so plainly."""
    try:
        import invoicer.services.documents  # noqa: F401
    except ImportError:
        return False
    return True


class ExportDialog(QDialog):
    def __init__(self, svc: Services, invoice: Invoice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.svc = svc
        self.invoice = invoice
        self.worker: Worker | None = None
        self.setWindowTitle(self.tr("Export e-invoice – {0}").format(invoice.number))
        self.format = named(QComboBox(), "format")
        for code, label, _ in FORMATS:
            self.format.addItem(self.tr(label), code)
        self.status = named(QLabel(), "status")
        self.export_button = named(QPushButton(self.tr("&Export…")), "export")
        self.export_button.clicked.connect(self._ask_path)
        if not documents_available():
            self.status.setText(self.tr("E-invoice export is not part of this build."))
            self.export_button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.format, 1)
        row.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)

    def _ask_path(self) -> None:
        code = self.format.currentData()
        ext = next(e for c, _, e in FORMATS if c == code)
        name = f"{self.invoice.number}-{code}.{ext}".replace("/", "_")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), name)
        if path:
            self.export_to(Path(path), code)

    def export_to(self, path: Path, code: str) -> None:
        from invoicer.services.documents import export

        self.status.setText(self.tr("Exporting…"))
        self.export_button.setEnabled(False)

        def done(data: bytes) -> None:
            path.write_bytes(data)
            self.status.setText(self.tr("Saved {0}").format(path))
            self.export_button.setEnabled(True)

        def failed(exc: BaseException) -> None:
            self.status.setText("")
            self.export_button.setEnabled(True)
            show_error(self, exc)

        self.worker = run_in_thread(lambda: export(self.svc, self.invoice.id, code), done, failed)
