"""A Stripe stand-in on 127.0.0.1 speaking the part of Stripe's API Invoicer uses:
POST /v1/checkout/sessions (form-encoded, idempotency keys) and GET /v1/checkout/sessions/{id}
(with expand), errors in Stripe's JSON shape and status codes.

With `hosted_page=True` a session's URL is the stand-in's own page, /c/pay/{id}, whose Pay
button pays it, delivers the signed events Stripe sends (checkout.session.completed, then
payment_intent.succeeded, signed by the official library's own signing code) to each
registered webhook, and sends the buyer on to the session's success_url."""

from __future__ import annotations

import html
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

VALID_KEY = "sk_test_invoicer_fake_123"


class StripeStandIn:
    def __init__(self) -> None:
        self.sessions: dict[str, dict[str, Any]] = {}
        self.idempotent: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.rate_limited = False
        self.page_base = "https://checkout.stripe.test"
        self.webhooks: list[tuple[str, str]] = []  # (url, signing secret)
        self.deliveries: list[tuple[str, int]] = []  # (event type, HTTP status answered)
        self.events = 0

    def event(self, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        self.events += 1
        return {
            "id": f"evt_test_{self.events:04d}",
            "object": "event",
            "type": kind,
            "created": int(time.time()),
            "livemode": False,
            "data": {"object": obj},
        }

    def deliver(self, event: dict[str, Any]) -> None:
        """POST the event to every webhook, signed as Stripe signs it."""
        import stripe

        payload = json.dumps(event)
        for url, secret in self.webhooks:
            header = stripe.WebhookSignature.generate_signature_header(payload, secret)
            request = urllib.request.Request(
                url,
                data=payload.encode(),
                headers={"Content-Type": "application/json", "Stripe-Signature": header},
                method="POST",
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    status = answer.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            self.deliveries.append((event["type"], status))

    def pay_and_notify(self, session_id: str) -> None:
        self.pay(session_id)
        session = self.sessions[session_id]
        shown = {k: v for k, v in session.items() if not k.startswith("_")}
        self.deliver(self.event("checkout.session.completed", shown))
        intent = {
            "id": session["payment_intent"],
            "object": "payment_intent",
            "status": "succeeded",
            "amount": session["amount_total"],
            "amount_received": session["amount_total"],
            "currency": session["currency"],
            "metadata": session["metadata"],
        }
        self.deliver(self.event("payment_intent.succeeded", intent))

    def pay(self, session_id: str, fee: int = 150) -> None:
        session = self.sessions[session_id]
        session.update(
            status="complete", payment_status="paid", payment_intent=f"pi_{session_id[3:]}"
        )
        session["_fee"] = fee

    def expire(self, session_id: str) -> None:
        self.sessions[session_id]["status"] = "expired"

    def handle(self, method: str, path: str, headers: Any, body: str) -> tuple[int, dict[str, Any]]:
        form = dict(urllib.parse.parse_qsl(body))
        self.requests.append((method, path, form))
        if headers.get("Authorization") != f"Bearer {VALID_KEY}":
            return 401, _error("invalid_request_error", "Invalid API Key provided: sk_***")
        if self.rate_limited:
            return 429, _error("rate_limit_error", "Too many requests")
        if method == "POST" and path == "/v1/checkout/sessions":
            key = headers.get("Idempotency-Key")
            if key in self.idempotent:
                return 200, self.idempotent[key]
            amount = int(form["line_items[0][price_data][unit_amount]"])
            if amount < 50:
                return 400, _error(
                    "invalid_request_error",
                    "The Checkout Session's total amount due must add up to at least €0.50 eur",
                    code="amount_too_small",
                )
            number = len(self.sessions) + 1
            session = {
                "id": f"cs_test_{number:04d}",
                "object": "checkout.session",
                "url": f"{self.page_base}/c/pay/cs_test_{number:04d}",
                "status": "open",
                "payment_status": "unpaid",
                "amount_total": amount,
                "currency": form["line_items[0][price_data][currency]"],
                "payment_intent": None,
                "metadata": {
                    key[len("metadata[") : -1]: value
                    for key, value in form.items()
                    if key.startswith("metadata[")
                },
                "success_url": form.get("success_url"),
                "cancel_url": form.get("cancel_url"),
            }
            self.sessions[session["id"]] = session
            if key:
                self.idempotent[key] = session
            return 200, session
        if method == "GET" and path.startswith("/v1/checkout/sessions/"):
            session = self.sessions.get(path.rsplit("/", 1)[1])
            if session is None:
                return 404, _error("invalid_request_error", "No such checkout.session")
            reply = {k: v for k, v in session.items() if not k.startswith("_")}
            if (
                reply["payment_intent"]
                and "payment_intent.latest_charge.balance_transaction" in body + path
            ):
                reply["payment_intent"] = {
                    "id": reply["payment_intent"],
                    "object": "payment_intent",
                    "latest_charge": {
                        "id": "ch_1",
                        "object": "charge",
                        "balance_transaction": {
                            "id": "txn_1",
                            "object": "balance_transaction",
                            "fee": session["_fee"],
                        },
                    },
                }
            return 200, reply
        return 404, _error("invalid_request_error", f"Unrecognized request URL ({method} {path})")


def _error(kind: str, message: str, code: str | None = None) -> dict[str, Any]:
    error = {"type": kind, "message": message}
    if code:
        error["code"] = code
    return {"error": error}


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Stripe test checkout</title></head><body><main>
<h1>Pay {amount} {currency}</h1><p>{name}</p>
<form method="post"><button type="submit" id="pay">Pay</button></form>
</main></body></html>"""


def _page(stand_in: StripeStandIn, handler: BaseHTTPRequestHandler, method: str) -> None:
    session = stand_in.sessions.get(handler.path.split("?")[0].rsplit("/", 1)[1])
    if session is None:
        handler.send_error(404)
        return
    if method == "POST":
        if session["payment_status"] != "paid":
            stand_in.pay_and_notify(session["id"])
        handler.send_response(303)
        handler.send_header("Location", str(session["success_url"]))
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        return
    body = PAGE.format(
        amount=f"{session['amount_total'] / 100:.2f}",  # display only, never booked
        currency=html.escape(str(session["currency"]).upper()),
        name=html.escape(str(session["metadata"].get("invoice_number", ""))),
    ).encode()
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@contextmanager
def running(*, hosted_page: bool = False) -> Iterator[tuple[str, StripeStandIn]]:
    stand_in = StripeStandIn()

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, method: str) -> None:
            if self.path.startswith("/c/pay/"):
                if method == "POST":
                    length = int(self.headers.get("Content-Length", "0") or 0)
                    self.rfile.read(length)
                _page(stand_in, self, method)
                return
            length = int(self.headers.get("Content-Length", "0") or 0)
            body = self.rfile.read(length).decode() if length else ""
            url = urllib.parse.urlsplit(self.path)
            status, payload = stand_in.handle(
                method, url.path, self.headers, body + urllib.parse.unquote(url.query)
            )
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", "req_test")
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            self._reply("POST")

        def do_GET(self) -> None:
            self._reply("GET")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if hosted_page:
        stand_in.page_base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", stand_in
    finally:
        server.shutdown()
        server.server_close()
