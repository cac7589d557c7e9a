"""docs/cli.md stays in step with the commands."""

from __future__ import annotations

from invoicer.cli.docs import render
from tests.conftest import REPO_ROOT


def test_docs_cli_md_is_current() -> None:
    committed = (REPO_ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == render(), "docs/cli.md is stale: run scripts/gen-cli-docs"


def test_every_command_is_documented() -> None:
    text = render()
    for command in (
        "invoicer init",
        "invoicer invoice issue",
        "invoicer credit-note create",
        "invoicer report vat",
        "invoicer vat quote",
        "invoicer audit verify",
    ):
        assert f"`{command}`" in text
