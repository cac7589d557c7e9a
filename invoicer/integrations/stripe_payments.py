"""Card payments through Stripe Checkout, with the official `stripe` library.

The key comes from the keyring (never from settings or the database); the API base is a
setting so tests and staging can point elsewhere; the library's telemetry is switched off.
Stripe's errors become messages in the merchant's terms.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from invoicer.domain.errors import InvoicerError

T = TypeVar("T")


class StripeProblem(InvoicerError):
    """Stripe could not do what was asked (the message says why, never the key)."""


@dataclass(frozen=True, slots=True)
class CheckoutSession:
    id: str
    url: str | None
    status: str | None  # open | complete | expired
    payment_status: str | None  # paid | unpaid | no_payment_required
    amount_total: int | None
    currency: str | None
    payment_intent: str | None
    fee_minor: int | None


def load() -> None:
    """Import Stripe's library now, on the calling thread (see services/payments_stripe.py)."""
    import stripe

    stripe.StripeClient  # noqa: B018 - the package imports its client lazily, on first use


def client(api_key: str, api_base: str) -> Any:
    import stripe

    stripe.enable_telemetry = False  # no telemetry file, no usage data sent
    return stripe.StripeClient(api_key, base_addresses={"api": api_base}, max_network_retries=1)


@contextmanager
def _errors() -> Iterator[None]:
    import stripe

    try:
        yield
    except stripe.AuthenticationError:
        raise StripeProblem(
            "Stripe refused the secret key; set a valid one with "
            "`invoicer secrets set stripe_secret_key`."
        ) from None
    except stripe.RateLimitError:
        raise StripeProblem("Stripe is rate limiting requests; try again in a minute.") from None
    except stripe.InvalidRequestError as exc:
        raise StripeProblem(
            f"Stripe refused the request: {exc.user_message or _message(exc)}"
        ) from None
    except stripe.APIConnectionError:
        raise StripeProblem(
            "Could not reach Stripe; check the internet connection or the stripe_api_base setting."
        ) from None
    except stripe.StripeError as exc:
        raise StripeProblem(f"Stripe reported an error: {_message(exc)}") from None


def _message(exc: Any) -> str:
    error = getattr(exc, "error", None)
    return str(getattr(error, "message", None) or "unknown error")


def _session(obj: Any) -> CheckoutSession:
    data: dict[str, Any] = obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)
    intent = data.get("payment_intent")
    intent_id = intent if isinstance(intent, str) else (intent or {}).get("id")
    fee = None
    if isinstance(intent, dict):  # expanded: the charge's balance transaction has the fee
        charge = intent.get("latest_charge")
        balance = charge.get("balance_transaction") if isinstance(charge, dict) else None
        if isinstance(balance, dict):
            fee = balance.get("fee")
    return CheckoutSession(
        id=data["id"],
        url=data.get("url"),
        status=data.get("status"),
        payment_status=data.get("payment_status"),
        amount_total=data.get("amount_total"),
        currency=data.get("currency"),
        payment_intent=intent_id,
        fee_minor=fee,
    )


def create_checkout_session(
    stripe_client: Any,
    *,
    amount_minor: int,
    currency: str,
    invoice_number: str,
    description: str,
    success_url: str,
    cancel_url: str,
    idempotency_key: str,
    metadata: dict[str, str] | None = None,
) -> CheckoutSession:
    """A Checkout Session for one amount. `metadata` (with invoice_number) goes on the
    session and its payment intent, so either webhook names what was paid."""
    tags = {"invoice_number": invoice_number, **(metadata or {})}
    params = {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": currency.lower(),
                    "unit_amount": amount_minor,
                    "product_data": {"name": description},
                },
            }
        ],
        "metadata": tags,
        "payment_intent_data": {"metadata": tags},
        "client_reference_id": invoice_number,
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    with _errors():
        session = stripe_client.v1.checkout.sessions.create(
            params=params, options={"idempotency_key": idempotency_key}
        )
    return _session(session)


def retrieve_checkout_session(stripe_client: Any, session_id: str) -> CheckoutSession:
    with _errors():
        session = stripe_client.v1.checkout.sessions.retrieve(
            session_id, params={"expand": ["payment_intent.latest_charge.balance_transaction"]}
        )
    return _session(session)


def verify_webhook(
    payload: bytes, signature_header: str, secret: str, tolerance_seconds: int = 300
) -> dict[str, Any]:
    """The event of a webhook call, once its Stripe-Signature header is verified."""
    import stripe

    try:
        event = stripe.Webhook.construct_event(
            payload, signature_header, secret, tolerance=tolerance_seconds
        )
    except stripe.SignatureVerificationError:
        raise StripeProblem(
            "The webhook's signature does not verify (wrong secret, altered body, or too old)."
        ) from None
    except ValueError:
        raise StripeProblem("The webhook body is not valid JSON.") from None
    result: dict[str, Any] = event.to_dict()
    return result
