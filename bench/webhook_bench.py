"""Webhook benchmark: `python bench/webhook_bench.py [--events 300]`.

Starts the real `invoicer serve` (a SQLite file, the Stripe webhook secret in the server-wide
INVOICER_SECRET_STRIPE_WEBHOOK_SECRET), signs up a shop and issues 2 × N invoices, then, one
request at a time on a keep-alive connection:

- floor: N payments through the plain API (`POST /v1/invoices/{id}/payments`);
- webhooks: N `payment_intent.succeeded` events, each signed with the official `stripe`
  library's code, naming the other N invoices (verified, kept by event id, booked);
- replays: the same N events again (each answers `duplicate`, books nothing).

Prints events per second, p50/p99 and the ratio of a webhook to the floor (this machine is
noisy: the ratio is the figure to compare), and checks every invoice was paid once. Not a
test.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from pathlib import Path

import httpx
import stripe
from server_bench import serving, set_up  # type: ignore[import-not-found]

SECRET = "whsec_bench_" + "b" * 32


def issue(api: httpx.Client, customer: str, count: int) -> list[tuple[str, str]]:
    made = []
    for index in range(count):
        draft = api.post("/v1/invoices", json={"customer_id": customer}).json()
        line = {"description": f"Loaf {index}", "quantity": "1", "unit_price": "10.00"}
        api.post(f"/v1/invoices/{draft['id']}/lines", json=line).raise_for_status()
        issued = api.post(f"/v1/invoices/{draft['id']}/issue").json()
        made.append((issued["id"], issued["number"]))
    return made


def timed(calls: list[tuple[str, dict[str, str], bytes]], client: httpx.Client) -> list[float]:
    seconds = []
    for path, headers, body in calls:
        started = time.perf_counter()
        answer = client.post(path, headers=headers, content=body)
        seconds.append(time.perf_counter() - started)
        answer.raise_for_status()
    return seconds


def show(name: str, seconds: list[float], floor: float | None = None) -> float:
    total = sum(seconds)
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    ratio = f", {statistics.median(seconds) / floor:.2f} × the floor" if floor else ""
    print(
        f"{name:<9} {len(seconds) / total:7.1f}/s  p50 {statistics.median(seconds) * 1000:6.1f} ms"
        f"  p99 {p99 * 1000:6.1f} ms{ratio}"
    )
    return statistics.median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=300)
    args = parser.parse_args()
    n = args.events
    print(f"{platform.node()} · {platform.processor() or platform.machine()} · N={n}")
    with tempfile.TemporaryDirectory() as folder:
        database = str(Path(folder) / "server.sqlite")
        extra = {"INVOICER_SECRET_STRIPE_WEBHOOK_SECRET": SECRET}
        with serving(database, 1, Path(folder) / "serve.log", extra) as (url, _pid):
            headers, customer = set_up(url)
            with httpx.Client(base_url=url, headers=headers, timeout=60) as api:
                invoices = issue(api, customer, 2 * n)
                shop = api.get("/v1/me").json()["shop_id"]
            plain, hooked = invoices[:n], invoices[n:]
            floor_calls = [
                (
                    f"/v1/invoices/{invoice_id}/payments",
                    {**headers, "Content-Type": "application/json"},
                    b'{"amount": "12.10", "method": "card"}',
                )
                for invoice_id, _ in plain
            ]
            hook_calls = []
            for index, (_, number) in enumerate(hooked):
                event = {
                    "id": f"evt_bench_{index}",
                    "type": "payment_intent.succeeded",
                    "created": int(time.time()),
                    "data": {
                        "object": {
                            "id": f"pi_bench_{index}",
                            "object": "payment_intent",
                            "amount_received": 1210,
                            "currency": "eur",
                            "metadata": {"invoice_number": number},
                        }
                    },
                }
                payload = json.dumps(event)
                signature = stripe.WebhookSignature.generate_signature_header(payload, SECRET)
                hook_calls.append(
                    (
                        f"/v1/webhooks/stripe?shop={shop}",
                        {"Stripe-Signature": signature, "Content-Type": "application/json"},
                        payload.encode(),
                    )
                )
            with httpx.Client(base_url=url, timeout=60) as client:
                floor = show("floor", timed(floor_calls, client))
                show("webhooks", timed(hook_calls, client), floor)
                show("replays", timed(hook_calls, client), floor)
            with httpx.Client(base_url=url, headers=headers, timeout=60) as api:
                statuses = {api.get(f"/v1/invoices/{i}").json()["status"] for i, _ in hooked}
                counts = {
                    len(api.get(f"/v1/invoices/{i}/payments").json()["data"]) for i, _ in hooked
                }
            print(f"check: every webhook invoice {statuses}, payments per invoice {counts}")


if __name__ == "__main__":
    main()
