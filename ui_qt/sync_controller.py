"""When the GUI syncs: every few minutes and shortly after each change while the store is
linked, and when the merchant asks. svc.sync does the syncing; this only schedules its calls
in the worker pool (ui_qt/workers.py) and tells the window what it said, through signals.
A failed run becomes the indicator's text, never an exception in the GUI thread.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from invoicer.services.sync.views import ATTENTION, OFF, OFFLINE, SyncStatus
from ui_qt.dialogs.errors import error_text
from ui_qt.workers import Worker, run_in_thread

EVERY_MS = 180_000  # between background syncs while linked
AFTER_CHANGE_MS = 5_000  # of quiet after a change before it is sent


def sync_area(svc: Any) -> Any:
    """svc.sync, or None for services without sync (then it shows as off)."""
    try:
        return getattr(svc, "sync", None)
    except Exception:  # an engine that cannot load must not take the window down with it
        logging.getLogger(__name__).exception("sync is not available")
        return None


class SyncController(QObject):
    status_changed = Signal(object, bool)  # SyncStatus | None, running
    progress = Signal(str, int, object)  # phase, done, total | None
    finished = Signal(object, object)  # SyncReport | None, the error | None

    def __init__(
        self,
        svc: Any,
        parent: QObject | None = None,
        *,
        every_ms: int | None = EVERY_MS,
        after_change_ms: int | None = AFTER_CHANGE_MS,
    ) -> None:
        """`every_ms`/`after_change_ms` None: no background sync (tests run it themselves)."""
        super().__init__(parent)
        self.svc = svc
        self.status: SyncStatus | None = None
        self.running = False
        self.error: str | None = None  # the last run's error, until a run succeeds
        self._again = False
        self._workers: set[Worker] = set()
        self.every = QTimer(self)
        self.every.timeout.connect(self.sync_in_background)
        if every_ms:
            self.every.setInterval(every_ms)
        self.after_change: QTimer | None = None
        if after_change_ms:
            self.after_change = QTimer(self)
            self.after_change.setSingleShot(True)
            self.after_change.setInterval(after_change_ms)
            self.after_change.timeout.connect(self.sync_in_background)
        self._every_ms = every_ms

    @property
    def linked(self) -> bool:
        return self.status is not None and self.status.state != OFF

    def start(self) -> None:
        self.refresh_status()
        if self._every_ms:
            self.every.start()

    def _run(self, fn: Any, done: Any, failed: Any) -> None:
        worker: Worker

        def finish(callback: Any) -> Any:
            def call(value: Any) -> None:
                self._workers.discard(worker)
                callback(value)

            return call

        worker = run_in_thread(fn, finish(done), finish(failed))
        self._workers.add(worker)  # kept alive until its signal has been delivered

    # -- status -------------------------------------------------------------------------
    def refresh_status(self) -> None:
        area = sync_area(self.svc)
        if area is None:
            self.show(None)
            return
        self._run(area.status, self._status_read, self._status_failed)

    def _status_read(self, status: SyncStatus) -> None:
        if self.error and status.state not in (OFFLINE, ATTENTION):
            # The run failed in a way the store did not record: still say so.
            status = dataclasses.replace(
                status, state=ATTENTION, message=self.error, last_error=self.error
            )
        self.show(status)

    def _status_failed(self, exc: BaseException) -> None:
        pass  # the bar keeps what it showed; a status read is not worth a message box

    def show(self, status: SyncStatus | None) -> None:
        self.status = status
        self.status_changed.emit(status, self.running)

    # -- runs ---------------------------------------------------------------------------
    def changed(self) -> None:
        """After a save: the pending count changed, and the change should go up soon."""
        if sync_area(self.svc) is None:
            return
        self.refresh_status()
        if self.linked and self.after_change is not None:
            self.after_change.start()  # (re)starts: a burst of saves syncs once

    def sync_in_background(self) -> None:
        if self.linked:
            self.sync_now()
        else:
            self.refresh_status()  # set up meanwhile (say by `invoicer sync setup`)?

    def sync_now(self) -> None:
        """Start a run (unless one is under way: then one more follows it)."""
        if self.running:
            self._again = True
            return
        self.running = True
        self.show(self.status)
        emit = self.progress.emit  # from the worker thread: queued to the GUI thread

        def run() -> Any:
            return self.svc.sync.run(progress=lambda p, d, t: emit(p, d, t))

        self._run(run, self._ran, self._run_failed)

    def _ran(self, report: Any) -> None:
        self.running = False
        self.error = None
        self.show(report.status)
        self.finished.emit(report, None)
        self._next()

    def _run_failed(self, exc: BaseException) -> None:
        self.running = False
        self.error = error_text(exc)
        self.refresh_status()
        self.finished.emit(None, exc)
        self._next()

    def _next(self) -> None:
        if self._again:
            self._again = False
            self.sync_now()
