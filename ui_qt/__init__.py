"""PySide6 desktop UI."""
