"""Object names let tests and style sheets find widgets; PySide's stubs lack the keyword."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject

W = TypeVar("W", bound=QObject)


def named(obj: W, name: str) -> W:
    obj.setObjectName(name)
    return obj
