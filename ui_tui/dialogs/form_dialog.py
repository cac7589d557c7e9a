"""A small modal form that saves through one service call and shows its problems inline."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from invoicer.domain.errors import ValidationError
from ui_tui.screens.base import ServiceCalls
from ui_tui.widgets.form import FieldSpec, FormField, FormFields


class FormDialog(ServiceCalls, ModalScreen[Any]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("ctrl+s", "save", "OK", id="dialog.save", priority=True),
    ]
    DEFAULT_CSS = """
    FormDialog { align: center middle; }
    FormDialog > Vertical {
        width: 70; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    FormDialog .intro { color: $text-muted; margin-bottom: 1; }
    FormDialog .problems { color: $error; }
    FormDialog Horizontal.buttons { height: auto; align-horizontal: right; }
    FormDialog Button { margin-left: 2; }
    """
    TITLE: ClassVar[str] = ""
    OK: ClassVar[str] = "OK"
    FIELDS: ClassVar[tuple[FieldSpec, ...]] = ()
    REMOTE: ClassVar[bool] = False  # submit mostly waits on a server: outside the service lock

    def __init__(self, fields: tuple[FieldSpec, ...] | None = None) -> None:
        super().__init__()
        self.fields = self.FIELDS if fields is None else fields  # per dialog when data-driven
        self.form = FormFields(self, self.fields)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.dialog_title()
            box.border_subtitle = "Ctrl+S / Enter: OK · Esc: cancel"
            if intro := self.intro():
                yield Static(intro, classes="intro")
            yield from self.compose_extra()
            for spec in self.fields:
                yield FormField(spec)
            yield Static("", classes="problems")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button(self.OK, id="ok", variant="primary", compact=True)

    def dialog_title(self) -> str:
        return self.TITLE

    def compose_extra(self) -> ComposeResult:
        yield from ()

    def intro(self) -> str:
        return ""

    def defaults(self) -> dict[str, Any]:
        return {}

    def on_mount(self) -> None:
        self.form.fill(self.defaults())
        if self.fields:
            self.form.field(self.fields[0].name).control.focus()

    def submit(self, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def action_save(self) -> None:
        self.form.clear_problems()
        self.query_one(".problems", Static).update("")
        call = self.call_remote if self.REMOTE else self.call
        call("submit", self.submit, self.form.values())

    def done_submit(self, result: Any) -> None:
        self.dismiss(result)

    def failed_submit(self, error: BaseException) -> bool:
        if not isinstance(error, ValidationError):
            return False
        others = self.form.show_problems(error.problems)
        self.query_one(".problems", Static).update("\n".join(map(str, others)))
        return True

    @on(Input.Submitted)
    def _enter(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)
