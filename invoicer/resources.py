"""Find bundled data files (fonts, VAT rates, WSDL, locale catalogs).

The files live in the top-level `resources` package, so `importlib.resources` finds them
in a source checkout, in an installed wheel and inside a PyInstaller bundle alike. Never
build paths from the working directory.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Iterator
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path


@functools.cache
def _root() -> Traversable:
    # `resources` sits beside `invoicer` in a checkout, a wheel install and a PyInstaller
    # bundle. Look there first: other distributions ship a stray top-level `resources`
    # folder (pytest-textual-snapshot does), which Python would merge in as a namespace
    # package that shadows ours when the project is installed in editable mode.
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:  # a PyInstaller bundle: data files on disk
        return Path(bundle) / "resources"
    beside = Path(__file__).resolve().parent.parent / "resources"
    if (beside / "__init__.py").is_file():
        return beside
    return files("resources")  # pragma: no cover - zip imports


def resource(*parts: str) -> Traversable:
    """The bundled file or folder `resources/<parts...>`.

    >>> resource("vat", "rates.json").is_file()
    True
    """
    return functools.reduce(lambda node, part: node.joinpath(part), parts, _root())


def read_text(*parts: str) -> str:
    return resource(*parts).read_text(encoding="utf-8")


def read_bytes(*parts: str) -> bytes:
    return resource(*parts).read_bytes()


@contextlib.contextmanager
def resource_path(*parts: str) -> Iterator[Path]:
    """A real filesystem path for libraries that insist on one (fpdf2 fonts, zeep WSDL)."""
    with as_file(resource(*parts)) as path:
        yield path
