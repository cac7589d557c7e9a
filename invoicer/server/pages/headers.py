"""The headers of every checkout page: a Content-Security-Policy that allows no script at all,
styles and images from this server only, forms posted here or to Stripe's hosted checkout,
and no framing; no referrer (the page's address is the buyer's key to it); never cached."""

from __future__ import annotations

from urllib.parse import urlsplit

STRIPE_API = "https://api.stripe.com"
STRIPE_CHECKOUT = "https://checkout.stripe.com"


def stripe_checkout_origin(api_base: str) -> str:
    """Where the card form's redirect lands: Stripe's hosted checkout for Stripe's own API,
    else the API base's origin (a stand-in or a staging proxy serves both).

    >>> stripe_checkout_origin("https://api.stripe.com"), stripe_checkout_origin("http://127.0.0.1:8123/")
    ('https://checkout.stripe.com', 'http://127.0.0.1:8123')
    """
    parts = urlsplit(api_base.strip())
    if not parts.scheme or not parts.netloc:
        return STRIPE_CHECKOUT
    origin = f"{parts.scheme}://{parts.netloc}"
    return STRIPE_CHECKOUT if origin == STRIPE_API else origin


def page_headers(form_targets: tuple[str, ...] = ()) -> dict[str, str]:
    # Chromium applies form-action to the redirect that follows a POST, so the card form's
    # 303 to Stripe is allowed only if Stripe's origin is listed here.
    form_action = " ".join(("'self'", *form_targets))
    return {
        "Content-Security-Policy": (
            "default-src 'none'; style-src 'self'; img-src 'self' data:; "
            f"form-action {form_action}; frame-ancestors 'none'; base-uri 'none'"
        ),
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Cache-Control": "no-store",
    }
