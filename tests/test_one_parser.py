"""Every front-end reads input with the one parser of its kind (issue 18).

The CLI, the terminal UI and the desktop app hold no parser of their own: no date read with
`fromisoformat`/`strptime`, no number built by `Decimal(text)` or by swapping marks, and the
payment methods they offer are the domain's. What they type reaches invoicer.domain.parsing
(directly or through the services); tests/*/test_amounts.py and the credit dialogs' tests
type the same keystrokes into each and compare what is stored."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from invoicer.domain.parsing import PAYMENT_METHOD_CODES, PAYMENT_METHODS
from tests.conftest import REPO_ROOT

FRONT_ENDS = ["ui_qt", "ui_tui", "invoicer/cli"]


def _own_parsing(path: Path, root: Path = REPO_ROOT) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        where = f"{path.relative_to(root)}:{node.lineno}"
        if name in ("fromisoformat", "strptime"):
            found.append(f"{where} {name}()")
        elif name == "Decimal" and node.args and not isinstance(node.args[0], ast.Constant):
            found.append(f"{where} Decimal() of a variable")
        elif (
            name == "replace"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value in (",", ".")
        ):
            found.append(f"{where} replace({node.args[0].value!r}, ...)")
    return found


def test_no_front_end_parses_numbers_or_dates_itself() -> None:
    found = [
        hit
        for folder in FRONT_ENDS
        for path in sorted((REPO_ROOT / folder).rglob("*.py"))
        for hit in _own_parsing(path)
    ]
    assert found == []


def test_the_detector_sees_a_parser_of_its_own(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import datetime, decimal\ndatetime.date.fromisoformat(t)\n"
                      "decimal.Decimal(t.replace(',', '.'))\nDecimal(0)\n")  # fmt: skip
    assert len(_own_parsing(sample, tmp_path)) == 3


def test_every_front_end_offers_the_domains_payment_methods() -> None:
    from invoicer.cli.documents_cmds import add
    from ui_qt.dialogs.payment_dialog import METHODS as QT_METHODS
    from ui_tui.dialogs.payment import METHODS as TUI_METHODS

    method = next(p for p in add.params if p.name == "method")
    assert tuple(getattr(method.type, "choices", ())) == PAYMENT_METHOD_CODES
    assert tuple(QT_METHODS) == PAYMENT_METHODS
    assert tuple((code, label) for label, code in TUI_METHODS) == PAYMENT_METHODS


@pytest.mark.parametrize(("typed", "code"), [("Bank transfer", "bank_transfer"), ("CASH", "cash")])
def test_the_cli_reads_a_method_with_the_one_parser(typed: str, code: str) -> None:
    from invoicer.cli.documents_cmds import add

    method = next(p for p in add.params if p.name == "method")
    assert method.type.convert(typed, method, None) == code
