"""Handing a message to the mail server with smtplib: STARTTLS, TLS from the start, or none
(a server on this machine), a login when a user is set, and every failure said in the user's
words (MailNotSent), never a traceback.

The password is the `smtp_password` secret of the context's secret store (the keyring for the
local app, the shop's own store on a server), never a setting."""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import TYPE_CHECKING

from invoicer.domain.errors import Conflict, InvoicerError

if TYPE_CHECKING:
    from invoicer.services.context import ServiceContext


class MailNotSent(InvoicerError):
    """The mail server could not be reached or refused the message; `reason` says why."""

    code = "mail_not_sent"

    def __init__(self, reason: str, *, server_failed: bool = True) -> None:
        super().__init__(f"The e-mail was not sent: {reason}")
        self.reason = reason
        # False: the server works but refused this message (an address, its content), so
        # other messages may still go out.
        self.server_failed = server_failed


@dataclass(frozen=True, slots=True)
class SmtpAccount:
    host: str
    port: int
    security: str  # starttls | tls | none
    user: str
    password: str | None = field(repr=False)
    timeout: int
    ca_file: str

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"


def account(ctx: ServiceContext) -> SmtpAccount:
    """The mail server of the context's settings, with its password, or why there is none."""
    settings = ctx.require_settings()
    if not settings.smtp_host:
        raise Conflict(
            "No mail server is set up: set smtp_host (and smtp_port, smtp_security, "
            "smtp_user) with `invoicer settings set`, and the password with "
            "`invoicer secrets set smtp_password`."
        )
    password = None
    if settings.smtp_user:
        password = ctx.secrets.get_secret("smtp_password")
        if not password:
            raise Conflict(
                f"The mail server needs the password of {settings.smtp_user}: store it with "
                "`invoicer secrets set smtp_password` (it is kept in the keyring only)."
            )
    return SmtpAccount(
        settings.smtp_host,
        settings.smtp_port,
        settings.smtp_security,
        settings.smtp_user,
        password,
        settings.smtp_timeout_seconds,
        settings.smtp_ca_file,
    )


def _tls(account: SmtpAccount) -> ssl.SSLContext:
    try:
        return ssl.create_default_context(cafile=account.ca_file or None)
    except (OSError, ssl.SSLError):
        raise MailNotSent(
            f"the certificate file {account.ca_file} (smtp_ca_file) could not be read."
        ) from None


def deliver(account: SmtpAccount, message: EmailMessage) -> list[str]:
    """Send `message` to its To addresses, or raise MailNotSent saying why it was not.

    The addresses the server refused while it took the others (the message went out)."""
    try:
        return _deliver(account, message)
    except MailNotSent:
        raise
    except smtplib.SMTPAuthenticationError:
        raise MailNotSent(
            f"the mail server {account.server} refused the login of {account.user}; check "
            "smtp_user and the smtp_password secret."
        ) from None
    except smtplib.SMTPRecipientsRefused as exc:
        refused = ", ".join(sorted(exc.recipients))
        raise MailNotSent(
            f"the mail server {account.server} refused the address {refused}.",
            server_failed=False,
        ) from None
    except smtplib.SMTPSenderRefused as exc:
        raise MailNotSent(
            f"the mail server {account.server} refused the sender {exc.sender} "
            "(check mail_from: many servers only send from the account's own address)."
        ) from None
    except smtplib.SMTPServerDisconnected as exc:
        if isinstance(exc.__context__, TimeoutError):  # smtplib says a wait timed out so
            raise _timed_out(account) from None
        raise MailNotSent(
            f"the mail server {account.server} closed the connection before the message was "
            "accepted; try again later."
        ) from None
    except smtplib.SMTPResponseException as exc:
        error: bytes | str = exc.smtp_error
        said = error.decode("utf-8", "replace") if isinstance(error, bytes) else error
        raise MailNotSent(
            f"the mail server {account.server} refused the message ({exc.smtp_code} "
            f"{said.strip()[:200]}).",
            server_failed=False,
        ) from None
    except ssl.SSLCertVerificationError as exc:
        raise MailNotSent(
            f"the certificate of {account.server} is not trusted ({exc.verify_message}); "
            "set smtp_ca_file to the authority that signed it."
        ) from None
    except ssl.SSLError as exc:
        raise MailNotSent(
            f"the secure connection to {account.server} failed ({exc.reason}); check "
            "smtp_security (starttls for port 587, tls for port 465)."
        ) from None
    except ConnectionRefusedError:
        raise MailNotSent(
            f"the mail server {account.server} refused the connection; check smtp_host and "
            "smtp_port, and that the server runs."
        ) from None
    except socket.gaierror:
        raise MailNotSent(
            f"the mail server {account.host} was not found; check smtp_host and the "
            "network connection."
        ) from None
    except TimeoutError:
        raise _timed_out(account) from None
    except (ConnectionError, smtplib.SMTPException, OSError) as exc:
        kind = getattr(exc, "strerror", None) or type(exc).__name__
        raise MailNotSent(
            f"the connection to the mail server {account.server} failed ({kind}); try again later."
        ) from None


def _timed_out(account: SmtpAccount) -> MailNotSent:
    return MailNotSent(
        f"the mail server {account.server} did not answer within {account.timeout} "
        "seconds (smtp_timeout_seconds); try again later."
    )


def _deliver(account: SmtpAccount, message: EmailMessage) -> list[str]:
    client: smtplib.SMTP
    if account.security == "tls":
        client = smtplib.SMTP_SSL(
            account.host, account.port, timeout=account.timeout, context=_tls(account)
        )
    else:
        client = smtplib.SMTP(account.host, account.port, timeout=account.timeout)
    with client:
        client.ehlo()
        if account.security == "starttls":
            if not client.has_extn("starttls"):
                raise MailNotSent(
                    f"the mail server {account.server} does not offer STARTTLS; use "
                    "smtp_security tls (port 465) or another server."
                )
            client.starttls(context=_tls(account))
            client.ehlo()
        if account.user:
            if not client.has_extn("auth"):
                raise MailNotSent(
                    f"the mail server {account.server} offers no login (AUTH) on this "
                    "connection; many offer it only over TLS (smtp_security), or leave "
                    "smtp_user empty for a server that needs none."
                )
            client.login(account.user, account.password or "")
        refused = client.send_message(message)
    return sorted(refused)
