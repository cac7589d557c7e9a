"""The Invoicer terminal app: sections, global keys, the palette and start-up. Nothing else.

The services are injected (`InvoicerApp(services)`), so tests and `--demo` hand in their own
database. `invoicer tui` hands in services still opening in the background and a first look
into the file to draw the dashboard from meanwhile (ui_tui/launch.py).

Each section is a Textual mode with its own screen stack; forms are pushed on top.
"""

from __future__ import annotations

import datetime as dt
import importlib
import threading
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import Any, ClassVar

from textual.app import App
from textual.binding import BindingType

from ui_tui import format as fmt
from ui_tui.actions import SECTIONS, bindings_for
from ui_tui.background_services import BackgroundServices
from ui_tui.commands import InvoicerCommands
from ui_tui.messages import RecordsChanged, ServicesFailed, ServicesReady
from ui_tui.opener import open_file
from ui_tui.sync_driver import AFTER_CHANGE, EVERY, SyncDriver
from ui_tui.widgets.nav_bar import NavBar

# mode -> (module, screen class). A section's module is imported when it is first opened, so
# start-up pays only for the dashboard (or the set-up form): time to the first screen.
SCREENS = {
    "dashboard": ("ui_tui.screens.dashboard", "DashboardScreen"),
    "invoices": ("ui_tui.screens.invoices", "InvoicesScreen"),
    "customers": ("ui_tui.screens.customers", "CustomersScreen"),
    "products": ("ui_tui.screens.products", "ProductsScreen"),
    "reports": ("ui_tui.screens.reports", "ReportsScreen"),
    "quotes": ("ui_tui.screens.quotes", "QuotesScreen"),
    "settings": ("ui_tui.screens.settings", "SettingsScreen"),
    "setup": ("ui_tui.screens.settings", "SetupScreen"),
}


def _lazy_screen(module: str, name: str) -> Callable[[], Any]:
    def make() -> Any:
        return getattr(importlib.import_module(module), name)()

    return make


class InvoicerApp(SyncDriver, App[None]):
    TITLE = "Invoicer"
    CSS_PATH: ClassVar[list[str | PurePath]] = ["global.tcss", "app.tcss"]
    COMMANDS: ClassVar[set[Any]] = {InvoicerCommands}
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("app")

    def __init__(
        self,
        services: Any,
        *,
        today: dt.date | None = None,
        opener: Callable[[Path], None] = open_file,
        export_dir: Path | None = None,
        chain: Any = None,
        first_look: Any = None,
        sync_every: float | None = EVERY,
        sync_after_change: float | None = AFTER_CHANGE,
    ) -> None:
        super().__init__()
        self.sync_setup(sync_every, sync_after_change)  # None: no background sync (tests)
        self.services = services
        if isinstance(services, BackgroundServices):
            services.on_error = self._services_failed
            services.on_ready = self._services_ready
        self.first_look = first_look  # invoicer.services.first_look.FirstLook, used once
        self.chain = chain  # a web3 connection instead of the rpc_url setting (tests: eth-tester)
        self.service_lock = threading.Lock()
        self.today = today
        self.opener = opener
        self.export_dir = export_dir
        self.shop_name = ""
        self.set_up = False
        for mode, (module, name) in SCREENS.items():
            self.add_mode(mode, _lazy_screen(module, name))

    @property
    def services(self) -> Any:
        if isinstance(self._services, BackgroundServices):
            return self._services.get()  # waits if they are still opening
        return self._services

    @services.setter
    def services(self, value: Any) -> None:
        self._services = value

    def on_mount(self) -> None:
        if self.first_look is not None:
            fmt.use_locale(self.first_look.locale)
            self.done_start((True, self.first_look.shop_name))
        else:
            self.call("start", self._start_info)

    def take_first_dashboard(self) -> Any:
        """The first look's dashboard, once (later visits ask the services)."""
        look, self.first_look = self.first_look, None
        return None if look is None else look.dashboard

    def first_screen_shown(self) -> None:
        """The first screen is on the terminal: now open the services, off the main thread."""
        if isinstance(self._services, BackgroundServices):
            self._services.start()

    def _services_failed(self, error: BaseException) -> None:
        """Called from the opening thread (so only a thread-safe post): end the session."""
        self.post_message(ServicesFailed(error))

    def _services_ready(self) -> None:
        self.post_message(ServicesReady())  # (from the opening thread: a thread-safe post)

    def on_services_ready(self, message: ServicesReady) -> None:
        self.sync_start()  # only now: reading the sync status needs the open services
        for stack in self._screen_stacks.values():
            for screen in stack:  # the first look's screen fetches what it could not read
                screen.post_message(ServicesReady())
        if self.set_up:
            self.run_recurring()

    def on_services_failed(self, message: ServicesFailed) -> None:
        self.exit(return_code=1)  # the command then shows the message, as for any open error

    def _start_info(self) -> tuple[bool, str]:
        shop = self.services.shop.get()
        if shop is None or not self.services.shop.is_set_up():
            return False, ""
        fmt.use_locale(self.services.shop.locale())  # money as the shop's language writes it
        return True, shop.trading_name or shop.legal_name

    def done_start(self, result: tuple[bool, str]) -> None:
        self.set_up, self.shop_name = result
        if not isinstance(self._services, BackgroundServices):
            self.sync_start()  # (after a first look: once the services are open)
        self.switch_mode("dashboard" if self.set_up else "setup")
        if self.set_up and not isinstance(self._services, BackgroundServices):
            self.run_recurring()  # (after a first look: once the services are open)

    def run_recurring(self) -> None:
        """No cron: each start makes the recurring invoices due since the last."""
        self.call("recurring", self._run_recurring)

    def _run_recurring(self) -> Any:
        from invoicer.services.recurring.catch_up import run_due

        return run_due(self.services)

    def done_recurring(self, report: Any) -> None:
        if not report:
            return  # nothing was due: nothing to say
        lines = [report.summary(), *report.sentences()[:5]]
        self.notify(
            "\n".join(lines),
            title="Recurring invoices",
            severity="warning" if report.failed else "information",
            timeout=12,
        )
        self.post_message(RecordsChanged("invoice"))

    def shop_saved(self, name: str) -> None:
        """Called by the set-up and settings screens once the profile is stored."""
        first_time = not self.set_up
        self.set_up, self.shop_name = True, name
        fmt.use_locale(self.services.shop.locale())
        if first_time:
            self.switch_mode("dashboard")
            self.notify("Your shop is set up. Add a customer next (F4, then Ctrl+N).")
        self.post_message(RecordsChanged("shop"))
        for stack in self._screen_stacks.values():
            for screen in stack:
                for bar in screen.query(NavBar):
                    bar.refresh()

    def on_records_changed(self, message: RecordsChanged) -> None:
        self.sync_changed(message.kind)
        for stack in self._screen_stacks.values():
            for screen in stack:
                screen.post_message(RecordsChanged(message.kind))

    # ---------------------------------------------------------------- actions
    def action_go(self, mode: str) -> None:
        if not self.set_up:
            self.notify("Set up your shop first: fill in the form and press Ctrl+S.")
            return
        if mode in {m for m, _, _ in SECTIONS}:
            self.switch_mode(mode)

    def action_help(self) -> None:
        from ui_tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def _new_in(self, mode: str) -> None:
        if not self.set_up:
            self.notify("Set up your shop first.")
            return

        self.switch_mode(mode)
        self.call_after_refresh(self.screen.run_action, "new")

    def action_go_quotes(self) -> None:
        """Quotes: a mode of its own, reached from Invoices (Q) or the palette."""
        if not self.set_up:
            self.notify("Set up your shop first: fill in the form and press Ctrl+S.")
            return
        self.switch_mode("quotes")

    def action_new_invoice(self) -> None:
        self._new_in("invoices")

    def action_new_customer(self) -> None:
        self._new_in("customers")

    def action_new_product(self) -> None:
        self._new_in("products")

    def action_sync_now(self) -> None:
        if not self.sync_linked:
            self.notify("Sync is not set up: Settings (F7), Sync tab.")
            return
        self.sync_now()
