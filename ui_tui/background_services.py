"""The services of one database file, opened in a thread after the first screen is drawn.

`invoicer tui` draws the dashboard from a first look into the file (invoicer.services.
first_look) and only then pays for opening the services (SQLAlchemy and every use case, about
0.4 s). Whoever needs them first waits in `get()`; usually they are ready long before a key is
pressed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from invoicer.services.context import ServiceContext


class BackgroundServices:
    def __init__(
        self,
        path: Path,
        *,
        ctx: ServiceContext | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.path = path
        self.ctx = ctx  # None: the local app's (ServiceContext.local)
        self.on_error = on_error
        self.on_ready: Callable[[], None] | None = None  # called from the thread once open
        self.error: BaseException | None = None
        self._services: Any = None
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def start(self) -> None:
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._open, name="open-services", daemon=True
                )
                self._thread.start()

    def _open(self) -> None:
        try:
            from invoicer.services.app import open_services

            self._services = open_services(self.path, ctx=self.ctx)
        except Exception as error:  # shown to the user by on_error, and raised by get()
            self.error = error
        finally:
            self._ready.set()  # first: whoever waits in get() must not wait for on_error
        if self.error is not None and self.on_error is not None:
            self.on_error(self.error)
        elif self.error is None and self.on_ready is not None:
            self.on_ready()

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def get(self) -> Any:
        """The open services (starting to open them if nobody has asked yet); once opening
        failed, a stand-in whose every use raises that error."""
        self.start()
        self._ready.wait()
        if self.error is not None:
            return Unavailable(self.error)
        return self._services

    def close(self) -> None:
        if self._thread is not None:
            self._ready.wait()
        if self._services is not None:
            self._services.close()
            self._services = None


class Unavailable:
    """Services that could not be opened. `services.reports.dashboard` still evaluates (on the
    main thread, where screens pick the call); calling it raises the error in the worker that
    runs it, so it is shown as a message, while the app closes (InvoicerApp.on_services_failed)."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def __getattr__(self, name: str) -> Unavailable:
        return self

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise self.error
