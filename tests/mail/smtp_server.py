"""A real SMTP server on loopback for the mail tests (aiosmtpd), on an explicit free port:
plain, STARTTLS or implicit TLS with a self-signed certificate made here, with or without
AUTH, and a handler that drops the connection instead of taking the message."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import socket
import ssl
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "shop@voorbeeld.example", "s3cret-Wachtwoord"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (its own authority): (cert.pem, key.pem)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Inbox:
    """The handler: keeps what it receives; `drop` closes the connection at DATA instead."""

    drop: bool = False
    received: list[Received] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.drop:
            server.transport.close()
            return "421 closing"
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
        )
        return "250 OK"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        if isinstance(data, LoginPassword):
            self.logins.append(data.login.decode())
            if data.login.decode() == USER and data.password.decode() == PASSWORD:
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)


class _Controller(Controller):
    def factory(self) -> Any:
        # With implicit TLS the whole connection is TLS, which aiosmtpd 1.4's AUTH check
        # (STARTTLS only) does not see: it warns of AUTH without TLS, wrongly here.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS")
            return super().factory()


@dataclass
class Server:
    port: int
    inbox: Inbox
    ca_file: Path | None


@contextmanager
def smtp_server(
    tmp_path: Path, *, security: str = "none", auth: bool = False, drop: bool = False
) -> Iterator[Server]:
    """security: none | starttls | tls (the server's side of the smtp_security setting)."""
    inbox = Inbox(drop=drop)
    port = free_port()
    options: dict[str, Any] = {}
    ca_file = None
    context = None
    if security != "none":
        ca_file, key_file = make_certificate(tmp_path)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(ca_file, key_file)
    if security == "starttls":
        options.update(tls_context=context, require_starttls=True)
    if auth:
        options.update(authenticator=inbox.authenticate, auth_required=True)
        # aiosmtpd 1.4 counts only STARTTLS as TLS for AUTH; implicit TLS is TLS too.
        options.update(auth_require_tls=security == "starttls")
    else:
        options.update(auth_require_tls=False)
    controller = _Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        ssl_context=context if security == "tls" else None,
        ready_timeout=10,
        **options,
    )
    controller.start()
    try:
        yield Server(port, inbox, ca_file)
    finally:
        controller.stop()


@contextmanager
def silent_server() -> Iterator[int]:
    """A port that takes connections and never says a word (a server that hangs)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield int(listener.getsockname()[1])
