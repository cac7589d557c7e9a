"""The store tests use the same real-database fixtures as the service tests."""

from tests.services.conftest import SHOP, clock, db_path, shop, svc

__all__ = ["SHOP", "clock", "db_path", "shop", "svc"]
