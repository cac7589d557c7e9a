"""The app's own settings on the Settings screen (invoicer/services/settings.py): VIES policy,
Stripe and crypto. One field per setting, labelled for a merchant; the service checks them.

`save_all` saves them together with the shop profile, and nothing at all when either has a
problem: the settings are checked first (nothing written), then the profile is saved, then
the checked settings are written.
"""

from __future__ import annotations

from typing import Any

from ui_tui.widgets.form import FieldSpec

POLICIES = (
    ("Block: refuse to issue", "block"),
    ("Warn: issue with a warning", "warn"),
)

CONNECTION_FIELDS = (
    FieldSpec(
        "vies_policy", "EU VAT number without a valid check", kind="choice", choices=POLICIES
    ),
    FieldSpec("vies_max_age_days", "A VIES check counts for (days)", kind="int"),
    FieldSpec("vies_timeout_seconds", "VIES timeout (seconds)", kind="int"),
    FieldSpec("vies_retries", "VIES retries when busy", kind="int"),
    FieldSpec("vies_url", "VIES service URL"),
    FieldSpec("stripe_api_base", "Stripe API URL"),
    FieldSpec("receiving_address", "Receiving address (crypto)", placeholder="0x…"),
    FieldSpec("crypto_assets", "Accepted coins", placeholder="ETH, EURC:0x…:6:EUR"),
    FieldSpec("chain_id", "Chain id", kind="int", placeholder="1 = Ethereum"),
    FieldSpec("confirmations", "Confirmations needed", kind="int"),
    FieldSpec("rpc_url", "Blockchain node (JSON-RPC URL)", placeholder="https://…"),
    FieldSpec("smtp_host", "Mail server", placeholder="smtp.example.com"),
    FieldSpec("smtp_port", "Mail server port", kind="int"),
    FieldSpec("smtp_security", "Mail security", placeholder="starttls, tls or none"),
    FieldSpec("smtp_user", "Mail user (password: secret smtp_password)"),
    FieldSpec("mail_from", "Sender", placeholder="Shop <billing@shop.example>"),
    FieldSpec("mail_attach", "E-invoice attached", placeholder="auto, ubl, facturx, none"),
    FieldSpec("reminder_days", "Reminders (days after due)", placeholder="7,14,30"),
)

CONNECTION_SECTIONS = (
    (
        "VIES",
        ("vies_policy", "vies_max_age_days", "vies_timeout_seconds", "vies_retries", "vies_url"),
    ),
    (
        "Payments",
        (
            "stripe_api_base",
            "receiving_address",
            "crypto_assets",
            "chain_id",
            "confirmations",
            "rpc_url",
        ),
    ),
    (
        "E-mail",
        (
            "smtp_host",
            "smtp_port",
            "smtp_security",
            "smtp_user",
            "mail_from",
            "mail_attach",
            "reminder_days",
        ),
    ),
)

NAMES = tuple(spec.name for spec in CONNECTION_FIELDS)


def load() -> tuple[dict[str, Any], set[str]]:
    """The current values, and the names an INVOICER_* variable overrides."""
    from invoicer.services.settings import SettingsService

    rows = SettingsService().describe()
    values = {name: value for name, value, _, _ in rows if name in NAMES}
    from_env = {name for name, _, source, _ in rows if source == "environment"}
    return values, from_env


def changes(loaded: dict[str, Any], entered: dict[str, Any]) -> dict[str, Any]:
    """Only what the user changed, so defaults are not written into the file."""
    changed = {}
    for name, value in entered.items():
        text = "" if value is None else str(value)
        if text != str(loaded.get(name, "")):
            changed[name] = text
    return changed


def save_all(services: Any, shop_values: dict[str, Any], changed: dict[str, Any]) -> Any:
    from invoicer.services.commands import SettingsChanges, ShopProfileChanges
    from invoicer.services.settings import SettingsService

    settings = SettingsService()
    setting_changes = SettingsChanges(**changed)
    settings.check(setting_changes)  # raises with every problem before anything is written
    shop = services.shop.save(ShopProfileChanges(**shop_values))
    if changed:
        settings.set(setting_changes)
        services.reload_settings()  # the VIES policy applies to the next issue at once
    return shop
