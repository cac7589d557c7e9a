"""Credit an issued invoice: all of it, or chosen quantities of chosen lines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, RadioButton, RadioSet

from invoicer.domain.amounts import locale_for
from invoicer.domain.parsing import chosen_quantities
from invoicer.services.commands import NewCreditNote
from ui_tui import format as fmt
from ui_tui.dialogs.form_dialog import FormDialog
from ui_tui.widgets.form import FieldSpec


class CreditDialog(FormDialog):
    TITLE = "Credit note"
    OK = "Issue credit note"
    FIELDS = (FieldSpec("reason", "Reason (printed on the credit note)"),)
    DEFAULT_CSS = """
    CreditDialog RadioSet { width: 1fr; margin-bottom: 1; }
    CreditDialog .line { height: 1; }
    CreditDialog .line Label { width: 1fr; }
    CreditDialog .line Input { width: 12; }
    CreditDialog .lines.-hidden { display: none; }
    """

    def __init__(self, invoice: Any) -> None:
        super().__init__()
        self.invoice = invoice

    def intro(self) -> str:
        inv = self.invoice
        return f"Credit {inv.number} ({fmt.money(inv.gross, inv.currency)}). Issued at once."

    def compose_extra(self) -> ComposeResult:
        with RadioSet(id="scope"):
            yield RadioButton("The whole invoice", value=True, id="full")
            yield RadioButton("Chosen lines and quantities", id="partial")
        for index, line in enumerate(self.invoice.lines):
            with Horizontal(classes="line lines -hidden"):
                yield Label(f"{line.description} (of {fmt.quantity(line.quantity)})")
                yield Input("0", id=f"qty-{index}", compact=True, placeholder="quantity to credit")

    def on_mount(self) -> None:
        self.query_one(RadioSet).focus()

    @on(RadioSet.Changed)
    def _scope(self, event: RadioSet.Changed) -> None:
        partial = event.pressed.id == "partial"
        for row in self.query(".lines"):
            row.set_class(not partial, "-hidden")

    def submit(self, values: dict[str, Any]) -> Any:
        return self.services.credit_notes.create(
            self.invoice.id, NewCreditNote(lines=self._chosen(), reason=values.get("reason"))
        )

    def _chosen(self) -> dict[str, Decimal] | None:
        if self.query_one("#full", RadioButton).value:
            return None
        typed = {
            str(line.id): (line.description, self.query_one(f"#qty-{index}", Input).value)
            for index, line in enumerate(self.invoice.lines)
        }
        return chosen_quantities(typed, locale=locale_for(self.invoice.language))
