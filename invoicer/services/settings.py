"""Typed settings: one documented field each, a TOML file in the user's config folder, and
INVOICER_<FIELD> environment variables that override the file (for automation and tests).

Secrets are never settings: they live in the keyring (invoicer.integrations.secrets).
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invoicer.domain.errors import Problem, ValidationError
from invoicer.domain.limits import control_character
from invoicer.services.paths import config_dir

if TYPE_CHECKING:  # the command's descriptions are read from FIELDS below
    from invoicer.services.commands import SettingsChanges


def _doc(text: str) -> Any:
    return {"doc": text}


@dataclass(frozen=True, slots=True)
class Settings:
    vies_url: str = field(
        default="https://ec.europa.eu/taxation_customs/vies/services/checkVatService",
        metadata=_doc(
            "SOAP endpoint of VIES (the official test service or a local one for tests)."
        ),
    )
    vies_timeout_seconds: int = field(default=10, metadata=_doc("Seconds to wait for VIES."))
    vies_retries: int = field(
        default=2, metadata=_doc("Retries after a temporary VIES fault (busy, unavailable).")
    )
    vies_max_age_days: int = field(
        default=30, metadata=_doc("A VIES check older than this no longer counts as verified.")
    )
    vies_policy: str = field(
        default="block",
        metadata=_doc(
            "block: refuse reverse-charge/intra-Community invoices without a recent "
            "valid check; warn: issue them with a warning."
        ),
    )
    max_future_issue_days: int = field(
        default=0,
        metadata=_doc(
            "How many days after today an invoice may be dated when it is issued "
            "(0: today at the latest)."
        ),
    )
    stripe_api_base: str = field(
        default="https://api.stripe.com", metadata=_doc("Base URL of the Stripe API.")
    )
    rpc_url: str = field(default="", metadata=_doc("JSON-RPC URL of the blockchain node."))
    chain_id: int = field(default=1, metadata=_doc("EVM chain id (1 = Ethereum mainnet)."))
    confirmations: int = field(
        default=12, metadata=_doc("Confirmations a crypto payment needs before it counts.")
    )
    receiving_address: str = field(
        default="", metadata=_doc("The shop's address that receives crypto payments.")
    )
    db_path: str = field(
        default="",
        metadata=_doc(
            "Database file used when --db and INVOICER_DB are not given "
            "(empty: invoicer.sqlite in the user data folder)."
        ),
    )
    crypto_assets: str = field(
        default="ETH",
        metadata=_doc(
            "Accepted coins: ETH and tokens as SYMBOL:CONTRACT:DECIMALS:CURRENCY, "
            "comma separated (e.g. EURC:0x...:6:EUR)."
        ),
    )
    smtp_host: str = field(
        default="",
        metadata=_doc("Mail server that sends invoices and reminders (empty: no e-mail)."),
    )
    smtp_port: int = field(
        default=587, metadata=_doc("Port of the mail server (587 STARTTLS, 465 TLS, 25).")
    )
    smtp_security: str = field(
        default="starttls",
        metadata=_doc(
            "starttls: upgrade the connection to TLS (port 587); tls: TLS from the start "
            "(port 465); none: no encryption (a server on this machine only)."
        ),
    )
    smtp_user: str = field(
        default="",
        metadata=_doc(
            "User name on the mail server (empty: no login); the password is the "
            "smtp_password secret in the keyring."
        ),
    )
    smtp_timeout_seconds: int = field(
        default=30, metadata=_doc("Seconds to wait for the mail server.")
    )
    smtp_ca_file: str = field(
        default="",
        metadata=_doc(
            "A PEM file of the authority that signed the mail server's certificate "
            "(empty: the system's authorities)."
        ),
    )
    mail_from: str = field(
        default="",
        metadata=_doc(
            "Sender address of e-mails, e.g. Shop <billing@shop.example> (empty: the "
            "shop's e-mail address and name)."
        ),
    )
    mail_attach: str = field(
        default="auto",
        metadata=_doc(
            "E-invoice attached beside the PDF: auto (UBL for a customer with a Peppol "
            "address), ubl, facturx or none."
        ),
    )
    reminder_days: str = field(
        default="7,14,30",
        metadata=_doc("Days after the due date a reminder is sent, comma separated (empty: none)."),
    )


FIELDS = {f.name: f for f in dataclasses.fields(Settings)}
_CHOICES = {
    "vies_policy": ("block", "warn"),
    "smtp_security": ("starttls", "tls", "none"),
    "mail_attach": ("auto", "ubl", "facturx", "none"),
}
_RANGES = {
    "vies_timeout_seconds": (1, 300),
    "vies_retries": (0, 10),
    "vies_max_age_days": (0, 3650),
    "max_future_issue_days": (0, 365),
    "chain_id": (1, 2**63),
    "confirmations": (0, 10_000),
    "smtp_port": (1, 65_535),
    "smtp_timeout_seconds": (1, 600),
}


# Checked in services/mail/settings_checks.py (function by field).
_MAIL_CHECKS = {
    "smtp_host": "host",
    "smtp_user": "user",
    "mail_from": "sender",
    "reminder_days": "reminder_days",
}


def settings_file() -> Path:
    return config_dir() / "settings.toml"


def _convert(name: str, value: Any) -> Any:
    kind = FIELDS[name].type
    if kind in ("int", int):
        try:
            number = int(str(value).strip()) if not isinstance(value, bool) else None
        except ValueError:
            number = None
        low, high = _RANGES.get(name, (0, 2**63))
        if number is None or not low <= number <= high:
            raise ValidationError.single(
                name, "invalid", f"{name} must be a whole number from {low} to {high}."
            )
        return number
    text = str(value).strip()
    found = control_character(text, multiline=False)
    if found is not None:
        raise ValidationError.single(
            name,
            "control_character",
            f"{name} contains a control character ({found}); remove it.",
        )
    if name == "receiving_address" and text:
        from invoicer.integrations.crypto import checksum_address

        return checksum_address(text)
    if name == "crypto_assets":
        from invoicer.integrations.crypto import parse_assets

        parse_assets(text)
    if name in _MAIL_CHECKS and text:
        from invoicer.services.mail import settings_checks

        return getattr(settings_checks, _MAIL_CHECKS[name])(name, text)
    if name in _CHOICES and text not in _CHOICES[name]:
        raise ValidationError.single(
            name, "unknown_value", f"{name} must be one of {', '.join(_CHOICES[name])}."
        )
    if name in ("db_path", "smtp_ca_file") and text:
        if not Path(text).expanduser().is_absolute():
            raise ValidationError.single(
                name, "not_absolute", f"{name} must be an absolute path (or start with ~)."
            )
        return str(Path(text).expanduser())
    is_url = name.endswith(("_url", "_base"))
    if is_url and text and not text.startswith(("http://", "https://")):
        raise ValidationError.single(name, "invalid_url", f"{name} must be an http(s) URL.")
    return text


class SettingsService:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or settings_file()

    def _stored(self) -> dict[str, Any]:
        if not self.path.is_file():
            return {}
        try:
            data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ValidationError.single(
                "settings",
                "unreadable",
                f"{self.path} is not valid TOML ({exc}); fix or delete it.",
            ) from None
        return {k: v for k, v in data.items() if k in FIELDS}

    def get(self) -> Settings:
        values = self._stored()
        for name in FIELDS:
            env = os.environ.get(f"INVOICER_{name.upper()}")
            if env is not None:
                values[name] = env
        problems: list[Problem] = []
        clean: dict[str, Any] = {}
        for name, value in values.items():
            try:
                clean[name] = _convert(name, value)
            except ValidationError as exc:
                problems.extend(exc.problems)
        if problems:
            raise ValidationError(problems)
        return Settings(**clean)

    def describe(self) -> list[tuple[str, Any, str, str]]:
        """(name, value, where it comes from, documentation) for every field."""
        current = self.get()
        stored = self._stored()
        rows = []
        for name, spec in FIELDS.items():
            source = (
                "environment"
                if f"INVOICER_{name.upper()}" in os.environ
                else "file"
                if name in stored
                else "default"
            )
            rows.append((name, getattr(current, name), source, spec.metadata["doc"]))
        return rows

    def check(self, changes: SettingsChanges) -> dict[str, Any]:
        """The values as they would be stored; every problem at once, nothing written.

        Lets a front-end that saves settings together with other data refuse the whole save
        before anything is written."""
        return check_changes(changes)

    def set(self, changes: SettingsChanges) -> Settings:
        """Change fields in the file; a bad value changes nothing."""
        import tomli_w

        clean = self.check(changes)
        stored = {**self._stored(), **clean}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(tomli_w.dumps(stored), encoding="utf-8")
        temporary.replace(self.path)  # atomic: a crash never leaves half a file
        return self.get()


def check_changes(changes: SettingsChanges) -> dict[str, Any]:
    """The given settings as they would be stored, or every problem at once."""
    clean: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, value in changes.given().items():
        try:
            clean[name] = _convert(name, value)
        except ValidationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ValidationError(problems)
    return clean
