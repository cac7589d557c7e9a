"""The invoice PDF shown inside the app with QtPdf; rendered in a worker thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
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


class PdfPreview(QDialog):
    def __init__(self, svc: Services, invoice: Invoice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.svc = svc
        self.invoice = invoice
        self.pdf: bytes | None = None
        self.setWindowTitle(self.tr("PDF – {0}").format(invoice.number))
        self.resize(760, 900)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.status = named(QLabel(self.tr("Rendering…")), "status")
        self.save_button = named(QPushButton(self.tr("&Save PDF…")), "save")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self._ask_save)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.save_button)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        self._buffer: QBuffer | None = None
        self.worker: Worker = run_in_thread(self._render, self._show, self._failed)

    def _render(self) -> bytes:
        from invoicer.services.documents import render_pdf

        return render_pdf(self.svc, self.invoice.id).pdf  # the issued bytes, always

    def _show(self, pdf: bytes) -> None:
        self.pdf = pdf
        # QPdfDocument reads from the device while it lives: keep the buffer on self.
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        self.status.setText(self.tr("{0} page(s)").format(self.document.pageCount()))
        self.save_button.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(self.tr("The PDF could not be made."))
        show_error(self, exc)

    def _ask_save(self) -> None:
        from invoicer.services.documents import pdf_filename

        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save PDF"), pdf_filename(self.invoice.number or "invoice"), "PDF (*.pdf)"
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        if self.pdf is not None:
            path.write_bytes(self.pdf)
