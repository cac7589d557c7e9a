"""Errors a user can act on.

Every error raised for bad input derives from `InvoicerError` and carries a message written
for the merchant, not for a developer. Validation returns *all* problems at once as data
(`Problem`), so the CLI, the TUI and the GUI show the same list with the same words.

>>> err = ValidationError([Problem("quantity", "negative", "Quantity must not be negative.")])
>>> str(err)
'quantity: Quantity must not be negative.'
>>> err.problems[0].code
'negative'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class InvoicerError(Exception):
    """Base class of every error that is the user's to fix (never a bug)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input: which field, a stable code, and a human message."""

    field: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class ValidationError(InvoicerError, ValueError):
    """The input was refused; `problems` lists every reason."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, field: str, code: str, message: str) -> ValidationError:
        return cls([Problem(field, code, message)])


class NotFound(InvoicerError, LookupError):
    """The record the user named does not exist."""


class Conflict(InvoicerError):
    """The request is well formed but the current state forbids it (e.g. editing an issued
    invoice, crediting more than remains)."""


class FileDamaged(InvoicerError):
    """The database file is damaged (SQLite found it malformed). Invoicer changed nothing; the
    message says where the newest good backup is and how to put it back."""
