"""The merchant's templates (checked placeholders, kept per shop, synced as events) and the
mail settings' validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from invoicer.domain.errors import ValidationError
from invoicer.services.app import Services
from invoicer.services.commands import SettingsChanges
from invoicer.services.mail import templates
from invoicer.services.mail.defaults import DEFAULTS
from invoicer.services.settings import SettingsService

from ..services.conftest import dump


def test_every_built_in_template_passes_its_own_checks() -> None:
    for subject, body in DEFAULTS.values():
        assert templates.check(subject, body)[0] == subject


def test_an_edited_template_is_kept_and_reset(shop: Services) -> None:
    saved = shop.mail.save_template("reminder", "de", body="Bitte zahlen Sie {amount}.")
    assert saved.custom
    assert saved.body == "Bitte zahlen Sie {amount}.\n"
    assert saved.subject == DEFAULTS[("reminder", "de")][0]
    assert shop.mail.template("reminder", "de").body == saved.body
    reset = shop.mail.save_template("reminder", "de", reset=True)
    assert reset.body == DEFAULTS[("reminder", "de")][1]
    actions = [e.action for e in shop.audit.events(limit=1000) if e.entity == "mail_template"]
    assert actions == ["mail_template.save", "mail_template.save"]


@pytest.mark.parametrize(
    ("subject", "body", "code"),
    [
        ("{number.__class__}", "x", "unknown_placeholder"),
        ("{amount:>10}", "x", "unknown_placeholder"),
        ("Invoice {", "x", "invalid_template"),
        ("Line\nbreak", "x", "control_character"),
        ("ok", "NUL \x00", "control_character"),
        ("", "x", "empty"),
        ("x" * 201, "x", "too_long"),
    ],
)
def test_a_bad_template_changes_nothing(shop: Services, subject: str, body: str, code: str) -> None:
    before = dump(shop.path)
    with pytest.raises(ValidationError) as error:
        shop.mail.save_template("invoice", "en", subject=subject, body=body)
    assert error.value.problems[0].code == code
    assert dump(shop.path) == before


def test_an_unknown_kind_or_language_is_refused(shop: Services) -> None:
    with pytest.raises(ValidationError, match="language must be one of"):
        shop.mail.save_template("invoice", "pl", subject="x")
    with pytest.raises(ValidationError, match="kind of message"):
        shop.mail.template("receipt", "en")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("smtp_host", "smtp://mail.example.com", "host name alone"),
        ("smtp_host", "mail.example.com:587", "host name alone"),
        ("smtp_port", "0", "from 1 to 65535"),
        ("smtp_port", "1e999", "whole number"),
        ("smtp_security", "ssl", "starttls, tls, none"),
        ("smtp_user", "a b", "without spaces"),
        ("smtp_ca_file", "certs/ca.pem", "absolute path"),
        ("mail_from", "billing@shop", "not one e-mail address"),
        ("mail_from", "a@b.example, c@d.example", "not one e-mail address"),
        ("mail_attach", "zip", "auto, ubl, facturx, none"),
        ("reminder_days", "14,7", "increasing"),
        ("reminder_days", "7,x", "'x' is not"),
        ("reminder_days", "0", "from 1 to 3650"),
    ],
)
def test_bad_mail_settings_are_refused(tmp_path: Path, name: str, value: str, message: str) -> None:
    service = SettingsService(tmp_path / "settings.toml")
    with pytest.raises(ValidationError, match=message):
        service.set(SettingsChanges(**{name: value}))
    assert not (tmp_path / "settings.toml").exists()


def test_good_mail_settings_are_stored(tmp_path: Path) -> None:
    service = SettingsService(tmp_path / "settings.toml")
    settings = service.set(SettingsChanges(smtp_host="Mail.Example.com", smtp_port="465",
                                           smtp_security="tls", reminder_days=" 3, 10 ",
                                           mail_from="Łukasz Żółć <l@example.pl>"))  # fmt: skip
    assert (settings.smtp_host, settings.smtp_port) == ("mail.example.com", 465)
    assert settings.reminder_days == "3,10"
    assert settings.mail_from == "Łukasz Żółć <l@example.pl>"
