"""The partner flow against a Lean API (the local sandbox in the demo):
register a worker, approve them, receive the customer.active webhook, pay a
gig and a bonus, receive the completion webhooks, list what was paid.

Usage: python partner_flow.py BASE_URL API_KEY
Webhooks arrive on a receiver this script starts on a loopback port and
registers with the sandbox.
"""

from __future__ import annotations

import json
import queue
import sys
import time
import urllib.request
import uuid
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread

import lean_sdk
from lean_sdk import webhooks


def start_receiver(verifier: webhooks.WebhookVerifier, events: "queue.Queue[lean_sdk.WebhookEvent]") -> str:
    """Receives webhooks, verifies each raw body, queues the events."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            try:
                events.put(verifier.construct_event(body, self.headers.get(webhooks.SIGNATURE_HEADER)))
                self.send_response(204)
            except lean_sdk.WebhookSignatureError:
                self.send_response(400)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/webhooks"


def wait_for(events: "queue.Queue[lean_sdk.WebhookEvent]", name: str) -> lean_sdk.WebhookEvent:
    deadline = time.monotonic() + 30
    while True:
        event = events.get(timeout=max(0.1, deadline - time.monotonic()))
        if event.event == name:
            print(f"  webhook {event.event} verified")
            return event


def main(base_url: str, api_key: str) -> None:
    client = lean_sdk.LeanClient(api_key, base_url=base_url + "/api")
    events: "queue.Queue[lean_sdk.WebhookEvent]" = queue.Queue()
    receiver = start_receiver(webhooks.WebhookVerifier(api_key), events)
    register = urllib.request.Request(
        base_url + "/_sandbox/webhooks", data=json.dumps({"url": receiver}).encode(),
        headers={"content-type": "application/json"}, method="POST",
    )
    urllib.request.urlopen(register, timeout=10).close()

    run = uuid.uuid4().hex[:8]
    uid = f"py_demo_{run}"
    customer = client.create_customer(
        partner_user_id=uid, first_name="Jane", last_name="Doe", birthday="1980-12-31",
        phone_number="408" + str(5000000 + int(run, 16) % 4999999), email=f"{uid}@example.com",
        street="700 Treehouse Drive", city="San Jose", state="CA", postal_code="95101",
        registration_date="2020-01-01",
    )
    print(f"customer {customer.partner_user_id}: {customer.status}")
    print(f"application: {client.submit_application(uid).status}")
    wait_for(events, "customer.active")

    gig = client.create_gig(
        partner_user_id=uid, gig_id=f"gig_{run}", total_amount=Decimal("15.00"), tips="3.00",
        expenses="2.00", description="Gig Payout", start_time="2021-03-01T21:04:04",
        end_time="2021-03-01T21:31:05",
    )
    print(f"gig {gig.gig_id}: {gig.total_amount} {gig.status}")
    bonus = client.create_special_payment(
        partner_user_id=uid, amount=Decimal("4.56"), type="bonus", description="Weekend bonus",
        idempotency_key=f"bonus_{run}",
    )
    print(f"special payment {bonus.id}: {bonus.amount} {bonus.status}")
    wait_for(events, "gig.completed")
    wait_for(events, "specialpayment.completed")

    paid = [g for g in client.list_gigs() if g.partner_user_id == uid]
    bonuses = [p for p in client.list_special_payments() if p.partner_user_id == uid]
    print(f"paid: {len(paid)} gig(s), {len(bonuses)} special payment(s)")
    for g in paid:
        print(f"  gig {g.gig_id}: {g.total_amount} {g.status}")
    for p in bonuses:
        print(f"  special payment {p.id}: {p.amount} {p.status}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
