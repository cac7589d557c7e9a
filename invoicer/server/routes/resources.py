"""The shop's resources, in the order the OpenAPI lists them."""

from __future__ import annotations

from invoicer.server.routes import catalog, reports, shop

MODULES = (shop, catalog, reports)
