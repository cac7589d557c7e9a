"""A separate process that issues invoices into a database:
`python -m tests.store.issuer DB N [DEVICE]` (DB: a SQLite path or a PostgreSQL URL).

N < 0 issues forever (until killed). Prints each number it issued, flushed at once. DEVICE:
the device it writes as (default: the local one).
"""

from __future__ import annotations

import sys

from invoicer.services.app import open_services
from invoicer.services.commands import NewDraft, NewLine


def main(path: str, count: int, device: str | None = None) -> None:
    from tests.store.devices import as_device

    with open_services(path) as svc, as_device(svc, device or "local"):
        customer = svc.customers.list(limit=1).items[0].id
        issued = 0
        while count < 0 or issued < count:
            draft = svc.invoices.create_draft(NewDraft(customer_id=customer))
            svc.invoices.add_line(
                draft.id, NewLine(description="Widget", unit_price="10.00", quantity="3")
            )
            svc.invoices.add_line(
                draft.id,
                NewLine(description="Tea", unit_price="1.05", quantity="2", rate_class="reduced"),
            )
            number = svc.invoices.issue(draft.id).number
            sys.stdout.write(f"{number}\n")
            sys.stdout.flush()
            issued += 1


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), *sys.argv[3:])
