"""Labelled form fields that show the services' validation messages next to themselves.

A form is a list of `FieldSpec`s. `FormFields` builds the widgets, reads the values back as
keyword arguments for a service call and shows `ValidationError` problems beside the field
they name. The UI never invents its own rules: numbers are passed on as the text typed, which
the services read with the one parser of every front-end (invoicer.domain.amounts), so the
same keystrokes store the same value as in the CLI and GUI, or are refused in the same words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static

from invoicer.domain.amounts import format_editable
from invoicer.domain.errors import Problem


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str = "text"  # text | decimal | int | bool | choice | secret (typed, never shown)
    choices: Sequence[tuple[str, str]] = ()  # (label, value) for "choice"
    placeholder: str = ""
    required: bool = False


class FormField(Vertical):
    DEFAULT_CSS = """
    FormField { height: auto; width: 1fr; padding: 0 2 1 0; }
    FormField > Label { color: $text-muted; }
    FormField > .error { color: $error; display: none; }
    FormField.-invalid > .error { display: block; }
    FormField.-invalid > Label { color: $error; }
    """

    def __init__(self, spec: FieldSpec) -> None:
        super().__init__(id=f"field-{spec.name}")
        self.spec = spec

    def compose(self) -> ComposeResult:
        spec = self.spec
        yield Label(spec.label + (" *" if spec.required else ""))
        if spec.kind == "bool":
            yield Checkbox(spec.placeholder or "Yes", id=spec.name, compact=True)
        elif spec.kind == "choice":
            yield Select(
                list(spec.choices),
                id=spec.name,
                allow_blank=not spec.required,
                prompt=spec.placeholder or "—",
                compact=True,
            )
        else:
            yield Input(
                id=spec.name,
                placeholder=spec.placeholder,
                password=spec.kind == "secret",
                compact=True,
            )
        yield Static("", classes="error")

    @property
    def control(self) -> Widget:
        return self.query_one(f"#{self.spec.name}")

    def set_value(self, value: Any) -> None:
        control = self.control
        if isinstance(control, Checkbox):
            control.value = bool(value)
        elif isinstance(control, Select):
            control.value = Select.NULL if value in (None, "") else str(value)
        elif isinstance(control, Input):
            control.value = "" if value is None else _text(value)

    def get_value(self) -> Any:
        control, kind = self.control, self.spec.kind
        if isinstance(control, Checkbox):
            return control.value
        if isinstance(control, Select):
            return None if control.value is Select.NULL else control.value
        assert isinstance(control, Input)
        text = control.value.strip()
        if not text:
            return None
        if kind == "decimal":
            return text  # read by the services' one parser, as the CLI and GUI text is
        if kind == "int":
            return int(text) if text.lstrip("-").isdigit() else text
        return text

    def show_problem(self, message: str | None) -> None:
        self.set_class(bool(message), "-invalid")
        self.query_one(".error", Static).update(message or "")


def _text(value: Any) -> str:
    if isinstance(value, Decimal):  # text the parser reads back exactly (1.234 is 1.2340)
        return format_editable(value.normalize() if value == value.to_integral() else value)
    return str(value)


class FormFields:
    """Helpers over the FormField widgets of one screen."""

    def __init__(self, root: Widget, specs: Iterable[FieldSpec]) -> None:
        self.root = root
        self.specs = tuple(specs)

    def field(self, name: str) -> FormField:
        return self.root.query_one(f"#field-{name}", FormField)

    def fill(self, record: Any) -> None:
        for spec in self.specs:
            value = (
                record.get(spec.name)
                if isinstance(record, Mapping)
                else getattr(record, spec.name, None)
            )
            self.field(spec.name).set_value(value)

    def values(self) -> dict[str, Any]:
        return {spec.name: self.field(spec.name).get_value() for spec in self.specs}

    def clear_problems(self) -> None:
        for spec in self.specs:
            self.field(spec.name).show_problem(None)

    def show_problems(self, problems: Iterable[Problem]) -> list[Problem]:
        """Show each problem beside its field; return those no field here can show."""
        self.clear_problems()
        names = {spec.name for spec in self.specs}
        messages: dict[str, list[str]] = {}
        others = []
        for problem in problems:
            if problem.field in names:
                messages.setdefault(problem.field, []).append(problem.message)
            else:
                others.append(problem)
        for name, texts in messages.items():
            self.field(name).show_problem(" ".join(texts))
        if messages:
            first = next(s.name for s in self.specs if s.name in messages)
            self.field(first).control.focus()
        return others
