"""What both PyInstaller specs share: bundled data, lazily imported modules, exclusions."""

from __future__ import annotations

from pathlib import Path

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

ROOT = Path(__file__).resolve().parent.parent
VERSION = "0.1.0"

# Test and developer tools never ship (saxonche alone is ~100 MB).
EXCLUDES = [
    "saxonche",
    "pytest",
    "_pytest",
    "hypothesis",
    "mypy",
    "ruff",
    "importlinter",
    "eth_tester",
    "tkinter",
    "IPython",
    "pytest_textual_snapshot",
    "syrupy",
]


def resources() -> list[tuple[str, str]]:
    """Every file under resources/ (fonts, catalogs, WSDL, VAT rates, icons)."""
    pairs = []
    for path in (ROOT / "resources").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            pairs.append((str(path), str(path.parent.relative_to(ROOT))))
    return pairs


def datas(*ui_packages: str) -> list[tuple[str, str]]:
    """Bundled data; `ui_packages` adds a front-end's own files (the TUI's .tcss styles)."""
    ui_files = [pair for package in ui_packages for pair in collect_data_files(package)]
    return (
        resources()
        + ui_files
        # Alembic reads the migration scripts as files.
        + collect_data_files("invoicer.store", include_py_files=True, subdir="migrations")
        + collect_data_files("iso4217")
        + collect_data_files("facturx")
        + collect_data_files("stdnum")
        + collect_data_files("pycountry")
        + collect_data_files("babel")
        + collect_data_files("schwifty")
        + collect_data_files("zeep")
        + collect_data_files("textual")
    )


def hidden(*packages: str) -> list[str]:
    names: list[str] = []
    for package in ("invoicer", *packages):
        names += collect_submodules(package)
    names += collect_submodules("alembic", filter=lambda name: ".testing" not in name)
    # python-stdnum finds each country's module by name at run time.
    names += collect_submodules("stdnum")
    return names
