"""A Stripe stand-in on 127.0.0.1 speaking the part of Stripe's API Invoicer uses:
POST /v1/checkout/sessions (form-encoded, idempotency keys) and GET /v1/checkout/sessions/{id}
(with expand), errors in Stripe's JSON shape and status codes."""

from __future__ import annotations

import json
import threading
import urllib.parse
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
                "url": f"https://checkout.stripe.test/c/pay/cs_test_{number:04d}",
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


@contextmanager
def running() -> Iterator[tuple[str, StripeStandIn]]:
    stand_in = StripeStandIn()

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, method: str) -> None:
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
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", stand_in
    finally:
        server.shutdown()
        server.server_close()
