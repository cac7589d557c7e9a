"""The use cases written as functions of the services (`check_customer(svc, ...)`), reachable
from the one Services object as well: `svc.vies.check_customer(customer_id)`.

Each area imports its module when it is first used (Services builds it on first access), so
`invoicer --help` still imports no PDF, SOAP, Stripe or web3 code. The bound functions keep
their signatures (ParamSpec), so a change to a use case shows up here to the type checker.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

if TYPE_CHECKING:
    from invoicer.services.app import Services

P = ParamSpec("P")
R = TypeVar("R")


def _bind(svc: Services, func: Callable[Concatenate[Services, P], R]) -> Callable[P, R]:
    return functools.partial(func, svc)


class Vies:
    def __init__(self, svc: Services) -> None:
        from invoicer.services import vies_checks

        self.check_customer = _bind(svc, vies_checks.check_customer)
        self.check_number = functools.partial(vies_checks.check_number, svc=svc)


class Documents:
    def __init__(self, svc: Services) -> None:
        from invoicer.services import documents

        self.document = _bind(svc, documents.document)
        self.render_pdf = _bind(svc, documents.render_pdf)
        self.statement = _bind(svc, documents.statement)
        self.render_statement = _bind(svc, documents.render_statement)
        self.export = _bind(svc, documents.export)
        self.check_batch_output = _bind(svc, documents.check_batch_output)
        self.render_batch = _bind(svc, documents.render_batch)
        from invoicer.services import quote_documents

        self.quote_document = _bind(svc, quote_documents.quote_document)
        self.render_quote_pdf = _bind(svc, quote_documents.render_quote_pdf)


class PaymentRequests:
    def __init__(self, svc: Services) -> None:
        from invoicer.services import payment_requests

        self.for_invoice = _bind(svc, payment_requests.for_invoice)
        self.open_requests = _bind(svc, payment_requests.open_requests)


class Stripe:
    def __init__(self, svc: Services) -> None:
        from invoicer.services import payments_stripe

        self.create_link = _bind(svc, payments_stripe.create_link)
        self.refresh = _bind(svc, payments_stripe.refresh)


class Crypto:
    def __init__(self, svc: Services) -> None:
        from invoicer.services import payments_crypto, payments_watch

        self.settings = _bind(svc, payments_crypto.require_crypto_settings)
        self.request_payment = _bind(svc, payments_crypto.request_payment)
        self.check_transaction = _bind(svc, payments_crypto.check_transaction)
        self.scan = _bind(svc, payments_watch.scan)


class Bank:
    def __init__(self, svc: Services) -> None:
        from invoicer.services import payments_bank

        self.open_invoices = _bind(svc, payments_bank.open_invoices)
        self.import_statement = _bind(svc, payments_bank.import_statement)


class Transfer:
    def __init__(self, svc: Services) -> None:
        from invoicer.services import transfer

        self.import_csv = _bind(svc, transfer.import_csv)
        self.export_all = _bind(svc, transfer.export_all)
        self.backup = _bind(svc, transfer.backup)


class Mail:
    def __init__(self, svc: Services) -> None:
        from invoicer.services.mail import quote_sending, reminders, sending, sent_log, templates

        self.send_invoice = _bind(svc, sending.send_invoice)
        self.send_quote = _bind(svc, quote_sending.send_quote)
        self.history = _bind(svc, sent_log.for_invoice)
        self.quote_history = _bind(svc, sent_log.for_quote)
        self.remind = _bind(svc, reminders.remind)
        self.template = _bind(svc, templates.get)
        self.templates = _bind(svc, templates.all_templates)
        self.save_template = _bind(svc, templates.save)


class Demo:
    def __init__(self, svc: Services) -> None:
        from invoicer.services import demo

        self.fill = _bind(svc, demo.fill_demo)
