"""Pick one of a few fixed options (the e-invoice format), typed by its result."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


class ChoiceDialog(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="choice.cancel"),
    ]
    DEFAULT_CSS = """
    ChoiceDialog { align: center middle; }
    ChoiceDialog > Vertical {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ChoiceDialog OptionList { height: auto; max-height: 12; }
    ChoiceDialog OptionList, ChoiceDialog OptionList:focus { border: none; padding: 0; }
    ChoiceDialog .hint { color: $text-muted; }
    """

    def __init__(self, title: str, options: Sequence[tuple[str, str]], hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.options = tuple(options)  # (label, value)
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            box.border_subtitle = "Enter picks · Esc cancels"
            if self.hint:
                yield Static(self.hint, classes="hint")
            yield OptionList(*(Option(label, id=value) for label, value in self.options))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
