"""Find bundled data files (fonts, VAT rates, WSDL, locale catalogs).

The files live in the top-level `resources` package, so `importlib.resources` finds them
in a source checkout, in an installed wheel and inside a PyInstaller bundle alike. Never
build paths from the working directory.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path


def resource(*parts: str) -> Traversable:
    """The bundled file or folder `resources/<parts...>`.

    >>> resource("SOURCES.md").is_file()
    True
    """
    return files("resources").joinpath(*parts)


def read_text(*parts: str) -> str:
    return resource(*parts).read_text(encoding="utf-8")


def read_bytes(*parts: str) -> bytes:
    return resource(*parts).read_bytes()


@contextlib.contextmanager
def resource_path(*parts: str) -> Iterator[Path]:
    """A real filesystem path for libraries that insist on one (fpdf2 fonts, zeep WSDL)."""
    with as_file(resource(*parts)) as path:
        yield path
