"""A server shop's logo, kept in the database (shop_logos) as the upload check re-encoded it:
PNG or JPEG bytes, one per shop. The PDFs of a server shop use it (services/documents.py);
a server never reads a logo from a file path a tenant could name."""

from __future__ import annotations

from dataclasses import dataclass

from invoicer.domain.errors import NotFound, ValidationError
from invoicer.services.base import Service
from invoicer.store.accounts_schema import ShopLogo
from invoicer.store.tenancy import SHOP_KEY

CONTENT_TYPES = ("image/png", "image/jpeg")


@dataclass(frozen=True, slots=True)
class StoredLogo:
    content_type: str
    data: bytes


class ShopLogoService(Service):
    def get(self) -> StoredLogo | None:
        with self._read() as session:
            shop_id = session.info.get(SHOP_KEY)
            row = session.get(ShopLogo, shop_id) if shop_id is not None else None
            return StoredLogo(row.content_type, row.data) if row is not None else None

    def save(self, content_type: str, data: bytes) -> StoredLogo:
        """Store checked bytes (invoicer.server.uploads.check_logo makes them) as the logo."""
        if content_type not in CONTENT_TYPES or not data:
            raise ValidationError.single("logo", "invalid", "A logo is stored as PNG or JPEG.")
        with self._write() as session:
            shop_id = session.info[SHOP_KEY]
            row = session.get(ShopLogo, shop_id)
            if row is None:
                row = ShopLogo(shop_id=shop_id)
                session.add(row)
            row.content_type = content_type
            row.data = data
            row.updated_at = self.now()
        return StoredLogo(content_type, data)

    def delete(self) -> None:
        with self._write() as session:
            row = session.get(ShopLogo, session.info[SHOP_KEY])
            if row is None:
                raise NotFound("The shop has no logo.")
            session.delete(row)
