"""When the TUI syncs, and what it shows meanwhile: a mixin of the App.

svc.sync does the syncing (what to push, what to pull, what went wrong); this only decides
*when*: every few minutes and shortly after each change while the store is linked, and when
the merchant asks. A run happens in a thread worker outside the service lock (it waits on
the network, not on the database), so screens keep loading while it runs. Its status and any
error go to the footer indicator; a failed run never ends the session.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import Any

from textual import work
from textual.message import Message
from textual.timer import Timer

from invoicer.services.sync.views import ATTENTION, OFF, OFFLINE, SyncStatus
from ui_tui.messages import RecordsChanged, SyncFinished, SyncProgress, SyncStatusChanged
from ui_tui.screens.base import ServiceCalls, describe_error
from ui_tui.widgets.sync_indicator import SyncIndicator

LISTENER = "sync-listener"  # the CSS class of widgets told about statuses, progress, ends
EVERY = 180.0  # seconds between background syncs while linked
AFTER_CHANGE = 5.0  # seconds of quiet after a change before it is sent


def sync_area(services: Any) -> Any:
    """svc.sync, or None for services without sync (then it shows as off)."""
    try:
        return getattr(services, "sync", None)
    except Exception:  # an engine that cannot load must not take the window down with it
        logging.getLogger(__name__).exception("sync is not available")
        return None


class SyncDriver(ServiceCalls):
    """Mixed into InvoicerApp (its first base)."""

    sync_status: SyncStatus | None = None
    sync_running = False
    sync_error: str | None = None  # the last run's error, until a run succeeds

    def sync_setup(self, every: float | None, after_change: float | None) -> None:
        """`every`/`after_change` None: no background sync (tests ask for a run themselves)."""
        self.sync_every, self.sync_after_change = every, after_change
        self._sync_debounce: Timer | None = None
        self._sync_again = False

    @property
    def sync_linked(self) -> bool:
        return self.sync_status is not None and self.sync_status.state != OFF

    def sync_start(self) -> None:
        """Once the services are wanted: read the status, start the periodic sync."""
        self.refresh_sync_status()
        if self.sync_every:
            self.set_interval(self.sync_every, self.sync_in_background, name="sync-every")

    def refresh_sync_status(self) -> None:
        self.call("sync_status", _status_of, self)

    def done_sync_status(self, status: SyncStatus | None) -> None:
        if status is not None and self.sync_error and status.state not in (OFFLINE, ATTENTION):
            # The run failed in a way the store did not record: still say so.
            status = dataclasses.replace(
                status, state=ATTENTION, message=self.sync_error, last_error=self.sync_error
            )
        self.show_sync_status(status)

    def failed_sync_status(self, error: BaseException) -> bool:
        self.log.error(f"sync status failed: {error!r}")
        return True  # the footer keeps what it showed; a status read is not worth a popup

    def show_sync_status(self, status: SyncStatus | None) -> None:
        """Draw `status` in every footer and tell the screens (the Sync tab)."""
        self.sync_status = status
        for stack in self.app._screen_stacks.values():
            for screen in stack:
                for indicator in screen.query(SyncIndicator):
                    indicator.show_status(status, self.sync_running)
        self._tell(lambda: SyncStatusChanged(status, self.sync_running))

    def sync_changed(self, kind: str) -> None:
        """After a save: the pending count changed, and the change should go up soon."""
        if kind == "sync" or sync_area(self._services_if_open()) is None:
            return  # what a sync itself brought in needs no sync back
        self.refresh_sync_status()
        if self.sync_linked and self.sync_after_change:
            if self._sync_debounce is not None:
                self._sync_debounce.stop()
            self._sync_debounce = self.set_timer(
                self.sync_after_change, self.sync_in_background, name="sync-after-change"
            )

    def sync_in_background(self) -> None:
        if self.sync_linked:
            self.sync_now()
        else:
            self.refresh_sync_status()  # set up meanwhile (say by `invoicer sync setup`)?

    def sync_now(self) -> None:
        """Start a run (unless one is under way: then one more follows it)."""
        if self.sync_running:
            self._sync_again = True
            return
        self.sync_running = True
        self.show_sync_status(self.sync_status)
        self._sync_worker()

    @work(thread=True, group="sync", exit_on_error=False, description="sync")
    def _sync_worker(self) -> None:
        post = self.post_message

        def progress(phase: str, done: int, total: int | None) -> None:
            post(SyncProgress(phase, done, total))

        try:
            report = self.services.sync.run(progress=progress)
        except Exception as error:  # shown in the footer, never a traceback
            post(SyncFinished(None, error))
        else:
            post(SyncFinished(report, None))

    def on_sync_finished(self, message: SyncFinished) -> None:
        self.sync_running = False
        if message.error is not None:
            self.sync_error = describe_error(message.error)
            self.refresh_sync_status()
        else:
            self.sync_error = None
            self.show_sync_status(message.report.status)
            if message.report.applied:
                self.post_message(RecordsChanged("sync"))  # screens show what came in
        self._tell(lambda: SyncFinished(message.report, message.error))
        if self._sync_again:
            self._sync_again = False
            self.sync_now()

    def on_sync_progress(self, message: SyncProgress) -> None:
        self._tell(lambda: SyncProgress(message.phase, message.done, message.total))

    def _tell(self, make: Callable[[], Message]) -> None:
        """A fresh copy of a sync message to every widget that listens (class LISTENER)."""
        for stack in self.app._screen_stacks.values():
            for screen in stack:
                for widget in screen.query(f".{LISTENER}"):
                    widget.post_message(make())

    def _services_if_open(self) -> Any:
        from ui_tui.background_services import BackgroundServices

        services = self.invoicer._services
        if isinstance(services, BackgroundServices):
            return services.get() if services.ready else None
        return services


def _status_of(app: SyncDriver) -> SyncStatus | None:
    area = sync_area(app.services)
    return None if area is None else area.status()
