"""A caller's precondition on a draft edit (the server's If-Match) sees the invoice as the
edit's own write transaction finds it, and refusing it changes nothing, no number taken."""

from __future__ import annotations

import re
from typing import Any

import pytest

from invoicer.domain.errors import Conflict
from invoicer.services import views
from invoicer.services.app import Services
from invoicer.services.commands import DraftChanges, LineChanges, NewLine
from tests.services.test_issue_writes import draft, german_consumer


class Refused(Conflict):
    pass


def test_a_refusing_precondition_changes_nothing(shop: Services) -> None:
    invoice_id = draft(shop, german_consumer(shop), "100")
    before = shop.invoices.get(invoice_id)
    line_id = before.lines[0].id
    seen: list[views.Invoice] = []

    def refuse(current: views.Invoice) -> None:
        seen.append(current)
        raise Refused("stale")

    edits: list[Any] = [
        lambda: shop.invoices.update_draft(
            invoice_id, DraftChanges(notes="x"), precondition=refuse
        ),
        lambda: shop.invoices.add_line(
            invoice_id, NewLine(description="Pump", unit_price="5"), precondition=refuse
        ),
        lambda: shop.invoices.update_line(
            invoice_id, line_id, LineChanges(quantity="3"), precondition=refuse
        ),
        lambda: shop.invoices.remove_line(invoice_id, line_id, precondition=refuse),
        lambda: shop.invoices.delete_draft(invoice_id, precondition=refuse),
        lambda: shop.invoices.issue(invoice_id, precondition=refuse),
    ]
    for edit in edits:
        with pytest.raises(Refused):
            edit()
    assert seen == [before] * len(edits)  # the invoice as a read shows it
    assert shop.invoices.get(invoice_id) == before
    issued = shop.invoices.issue(invoice_id, precondition=lambda current: None)
    # the refused issues took no number: this one is the series' first
    assert issued.number is not None
    assert int(re.sub(r"^\D*(?:\d+\D+)*", "", issued.number)) == 1
