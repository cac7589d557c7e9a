"""What every Invoicer screen shares: the injected services and off-thread service calls.

`call(purpose, fn, ...)` runs one service call in a thread worker. The worker only posts a
message; the screen's `on_service_call_*` handlers then call `done_<purpose>(result)` or show
the error. Calls are serialised by the App's lock, so the service layer never sees two
threads at once from the TUI; only sync's network-bound calls (`call_remote`) run beside
them, since the store itself takes care of concurrent transactions.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.dom import DOMNode
from textual.screen import Screen
from textual.worker import get_current_worker

from invoicer.services.errors import error_lines
from ui_tui.messages import RecordsChanged, ServiceCallFailed, ServiceCallSucceeded

if TYPE_CHECKING:
    from ui_tui.app import InvoicerApp

    # The type checker sees what the mixin runs on (a Screen or the App); at run time it stays a
    # plain mixin, so Textual's CSS type names and bindings see no extra DOM class.
    _Node = DOMNode
else:
    _Node = object


class ServiceCalls(_Node):
    """Mixin for screens, dialogs and the App itself that call services."""

    @property
    def invoicer(self) -> InvoicerApp:
        """The running app, typed as Invoicer's own (Textual types `self.app` as any App)."""
        from ui_tui.app import InvoicerApp

        app = self.app
        if not isinstance(app, InvoicerApp):  # pragma: no cover - only ever run inside it
            raise TypeError(f"Invoicer screens need the InvoicerApp, not {type(app).__name__}")
        return app

    @property
    def services(self) -> Any:
        return self.invoicer.services

    def call(self, purpose: str, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> None:
        self._start(purpose, self.invoicer.service_lock, lambda: fn(*args, **kwargs))

    def call_remote(
        self, purpose: str, fn: Callable[..., Any], /, *args: Any, **kwargs: Any
    ) -> None:
        """`call` for a call that mostly waits on the network (sync): outside the lock, so
        the screens' own calls are not held up by a slow server."""
        self._start(purpose, contextlib.nullcontext(), lambda: fn(*args, **kwargs))

    def _start(self, purpose: str, lock: Any, fn: Callable[[], Any]) -> None:
        post = self.post_message

        def run() -> None:
            worker = get_current_worker()
            try:
                with lock:
                    if worker.is_cancelled:
                        return
                    result = fn()
            except Exception as error:  # reported to the user as text, never as a traceback
                if not worker.is_cancelled:
                    post(ServiceCallFailed(purpose, error))
                return
            if not worker.is_cancelled:
                post(ServiceCallSucceeded(purpose, result))

        self.run_worker(
            run,
            thread=True,
            exclusive=True,
            group=purpose,
            exit_on_error=False,
            description=purpose,
        )

    def on_service_call_succeeded(self, message: ServiceCallSucceeded) -> None:
        handler = getattr(self, f"done_{message.purpose}", None)
        if handler is None:
            return
        try:
            handler(message.result)
        except Exception as error:  # a bug must not end the user's session with a traceback
            self.app.log.error(f"showing {message.purpose} failed: {error!r}")
            self.show_error(error)

    def on_service_call_failed(self, message: ServiceCallFailed) -> None:
        handler = getattr(self, f"failed_{message.purpose}", None)
        if handler is not None and handler(message.error):
            return
        self.show_error(message.error)

    def show_error(self, error: BaseException) -> None:
        self.app.notify(describe_error(error), title="Not done", severity="error", timeout=8)

    def changed(self, kind: str) -> None:
        """Tell every open screen that records of `kind` changed."""
        self.app.post_message(RecordsChanged(kind))


def describe_error(error: BaseException) -> str:
    """The sentences of invoicer.services.errors: the same words as the CLI and the GUI."""
    return "\n".join(error_lines(error, show_internal=True))


class BaseScreen(ServiceCalls, Screen[None]):
    """A full screen inside one of the App's sections."""

    stale = False

    def reload(self) -> None:
        """Fetch the screen's data again (called on mount and when records change)."""

    def on_records_changed(self, message: RecordsChanged) -> None:
        # Screens out of sight only note it, and reload when they come back.
        if self.is_current:
            self.reload()
        else:
            self.stale = True

    def on_screen_resume(self) -> None:
        if self.stale and self.is_mounted:
            self.stale = False
            self.reload()
