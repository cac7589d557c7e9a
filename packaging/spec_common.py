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
    # Build-time only: cffi imports setuptools just to compile extensions, and bundling it adds
    # PyInstaller's setuptools runtime hook, which imports all of setuptools at every start
    # (most of `invoicer --version`'s start-up time in the bundle).
    "setuptools",
    "_distutils_hack",
    "distutils",
    "pkg_resources",
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


# PyInstaller's runtime hooks that deferred_rthook.py runs on first use instead of at start.
DEFERRED_HOOKS = ("inspect", "pkgutil", "multiprocessing")


def defer_stock_hooks(
    scripts: list[tuple[str, str, str]], workpath: str
) -> list[tuple[str, str, str]]:
    """`scripts` (Analysis.scripts) with the stock hooks of DEFERRED_HOOKS replaced by one
    generated hook that holds their source and runs each when its module is first used."""
    stock: dict[str, str] = {}
    kept: list[tuple[str, str, str]] = []
    at = None
    for entry in scripts:
        name, path, _ = entry
        module = name.removeprefix("pyi_rth_")
        if name.startswith("pyi_rth_") and module in DEFERRED_HOOKS:
            stock[module] = Path(path).read_text("utf-8")
            at = len(kept) if at is None else at
        else:
            kept.append(entry)
    if at is None:
        return kept
    hook = Path(workpath) / "pyi_rth_deferred.py"
    template = (ROOT / "packaging" / "deferred_rthook.py").read_text("utf-8")
    hook.write_text(f"{template}\n\n_install({stock!r})\n", "utf-8")
    return [*kept[:at], ("pyi_rth_deferred", str(hook), "PYSOURCE"), *kept[at:]]
