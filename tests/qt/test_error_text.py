"""The desktop app shows an error in the words of invoicer/services/errors.py, as the CLI and
the terminal UI do (issue 18)."""

from __future__ import annotations

import sqlite3

from invoicer.domain.errors import NotFound, Problem, ValidationError
from invoicer.services.errors import INTERNAL_MESSAGE, error_lines
from ui_qt.dialogs.errors import error_text


def test_the_gui_shows_the_one_vocabularys_sentences() -> None:
    several = ValidationError(
        [Problem("name", "required", "Name is required."), Problem("country", "x", "Bad.")]
    )
    assert error_text(several) == "• name: Name is required.\n• country: Bad."
    assert error_text(NotFound("There is no invoice X.")) == "There is no invoice X."
    refused = sqlite3.IntegrityError("issued invoices cannot be changed")
    assert error_text(refused) == "\n".join(error_lines(refused))
    assert "credit note" in error_text(refused)


def test_a_bug_says_so_and_what_to_report() -> None:
    assert (
        error_text(RuntimeError("disk on fire"))
        == f"{INTERNAL_MESSAGE}\nRuntimeError: disk on fire"
    )
