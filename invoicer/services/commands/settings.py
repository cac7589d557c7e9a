"""Changing the app's settings (the TOML file of invoicer.services.settings)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from invoicer.services.commands.base import Command, Text, Whole
from invoicer.services.settings import FIELDS


def _doc(name: str) -> str:
    return str(FIELDS[name].metadata["doc"])  # one wording: the setting's own documentation


class SettingsChanges(Command):
    """Settings to change; the others keep their values."""

    unknown_code: ClassVar[str] = "unknown_setting"
    unknown_message: ClassVar[str] = "There is no setting {field!r}."

    vies_url: Text = Field(None, description=_doc("vies_url"))
    vies_timeout_seconds: Whole = Field(None, description=_doc("vies_timeout_seconds"))
    vies_retries: Whole = Field(None, description=_doc("vies_retries"))
    vies_max_age_days: Whole = Field(None, description=_doc("vies_max_age_days"))
    vies_policy: Text = Field(None, description=_doc("vies_policy"))
    max_future_issue_days: Whole = Field(None, description=_doc("max_future_issue_days"))
    stripe_api_base: Text = Field(None, description=_doc("stripe_api_base"))
    rpc_url: Text = Field(None, description=_doc("rpc_url"))
    chain_id: Whole = Field(None, description=_doc("chain_id"))
    confirmations: Whole = Field(None, description=_doc("confirmations"))
    receiving_address: Text = Field(None, description=_doc("receiving_address"))
    db_path: Text = Field(None, description=_doc("db_path"))
    crypto_assets: Text = Field(None, description=_doc("crypto_assets"))
    smtp_host: Text = Field(None, description=_doc("smtp_host"))
    smtp_port: Whole = Field(None, description=_doc("smtp_port"))
    smtp_security: Text = Field(None, description=_doc("smtp_security"))
    smtp_user: Text = Field(None, description=_doc("smtp_user"))
    smtp_timeout_seconds: Whole = Field(None, description=_doc("smtp_timeout_seconds"))
    smtp_ca_file: Text = Field(None, description=_doc("smtp_ca_file"))
    mail_from: Text = Field(None, description=_doc("mail_from"))
    mail_attach: Text = Field(None, description=_doc("mail_attach"))
    reminder_days: Text = Field(None, description=_doc("reminder_days"))
