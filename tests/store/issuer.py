"""A separate process that issues invoices into a database:
`python -m tests.store.issuer DB N [DEVICE]`.

N < 0 issues forever (until killed). Prints each number it issued, flushed at once. DEVICE:
the device it writes as (default: the local one).
"""

from __future__ import annotations

import sys
from pathlib import Path

from invoicer.services.app import open_services


def main(path: str, count: int, device: str | None = None) -> None:
    from tests.store.devices import as_device

    with open_services(Path(path)) as svc, as_device(svc, device or "local"):
        customer = svc.customers.list(limit=1).items[0].id
        issued = 0
        while count < 0 or issued < count:
            draft = svc.invoices.create_draft(customer)
            svc.invoices.add_line(draft.id, description="Widget", unit_price="10.00", quantity="3")
            svc.invoices.add_line(draft.id, description="Tea", unit_price="1.05", quantity="2",
                                  rate_class="reduced")  # fmt: skip
            number = svc.invoices.issue(draft.id).number
            sys.stdout.write(f"{number}\n")
            sys.stdout.flush()
            issued += 1


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), *sys.argv[3:])
