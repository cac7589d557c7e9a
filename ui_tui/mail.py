"""E-mailing the invoice from its screen (run inside workers), through the mail service
(`invoicer.services.mail`); the sentences the screen shows of a send and of the history."""

from __future__ import annotations

from typing import Any


def send(app: Any, invoice_id: str) -> Any:
    """To the customer's address, with the attachments the settings choose."""
    return app.services.mail.send_invoice(invoice_id)


def history(app: Any, invoice_id: str) -> tuple[Any, ...]:
    return tuple(app.services.mail.history(invoice_id))


def outcome(sent: Any) -> str:
    people = ", ".join(sent.entry.recipients)
    if sent.already:
        return f"Already sent to {people}; nothing was sent now."
    return f"E-mail sent to {people}."


def history_line(entry: Any) -> str:
    from invoicer.services.mail.sent_log import describe

    return f"E-mail {describe(entry)}"
