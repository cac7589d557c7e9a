"""One error vocabulary for every caller: the CLI, the TUI, the GUI, the server, the assistant.

`error_payload(exc)` is the machine-readable form, `http_status(exc)` the status the server
answers with, and `error_lines(exc)` the sentences a front-end shows; all three read the same
table (`KINDS`), so every caller reports the same thing in the same words.

The payload::

    {"error": {"type": "validation", "code": "negative", "field": "quantity",
               "message": "quantity must not be negative.",
               "problems": [{"field": "quantity", "code": "negative", "message": "..."}]}}

- `type` is one of a few stable words (the keys of `STATUSES`): `validation` (422),
  `invalid_request` (400), `not_found` (404), `conflict` (409), `unavailable` (503: a service
  Invoicer needs, such as VIES, Stripe, the keyring or a busy database, did not answer),
  `upgrade_required` (426: a device's Invoicer is too old to sync), `damaged` (500: the
  database file is damaged) and `internal` (500: a bug).
- A sync refusal may add fields of its own (a gap's `resend_from`), never replacing these.
- `code` is a stable snake_case word a program can branch on; `field` names the input at
  fault, or is None when the error is not about one field.
- `message` is the sentence written for the merchant, never a traceback.
- A ValidationError carries every problem: the *first* one fills `field`, `code` and
  `message`, and `problems` lists all of them in order (the first included). Only validation
  errors have `problems`.
- An exception that is not an Invoicer error is a bug: its payload is `internal` and says
  nothing of the exception (its text may hold a path, SQL or a key), as the log will.

Database refusals that the services did not translate (a trigger refusing to change an issued
invoice, "database is locked", a damaged file) are translated here by `translate`, so they
reach the user as a conflict, an unavailable database or a damaged file, not as a bug.

>>> from invoicer.domain.errors import NotFound
>>> error_payload(NotFound("There is no invoice INV-9."))["error"]["type"]
'not_found'
>>> http_status(RuntimeError("secret"))
500
>>> error_payload(RuntimeError("secret"))["error"]["message"].count("secret")
0
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from invoicer.domain.errors import Conflict, FileDamaged, InvoicerError, ValidationError

__all__ = [
    "INTERNAL_MESSAGE",
    "KINDS",
    "STATUSES",
    "DatabaseBusy",
    "Kind",
    "StoreRefused",
    "error_lines",
    "error_payload",
    "http_status",
    "translate",
]

STATUSES = {
    "validation": 422,
    "invalid_request": 400,
    "authentication": 401,
    "permission": 403,
    "not_found": 404,
    "conflict": 409,
    "rate_limited": 429,
    "upgrade_required": 426,
    "unavailable": 503,
    "damaged": 500,
    "internal": 500,
}


@dataclass(frozen=True, slots=True)
class Kind:
    type: str
    code: str  # the code when the exception carries none of its own

    @property
    def status(self) -> int:
        return STATUSES[self.type]


# Every Invoicer error class by its full name, so this table needs no import of the store or
# of the integrations (the CLI starts without them); the nearest class in an exception's MRO
# wins. tests/services/test_errors.py proves each name is a real class and that every
# InvoicerError subclass in the package finds an entry here.
KINDS: dict[str, Kind] = {
    "invoicer.domain.errors.ValidationError": Kind("validation", "invalid"),
    "invoicer.domain.errors.NotFound": Kind("not_found", "not_found"),
    "invoicer.services.app.NoDatabase": Kind("not_found", "no_database"),
    "invoicer.domain.errors.Conflict": Kind("conflict", "conflict"),
    "invoicer.store.file_checks.DatabaseRefused": Kind("conflict", "not_an_invoicer_database"),
    # The chain says the transaction does not pay this invoice (yet): its state forbids it.
    "invoicer.integrations.crypto.CryptoCheckFailed": Kind("conflict", "crypto_check_failed"),
    "invoicer.domain.errors.FileDamaged": Kind("damaged", "file_damaged"),
    "invoicer.store.database.NotAFile": Kind("conflict", "not_a_file"),
    "invoicer.integrations.vies.ViesError": Kind("unavailable", "vies_unavailable"),
    "invoicer.integrations.secrets.KeyringUnavailable": Kind("unavailable", "keyring_unavailable"),
    "invoicer.integrations.stripe_payments.StripeProblem": Kind("unavailable", "stripe_error"),
    "invoicer.integrations.sync_http.SyncUnavailable": Kind("unavailable", "sync_unavailable"),
    # The sync server refused this device or admin (signed out, revoked, quarantined, too old).
    "invoicer.integrations.sync_http.RemoteRefused": Kind("permission", "sync_refused"),
    "invoicer.services.errors.DatabaseBusy": Kind("unavailable", "database_busy"),
    "invoicer.services.mail.transport.MailNotSent": Kind("unavailable", "mail_not_sent"),
    # Another call is placing this checkout's order right now: ask again in a moment.
    "invoicer.services.checkout.basket.Busy": Kind("unavailable", "order_being_placed"),
    # A webhook whose signature, time or shape does not check out (routes answer it 400).
    "invoicer.services.webhooks.onecom.WebhookRefused": Kind("authentication", "webhook_refused"),
    "invoicer.server.config.ServerRefused": Kind("unavailable", "server_not_configured"),
    "invoicer.services.accounts.errors.NotSignedIn": Kind("authentication", "not_signed_in"),
    "invoicer.services.accounts.errors.NotAllowed": Kind("permission", "not_allowed"),
    "invoicer.services.accounts.errors.TooManyAttempts": Kind("rate_limited", "too_many_attempts"),
    "invoicer.services.sync.errors.SyncRefused": Kind("conflict", "sync_refused"),
    "invoicer.services.sync.errors.DeviceRefused": Kind("permission", "device_refused"),
    "invoicer.services.sync.errors.ClientOutdated": Kind("upgrade_required", "client_outdated"),
    "invoicer.domain.errors.InvoicerError": Kind("invalid_request", "invalid_request"),
}
INTERNAL = Kind("internal", "internal")
INTERNAL_MESSAGE = (
    "Something went wrong inside Invoicer: this is a bug, not something you typed. "
    "Please report what you were doing."
)


class DatabaseBusy(InvoicerError):
    """Another program held the database longer than the busy timeout."""


class StoreRefused(Conflict):
    """The database itself refused a change (a trigger guarding issued documents, payments
    and the audit trail): the services should have refused it first."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


# The sentences of the database's own refusals (store/triggers.py), in the user's terms.
_REFUSALS = {
    "issued invoices cannot be changed": (
        "issued_document_frozen",
        "An issued invoice or credit note cannot be changed; issue a credit note instead.",
    ),
    "issued invoices cannot be deleted": (
        "issued_document_frozen",
        "An issued invoice or credit note cannot be deleted; issue a credit note instead.",
    ),
    "payments are append-only": (
        "append_only",
        "A recorded payment cannot be changed or deleted.",
    ),
    "audit_events are append-only": (
        "append_only",
        "The audit trail cannot be changed or deleted.",
    ),
}


def _kind(exc: BaseException) -> Kind:
    for cls in type(exc).__mro__:
        kind = KINDS.get(f"{cls.__module__}.{cls.__qualname__}")
        if kind is not None:
            return kind
    return INTERNAL


def translate(exc: BaseException) -> BaseException:
    """`exc` as the Invoicer error it means, when it is a database refusal, a busy or a
    damaged file that reached the caller untranslated; otherwise `exc` itself."""
    if isinstance(exc, InvoicerError):
        return exc
    original = getattr(exc, "orig", exc)  # SQLAlchemy wraps the driver's error
    driver = type(original).__module__.split(".")[0]
    if not isinstance(original, sqlite3.Error) and driver not in ("psycopg", "psycopg2"):
        return exc
    text = str(original).strip()
    for words, (code, message) in _REFUSALS.items():
        if words in text:
            return StoreRefused(code, message)
    if isinstance(original, sqlite3.OperationalError) and "locked" in text:
        return DatabaseBusy(
            "The database is busy: another Invoicer window or command is writing to it. "
            "Nothing was changed; try again in a moment."
        )
    from invoicer.store.file_checks import is_damage

    if is_damage(original):
        return FileDamaged(
            f"The database file is damaged (SQLite: {text}). Invoicer has not changed it; "
            "`invoicer audit verify` says where the newest good backup is."
        )
    return exc


def _code(exc: BaseException, kind: Kind) -> str:
    own = getattr(exc, "code", None)  # ViesError, CryptoCheckFailed, a translated refusal
    return own.lower() if isinstance(own, str) and own else kind.code


def error_payload(exc: BaseException) -> dict[str, dict[str, object]]:
    """The one machine-readable form of any error (see the module's docstring)."""
    exc = translate(exc)
    kind = _kind(exc)
    if kind is INTERNAL:
        return {
            "error": {
                "type": "internal",
                "code": "internal",
                "message": INTERNAL_MESSAGE,
                "field": None,
            }
        }
    if isinstance(exc, ValidationError) and exc.problems:
        first = exc.problems[0]
        return {
            "error": {
                "type": kind.type,
                "code": first.code,
                "message": first.message,
                "field": first.field or None,
                "problems": [
                    {"field": p.field or None, "code": p.code, "message": p.message}
                    for p in exc.problems
                ],
            }
        }
    error: dict[str, object] = {
        "type": kind.type,
        "code": _code(exc, kind),
        "message": str(exc) or "Invoicer could not do that.",
        "field": _param(exc),
    }
    details = getattr(exc, "details", None)  # a sync gap's resend_from
    if isinstance(details, dict):
        error.update({k: v for k, v in details.items() if k not in error})
    return {"error": error}


def _param(exc: BaseException) -> str | None:
    param = getattr(exc, "param", None)
    return param if isinstance(param, str) and param else None


def http_status(exc: BaseException) -> int:
    """The HTTP status the server answers `exc` with (the table in the module's docstring)."""
    return _kind(translate(exc)).status


def error_lines(exc: BaseException, *, show_internal: bool = False) -> list[str]:
    """The sentences a front-end shows for `exc`: one per problem ("field: message"), else
    the message's lines. A bug is `INTERNAL_MESSAGE`; `show_internal` (the local app, whose
    user is the one to report it) adds the exception's type and text after it."""
    error = error_payload(exc)["error"]
    if error["type"] == "internal":
        inner = f"{type(exc).__name__}: {exc}" if show_internal else ""
        return [INTERNAL_MESSAGE, inner] if inner else [INTERNAL_MESSAGE]
    problems = error.get("problems")
    if isinstance(problems, list):
        return [
            f"{p['field']}: {p['message']}" if p["field"] else str(p["message"]) for p in problems
        ]
    return str(error["message"]).splitlines() or [str(error["type"])]
