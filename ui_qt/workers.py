"""Run blocking service calls off the GUI thread; results come back only through signals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class WorkerSignals(QObject):
    finished = Signal(object)  # the function's result
    failed = Signal(object)  # the exception raised


class Worker(QRunnable):
    """One call of `fn` in the global QThreadPool. Never touches a widget."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = WorkerSignals()

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # reported to the GUI thread, which shows it
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


def run_in_thread(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> Worker:
    """Start `fn` in the pool; `on_done`/`on_error` run later in the GUI thread."""
    worker = Worker(fn)
    worker.setAutoDelete(False)  # the caller keeps it (and its signals) alive
    worker.signals.finished.connect(on_done)
    worker.signals.failed.connect(on_error)
    QThreadPool.globalInstance().start(worker)
    return worker
