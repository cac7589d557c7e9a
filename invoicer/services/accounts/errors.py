"""The refusals of identity and access, in the one error vocabulary (services/errors.py):
401 not signed in, 403 not allowed (within one's own shop: it reveals nothing), 429 too many
attempts (with the seconds to wait)."""

from __future__ import annotations

from invoicer.domain.errors import InvoicerError


class NotSignedIn(InvoicerError):
    """No credentials, or ones that are wrong, expired or revoked (never says which)."""

    def __init__(
        self,
        message: str = "Sign in first: the credentials are missing, wrong or expired.",
        code: str = "not_signed_in",
    ) -> None:
        super().__init__(message)
        self.code = code


class NotAllowed(InvoicerError):
    """Signed in, but the role may not do this (an admin's task, a superadmin's)."""

    def __init__(self, message: str, code: str = "not_allowed") -> None:
        super().__init__(message)
        self.code = code


class TooManyAttempts(InvoicerError):
    """Too many failed logins (for an account, or from an address): wait `retry_after` s."""

    def __init__(self, retry_after: int, code: str = "too_many_attempts") -> None:
        minutes = max(1, (retry_after + 59) // 60)
        super().__init__(
            "Too many failed sign-ins. Password sign-in is paused for this account or address; "
            f"try again in {minutes} minute{'s' if minutes != 1 else ''}."
        )
        self.retry_after = retry_after
        self.code = code
