"""A server shop's settings: the server's own settings (its environment, its settings file)
with the fields a shop may choose for itself stored per shop (shop_settings).

A shop may set only what concerns its own business (VIES policy, issuing dates, its crypto
receiving address); the endpoints the server talks to (VIES, Stripe's API, the RPC node, the
database) are the server operator's: a tenant choosing them could make the server call any
address (SSRF)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from invoicer.domain.errors import ValidationError
from invoicer.services.base import Service
from invoicer.services.commands import SettingsChanges
from invoicer.services.settings import Settings, check_changes
from invoicer.store.accounts_schema import ShopSettings

SHOP_FIELDS = (
    "vies_policy",
    "vies_max_age_days",
    "max_future_issue_days",
    "receiving_address",
    "crypto_assets",
    "confirmations",
    # E-mail: the shop's own account on the operator's mail server (smtp_host, smtp_port and
    # smtp_security stay the operator's), its sender, attachments and reminder cadence.
    "smtp_user",
    "mail_from",
    "mail_attach",
    "reminder_days",
)


def shop_settings(base: Settings, stored: dict[str, Any]) -> Settings:
    return dataclasses.replace(base, **{k: v for k, v in stored.items() if k in SHOP_FIELDS})


class ShopSettingsService(Service):
    def stored(self) -> dict[str, Any]:
        """The fields this shop set (the rest are the server's)."""
        with self._read() as session:
            row = session.get(ShopSettings, self.ctx.shop_id)
            return json.loads(row.data) if row is not None else {}

    def get(self) -> Settings:
        return shop_settings(self.ctx.settings, self.stored())

    def set(self, changes: SettingsChanges) -> Settings:
        given = changes.given()
        outside = [name for name in given if name not in SHOP_FIELDS]
        if outside:
            raise ValidationError.single(
                outside[0],
                "not_a_shop_setting",
                f"{outside[0]} is set by the server's operator, not per shop "
                f"(a shop may set: {', '.join(SHOP_FIELDS)}).",
            )
        clean = check_changes(changes)
        with self._write() as session:
            row = session.get(ShopSettings, self.ctx.shop_id)
            if row is None:
                row = ShopSettings(shop_id=self.ctx.shop_id, data="{}", updated_at=self.now())
                session.add(row)
            row.data = json.dumps({**json.loads(row.data), **clean}, sort_keys=True)
            row.updated_at = self.now()
        return shop_settings(self.ctx.settings, {**self.stored()})
