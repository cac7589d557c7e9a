"""A form over one record (customer, product, shop profile): fields in a responsive grid,
Ctrl+S saves through the services, problems appear beside their fields."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.widgets import Static, TabbedContent, TabPane

from invoicer.domain.errors import ValidationError
from ui_tui.screens.base import BaseScreen
from ui_tui.widgets.form import FieldSpec, FormField, FormFields
from ui_tui.widgets.nav_bar import NavBar
from ui_tui.widgets.sync_indicator import InvoicerFooter


class RecordFormScreen(BaseScreen):
    SCOPE: ClassVar[str] = ""
    MODE: ClassVar[str] = ""
    FIELDS: ClassVar[tuple[FieldSpec, ...]] = ()
    # Optional tabs: (title, field names). Without them all fields share one page.
    SECTIONS: ClassVar[tuple[tuple[str, tuple[str, ...]], ...]] = ()
    HEADING: ClassVar[str] = ""

    def __init__(self, record_id: str | None = None) -> None:
        super().__init__()
        self.record_id = record_id
        self.form = FormFields(self, self.FIELDS)

    def compose(self) -> ComposeResult:
        yield NavBar(current=self.MODE)
        yield Static(self.heading(), id="heading", classes="heading")
        yield from self.compose_before_fields()
        if self.SECTIONS:
            specs = {spec.name: spec for spec in self.FIELDS}
            with TabbedContent(id="sections"):
                for index, (title, names) in enumerate(self.SECTIONS):
                    with (
                        TabPane(title, id=f"section-{index}"),
                        # Not focusable: Shift+Tab from the first field reaches the tab bar.
                        VerticalScroll(can_focus=False),
                        Grid(classes="form-grid"),
                    ):
                        for name in names:
                            yield FormField(specs[name])
                yield from self.compose_extra_tabs()
        else:
            with VerticalScroll(id="form"), Grid(classes="form-grid"):
                for spec in self.FIELDS:
                    yield FormField(spec)
        yield Static("", id="form-problems", classes="problems")
        yield from self.compose_after_fields()
        yield InvoicerFooter()

    def compose_before_fields(self) -> ComposeResult:
        yield from ()

    def compose_after_fields(self) -> ComposeResult:
        yield from ()

    def compose_extra_tabs(self) -> ComposeResult:
        """More TabPanes after the record's own sections (Settings adds VIES, payments...)."""
        yield from ()

    def heading(self) -> str:
        return self.HEADING

    def on_mount(self) -> None:
        self.reload()
        first = self.FIELDS[0].name
        self.call_after_refresh(lambda: self.form.field(first).control.focus())

    def reload(self) -> None:
        if self.record_id is not None:
            self.call("load", self.load, self.record_id)

    def load(self, record_id: str) -> Any:
        raise NotImplementedError

    def on_records_changed(self, message: Any) -> None:
        """A form never reloads under the user's typing; it loads once when opened."""

    def done_load(self, record: Any) -> None:
        self.form.fill(record)

    def submit(self, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def action_save(self) -> None:
        self.form.clear_problems()
        self.query_one("#form-problems", Static).update("")
        self.call("save", self.submit, self.form.values())

    def failed_save(self, error: BaseException) -> bool:
        if not isinstance(error, ValidationError):
            return False
        others = self.form.show_problems(error.problems)
        self._show_section_of(error.problems)
        text = "\n".join(str(p) for p in others)
        self.query_one("#form-problems", Static).update(text)
        count = len(error.problems)
        self.notify(
            f"{count} thing{'s' if count > 1 else ''} to fix before saving.",
            severity="warning",
        )
        return True

    def _show_section_of(self, problems: Any) -> None:
        """Bring the tab with the first problem to the front."""
        fields = {p.field for p in problems}
        for index, (_, names) in enumerate(self.SECTIONS):
            if fields & set(names):
                self.query_one(TabbedContent).active = f"section-{index}"
                first = next(n for n in names if n in fields)
                self.call_after_refresh(self.form.field(first).control.focus)
                return

    def action_back(self) -> None:
        self.dismiss(None)
