"""Request bodies in strict mode: the services' typed commands, with JSON types checked
against each field's schema before the command is built. The commands accept what a person
types (text for numbers); over JSON, `false` is not an amount, a JSON number with a fraction
(a binary float, 1e999 included) is not an exact decimal, and an object is not a name."""

from __future__ import annotations

import functools
from typing import Any, TypeVar

from pydantic import model_validator

from invoicer.domain.errors import Problem, ValidationError
from invoicer.services.commands.base import Command

C = TypeVar("C", bound=type[Command])

_JSON_TYPES = {
    type(None): "null",
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
}


def _allowed(schema: dict[str, Any]) -> set[str] | None:
    if "type" in schema:
        kinds = schema["type"]
        return set(kinds if isinstance(kinds, list) else [kinds])
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        found: set[str] = set()
        for option in options:
            kinds = _allowed(option)
            if kinds is None:
                return None
            found |= kinds
        return found
    return None  # a reference or anything: not judged here


@functools.cache
def _properties(command: type[Command]) -> dict[str, Any]:
    # Building a model's JSON schema takes milliseconds: once per command, not per request.
    properties: dict[str, Any] = command.model_json_schema().get("properties", {})
    return properties


def check_json_types(command: type[Command], data: Any) -> None:
    if not isinstance(data, dict):
        raise ValidationError.single("", "invalid_body", "The body must be a JSON object.")
    properties = _properties(command)
    problems = []
    for name, value in data.items():
        allowed = _allowed(properties.get(name, {}))
        if allowed is None or name not in properties:
            continue  # unknown fields are the command's to refuse, by name
        kind = _JSON_TYPES.get(type(value), "object")
        if kind == "integer" and "number" in allowed:
            continue
        if kind not in allowed:
            wanted = " or ".join(sorted(allowed - {"null"})) or "null"
            problems.append(
                Problem(name, "wrong_type", f"{name} must be a JSON {wanted}, not {kind}.")
            )
        elif isinstance(value, str) and "\x00" in value:
            problems.append(Problem(name, "control_character", f"{name} contains a NUL character."))
    if problems:
        raise ValidationError(problems)


@functools.cache
def strict(command: C) -> C:
    """`command` as a request body: the same fields and schema, JSON types checked."""

    def _check(cls: Any, data: Any) -> Any:
        check_json_types(command, data)
        return data

    namespace = {
        "__module__": command.__module__,
        "__doc__": command.__doc__,
        "_json_types": model_validator(mode="before")(classmethod(_check)),  # type: ignore[arg-type]
    }
    return type(command.__name__, (command,), namespace)  # type: ignore[return-value]
