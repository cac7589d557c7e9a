"""What every command shares: a pydantic model that fixes the *shape* of a write.

A command names the fields a write may set, documents each (the server's request bodies and
the assistant's tool schemas are generated from them) and refuses unknown fields by name. It
does not judge the values: the services check those (invoicer.services.fields), in the user's
locale and in the words the merchant already knows, so every field is `SkipValidation` and
holds what the caller sent (text typed in a form, a Decimal, a date...). A field the service
requires is listed in `required` and marked so in the JSON schema, but its absence is also the
service's to report ("Name is required."), together with every other problem of the call.

Partial commands (`...Changes`) tell "not given" from "set to empty" by `model_fields_set`:
`given()` holds only the fields the caller named, `None` included.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Self

import pydantic
from pydantic import BaseModel, ConfigDict, SkipValidation, WithJsonSchema

from invoicer.domain.errors import Problem, ValidationError
from invoicer.services.fields import label

# Field types as the JSON schema shows them; values are checked by the services.
Text = SkipValidation[str | None]
Flag = SkipValidation[bool | None]
# A whole number, or the text a user typed for it ("30").
Whole = Annotated[
    SkipValidation[int | str | None],
    WithJsonSchema({"anyOf": [{"type": "integer"}, {"type": "string"}, {"type": "null"}]}),
]
# An exact decimal: a Decimal, an int or the text a user typed, in their locale ("1.234,50").
# Never a JSON number (a binary float): amounts travel as strings.
Number = Annotated[
    SkipValidation[Decimal | str | int | None],
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}),
]
# A date, or its ISO text (2026-03-01).
Day = Annotated[
    SkipValidation[dt.date | str | None],
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]}),
]


def _path(loc: tuple[Any, ...]) -> str:
    """A field's path as a user writes it: lines[0].quantity."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _schema_extra(schema: dict[str, Any], cls: type[Any]) -> None:
    required = list(getattr(cls, "required", ()))
    if required:
        schema["required"] = required


class Command(BaseModel):
    """Base of every command: frozen, unknown fields refused, pydantic's errors turned into
    the project's `ValidationError` so callers handle one kind of refusal."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=_schema_extra)

    # Fields the service refuses to go without (shown as required in the JSON schema).
    required: ClassVar[tuple[str, ...]] = ()
    # How an unknown field is refused; `{label}` is the field's name in the user's words.
    unknown_code: ClassVar[str] = "unknown_field"
    unknown_message: ClassVar[str] = "{label} is not a field that can be set here."

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except pydantic.ValidationError as exc:
            raise self.refusal(exc) from None

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Self:
        try:
            return super().model_validate(obj, *args, **kwargs)
        except pydantic.ValidationError as exc:
            raise cls.refusal(exc) from None

    @classmethod
    def model_validate_json(
        cls, json_data: str | bytes | bytearray, *args: Any, **kwargs: Any
    ) -> Self:
        try:
            return super().model_validate_json(json_data, *args, **kwargs)
        except pydantic.ValidationError as exc:
            raise cls.refusal(exc) from None

    @classmethod
    def refusal(cls, exc: pydantic.ValidationError) -> ValidationError:
        """Pydantic's errors in the project's vocabulary (field, stable code, message)."""
        problems: list[Problem] = []
        for error in exc.errors():
            field = _path(error["loc"])
            cause = error.get("ctx", {}).get("error")
            if isinstance(cause, ValidationError):
                # Validating JSON or a dict runs __init__ too: its refusal is already ours
                # (a nested command's, named from where it sits: lines[0].price).
                problems.extend(
                    Problem(
                        _path((*error["loc"], p.field)) if p.field else field, p.code, p.message
                    )
                    for p in cause.problems
                )
            elif error["type"] == "extra_forbidden":
                message = cls.unknown_message.format(label=label(field), field=field)
                problems.append(Problem(field, cls.unknown_code, message))
            elif error["type"] == "missing":
                problems.append(Problem(field, "required", f"{label(field)} is required."))
            else:
                problems.append(Problem(field, "invalid", f"{label(field)}: {error['msg']}."))
        return ValidationError(sorted(problems, key=lambda p: p.field))

    def given(self) -> dict[str, Any]:
        """The fields the caller set, with the values as sent (None: set to empty)."""
        return {name: getattr(self, name) for name in self.model_fields_set}
