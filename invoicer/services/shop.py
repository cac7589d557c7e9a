"""The merchant's own profile."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from invoicer.domain.amounts import locale_for
from invoicer.services import mapping, views
from invoicer.services.base import Service
from invoicer.services.commands import ShopProfileChanges
from invoicer.services.fields import Fields
from invoicer.store import audit, schema
from invoicer.store.event_state import row_state

VAT_STATUSES = ("registered", "oss", "small_business")
_TEXT = (
    "legal_name",
    "trading_name",
    "street",
    "postcode",
    "city",
    "registration_number",
    "phone",
    "website",
    "logo_path",
)
FIELDS = tuple(ShopProfileChanges.model_fields)


def check_number_format(fields: Fields, key: str) -> str | None:
    value = fields.text(key, max_len=60)
    if value is None:
        return None
    try:
        sample = value.format(year=2026, seq=1)
    except (KeyError, IndexError, ValueError):
        sample = ""
    if "{seq" not in value or not sample:
        fields.add(
            key,
            "invalid_format",
            f"{value!r} must contain {{seq}} (and may use {{year}}), "
            "for example INV-{year}-{seq:06d}.",
        )
        return None
    return value


class ShopService(Service):
    def get(self) -> views.ShopProfile | None:
        with self._read() as session:
            row = session.execute(select(schema.Shop)).scalar()
            return mapping.shop(row) if row else None

    def locale(self) -> str:
        """The Babel locale the user writes and reads numbers in: the shop's language
        (en_IE before the shop is set up). Front-ends format money with it."""
        with self._read() as session:
            return self.user_locale(session)

    def is_set_up(self) -> bool:
        return self.get() is not None

    def save(self, changes: ShopProfileChanges) -> views.ShopProfile:
        """Create the profile or update the given fields."""
        data = changes.given()
        with self._write() as session:
            row = session.execute(select(schema.Shop)).scalar()
            merged = {f: getattr(row, f) for f in FIELDS} if row else {}
            merged.update(data)
            clean = self._check(merged)
            if row is None:
                row = schema.Shop(**clean)
                session.add(row)
            else:
                for key, value in clean.items():
                    setattr(row, key, value)
                row.updated_at = self.now()
            session.flush()
            audit.append(session, "shop.save", "shop", row.id, {"row": row_state(row)})
            return mapping.shop(row)

    def check_new(self, changes: ShopProfileChanges) -> None:
        """Refuse, with every problem, a profile that save() would refuse for a new shop
        (a server's sign-up checks it before it creates anything)."""
        self._check(changes.given())

    def _check(self, merged: dict[str, Any]) -> dict[str, Any]:
        fields = Fields(merged, FIELDS, locale=locale_for(merged.get("language")))
        clean: dict[str, Any] = {}
        for key in _TEXT:
            clean[key] = fields.text(
                key,
                required=key in ("legal_name", "street", "postcode", "city"),
                multiline=key == "street",
            )
        clean["country"] = fields.country("country", required=True)
        clean["vat_number"] = fields.vat_number("vat_number", country=clean["country"])
        clean["email"] = fields.email("email")
        clean["iban"] = fields.iban("iban")
        clean["bic"] = fields.bic("bic")
        clean["peppol_id"] = fields.peppol_id("peppol_id")
        clean["currency"] = fields.currency("currency") or "EUR"
        clean["language"] = fields.language("language") or "en"
        terms = fields.integer("payment_terms_days", maximum=365)
        clean["payment_terms_days"] = 14 if terms is None else terms
        clean["vat_status"] = fields.choice("vat_status", VAT_STATUSES) or "registered"
        clean["oss_opt_in"] = bool(fields.boolean("oss_opt_in"))
        clean["invoice_number_format"] = (
            check_number_format(fields, "invoice_number_format") or "INV-{year}-{seq:06d}"
        )
        clean["credit_note_number_format"] = (
            check_number_format(fields, "credit_note_number_format") or "CN-{year}-{seq:06d}"
        )
        for key in ("eu_b2c_sales_outside_current_year", "eu_b2c_sales_outside_previous_year"):
            value = fields.decimal(key, allow_negative=False, max_places=2)
            clean[key] = value if value is not None else 0
        registered = clean["vat_status"] in ("registered", "oss")
        if registered and clean["country"] and not clean["vat_number"] and fields.has("country"):
            fields.add(
                "vat_number",
                "required",
                "A VAT-registered shop needs its VAT number (or choose the small-business scheme).",
            )
        fields.done()
        for key in ("eu_b2c_sales_outside_current_year", "eu_b2c_sales_outside_previous_year"):
            clean[key] = Decimal(clean[key])
        return clean
