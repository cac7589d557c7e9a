"""The Sync tab's conflicts: guarded fields (a VAT number, a price…) that two devices changed
differently without seeing each other's change. svc.sync uses one value for now on every
device; here the merchant sees them and keeps the one they choose (svc.sync.resolve), which
the next sync takes everywhere."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, DataTable, Static

from ui_tui.dialogs.choice import ChoiceDialog
from ui_tui.screens.base import ServiceCalls, describe_error


def value_text(value: object) -> str:
    return "(empty)" if value in (None, "") else str(value)


class SyncConflicts(ServiceCalls, Vertical):
    DEFAULT_CSS = """
    SyncConflicts { height: auto; margin-top: 1; }
    SyncConflicts DataTable { height: auto; max-height: 10; }
    SyncConflicts Button { margin-top: 1; }
    """

    def __init__(self) -> None:
        super().__init__(id="sync-conflicts-box")
        self.conflicts: tuple[Any, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static("", id="sync-conflicts")
        table: DataTable[Any] = DataTable(id="sync-conflict-table", cursor_type="row")
        for title, width in (("Record", 26), ("Field", 16), ("Used now", 18), ("Written", 36)):
            table.add_column(title, width=width)
        yield table
        yield Button("Settle…", id="sync-settle", compact=True)

    def on_mount(self) -> None:
        self.show_conflicts(())

    def load(self) -> None:
        self.call("sync_conflicts", lambda: tuple(self.services.sync.conflicts()))

    def failed_sync_conflicts(self, error: BaseException) -> bool:
        text = f"The conflicts could not be listed: {describe_error(error)}"
        self.query_one("#sync-conflicts", Static).update(text)
        return True

    def done_sync_conflicts(self, conflicts: tuple[Any, ...]) -> None:
        self.show_conflicts(conflicts)

    def show_conflicts(self, conflicts: tuple[Any, ...]) -> None:
        self.conflicts = conflicts
        count = len(conflicts)
        self.query_one("#sync-conflicts", Static).update(
            f"{count:,} conflict{'s' if count != 1 else ''} for you to settle: choose the "
            "value to keep (Settle…); until then every device uses the one shown."
            if conflicts
            else ""
        )
        table = self.query_one(DataTable)
        table.clear()
        for conflict in conflicts:
            written = " / ".join(value_text(v.value) for v in conflict.values)
            table.add_row(
                f"{conflict.entity} {conflict.label}",
                conflict.field,
                value_text(conflict.current),
                written,
                key=conflict.id,
            )
        table.display = bool(conflicts)
        self.query_one("#sync-settle", Button).display = bool(conflicts)

    @on(DataTable.RowSelected, "#sync-conflict-table")
    @on(Button.Pressed, "#sync-settle")
    def settle(self) -> None:
        table = self.query_one(DataTable)
        if not self.conflicts or table.cursor_row < 0:
            return
        conflict = self.conflicts[min(table.cursor_row, len(self.conflicts) - 1)]
        mine = self.invoicer.sync_status.device_id if self.invoicer.sync_status else None
        options = [
            (
                f"{value_text(v.value)}  (written on "
                f"{'this device' if v.device_id == mine else 'device ' + v.device_id[:8]})",
                v.stamp,
            )
            for v in conflict.values
        ]

        def chosen(stamp: str | None) -> None:
            if stamp is not None:
                self.call("sync_resolved", self.services.sync.resolve, conflict.id, stamp)

        self.app.push_screen(
            ChoiceDialog(
                f"{conflict.label}: {conflict.field}",
                options,
                "The value you keep goes to every device with the next sync.",
            ),
            chosen,
        )

    def done_sync_resolved(self, conflict: Any) -> None:
        self.app.notify(f"Settled {conflict.label}: {conflict.field}.")
        self.changed(conflict.entity)  # screens reload; the choice goes up with the next sync
        self.load()
