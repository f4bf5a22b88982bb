"""The open-banking flow against a Lean API (the local sandbox in the
demo): a customer (created twice: the same one), a bank connected, its
accounts, a balance that arrives later through the results.ready webhook,
a payment destination and intent, an OAuth client, and, when the mTLS
listener is given, a call that presents the client certificate.

Usage: python openbanking_flow.py BASE_URL [MTLS_URL TLS_DIR]
The sandbox's documented test credentials are used (sandbox-app-token,
sandbox-client-id/-secret, sandbox-webhook-secret); webhooks arrive on a
receiver this script starts on a loopback port and registers.
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
from pathlib import Path
from threading import Thread
from typing import Any, Dict

import lean_sdk
from lean_sdk import openbanking
from lean_sdk.openbanking import webhooks


def start_receiver(verifier: webhooks.WebhookVerifier, events: "queue.Queue[openbanking.WebhookEvent]") -> str:
    """Verifies each raw body, answers 200 to every genuine webhook (Lean
    retries anything else), queues each event once (by event_id)."""
    seen = set()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            try:
                event = verifier.construct_event(body, self.headers.get(webhooks.SIGNATURE_HEADER))
            except lean_sdk.WebhookSignatureError:
                self.send_response(400)
            else:
                if event.event_id not in seen:
                    seen.add(event.event_id)
                    events.put(event)
                self.send_response(webhooks.ACKNOWLEDGE_STATUS)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/openbanking"


def admin(base_url: str, path: str, body: Dict[str, Any]) -> Any:
    """The sandbox's admin routes (what the Link SDK does in reality)."""
    request = urllib.request.Request(
        base_url + path, data=json.dumps(body).encode(), headers={"content-type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read() or b"null")


def wait_for(events: "queue.Queue[openbanking.WebhookEvent]", kind: str) -> openbanking.WebhookEvent:
    deadline = time.monotonic() + 30
    while True:
        event = events.get(timeout=max(0.1, deadline - time.monotonic()))
        if event.type == kind:
            print(f"  webhook {event.type} verified (event_id {event.event_id})")
            return event


def main(base_url: str, mtls_url: str = "", tls_dir: str = "") -> None:
    events: "queue.Queue[openbanking.WebhookEvent]" = queue.Queue()
    receiver = start_receiver(webhooks.WebhookVerifier("sandbox-webhook-secret"), events)
    admin(base_url, "/_sandbox/webhooks", {"url": receiver, "product": "openbanking"})
    client = openbanking.OpenBankingClient("sandbox-app-token", base_url=base_url)

    app_user_id = f"py-demo-{uuid.uuid4().hex[:8]}"
    customer = client.create_customer(app_user_id=app_user_id)
    again = client.create_customer(app_user_id=app_user_id)
    print(f"customer {customer.customer_id} ({app_user_id}); created again: same = {again == customer}")
    admin(base_url, f"/_sandbox/openbanking/customers/{customer.customer_id}/entities", {})
    entity = wait_for(events, "entity.created").payload
    assert isinstance(entity, openbanking.Entity)
    accounts = client.get_accounts(entity.id).payload["accounts"]
    print(f"entity {entity.id} at {entity.bank_identifier}: {len(accounts)} account(s)")

    account_id = accounts[0]["account_id"]
    pending = client.get_balance(entity.id, account_id, async_=True)
    print(f"balance asked asynchronously: {pending.status}, results_id {pending.results_id}")
    ready = wait_for(events, "results.ready").payload
    assert isinstance(ready, openbanking.ResultsReady)
    balance = client.get_data_results(ready.id).payload
    print(f"balance: {balance['balance']} {balance['currency_code']} ({type(balance['balance']).__name__})")
    transactions = client.get_transactions(entity.id, account_id).payload
    print(f"transactions: {len(transactions.get('transactions', []))}")

    destination = client.create_payment_destination(
        display_name="Acme Rent", name="Acme LLC", bank_identifier="ENBD_UAE", iban="AE070331234567890123456",
    )
    intent = client.create_payment_intent(
        customer_id=customer.customer_id, amount=Decimal("100.50"), currency="AED", payment_destination_id=destination.id,
    )
    print(f"payment intent {intent.payment_intent_id}: {intent.amount} {intent.currency} to {destination.display_name}")

    oauth = openbanking.OpenBankingClient(
        client_id="sandbox-client-id", client_secret="sandbox-client-secret", base_url=base_url, token_base_url=base_url,
    )
    print(f"OAuth client: {len(oauth.list_customers(page_size=100))} customer(s) on the first page")

    if mtls_url:
        tls = Path(tls_dir)
        secure = openbanking.OpenBankingClient(
            "sandbox-app-token", base_url=mtls_url, cert=(tls / "client.pem", tls / "client.key"), ca=tls / "ca.pem",
        )
        print(f"mTLS: {secure.get_customer(customer.customer_id).app_user_id} read over {mtls_url}")
        try:
            openbanking.OpenBankingClient("sandbox-app-token", base_url=mtls_url, ca=tls / "ca.pem", max_retries=0).list_customers()
        except lean_sdk.TransportError as error:
            print(f"mTLS without a client certificate: refused ({error.code})")


if __name__ == "__main__":
    main(*sys.argv[1:4])
