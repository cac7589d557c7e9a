"""The accounts service: one object for a server's logins, members, keys and platform tasks."""

from __future__ import annotations

from invoicer.services.accounts.idempotency import IdempotencyKeys
from invoicer.services.accounts.logins import Logins
from invoicer.services.accounts.members import Members


class Accounts(Logins, Members, IdempotencyKeys):
    """Identity and access on a server (DESIGN.md §10); routes call this, nothing else."""
