"""Type a secret for the keyring. The field hides what is typed; the value is never shown."""

from __future__ import annotations

from typing import Any

from ui_tui.dialogs.form_dialog import FormDialog
from ui_tui.widgets.form import FieldSpec


class SecretDialog(FormDialog):
    OK = "Store"
    FIELDS = (FieldSpec("value", "Value", kind="secret", required=True),)

    def __init__(self, name: str, label: str) -> None:
        super().__init__()
        self.secret_name = name
        self.label = label

    def dialog_title(self) -> str:
        return f"Set the {self.label}"

    def intro(self) -> str:
        return (
            f"Stored in the system keyring as {self.secret_name!r}; it replaces the value "
            "kept there and cannot be read back here."
        )

    def submit(self, values: dict[str, Any]) -> Any:
        from invoicer.integrations.secrets import set_secret

        set_secret(self.secret_name, values["value"] or "")
        return self.secret_name
