"""The shop's resources, in the order the OpenAPI lists them."""

from __future__ import annotations

from invoicer.server.routes import (
    catalog,
    checkout,
    invoice_documents,
    invoice_mail,
    invoices,
    merchant,
    payments,
    quotes,
    recurring,
    reports,
    shop,
    shop_secrets,
    sync,
)

MODULES = (
    shop,
    shop_secrets,
    catalog,
    invoices,
    invoice_documents,
    invoice_mail,
    quotes,
    recurring,
    payments,
    checkout,
    reports,
    merchant,
    sync,
)
