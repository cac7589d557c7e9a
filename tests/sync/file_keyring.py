"""A keyring backend in a JSON file, for a device whose store is driven both in process and
by `python -m invoicer` subprocesses: both read the same device credential.
`PYTHON_KEYRING_BACKEND=tests.sync.file_keyring.FileKeyring` with `SYNC_TEST_KEYRING` naming
the file. Tests only: the file holds secrets in clear."""

from __future__ import annotations

import json
import os
from pathlib import Path

from jaraco.classes import properties
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

PATH_VARIABLE = "SYNC_TEST_KEYRING"


class FileKeyring(KeyringBackend):
    # Never a backend keyring picks by itself (once imported, every subclass is a candidate):
    # only when named, with its file given.
    @properties.classproperty
    def priority(cls) -> float:
        if PATH_VARIABLE not in os.environ:
            raise RuntimeError(f"{PATH_VARIABLE} is not set")
        return 0.1

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.path = path or Path(os.environ.get(PATH_VARIABLE, "sync-test-keyring.json"))

    def _entries(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        return dict(json.loads(self.path.read_text(encoding="utf-8")))

    def _save(self, entries: dict[str, str]) -> None:
        partial = self.path.with_suffix(".partial")
        partial.write_text(json.dumps(entries), encoding="utf-8")
        partial.replace(self.path)

    def get_password(self, service: str, username: str) -> str | None:
        return self._entries().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        self._save({**self._entries(), f"{service}/{username}": password})

    def delete_password(self, service: str, username: str) -> None:
        entries = self._entries()
        if entries.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError(username)
        self._save(entries)
