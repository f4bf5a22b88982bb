"""Every webhook event type the sandbox can trigger (``POST /_sandbox/trigger``,
sandbox/README.md "Test your webhook handler"), delivered over real HTTP to a
Flask handler built on the package's verifiers, which must accept each one
and refuse a bad or missing signature."""

from __future__ import annotations

import json
import threading
import urllib.request
from typing import Any, Dict, Iterator, List

import pytest
from flask import Flask, request
from werkzeug.serving import make_server

import lean_sdk
from lean_sdk import webhooks
from lean_sdk.openbanking import webhooks as ob_webhooks

from conftest import API_KEY, OB_WEBHOOK_SECRET, Sandbox

PAYOUTS_EVENTS = [
    "customer.active", "customer.inactive", "gig.completed", "gig.failed",
    "specialpayment.completed", "specialpayment.failed",
]
OPEN_BANKING_EVENTS = [
    "results.ready", "entity.created", "payment.created", "payment.updated", "payment_intent.created",
    "payment_source.created", "payment_source.beneficiary.created", "entity.data.refresh.updated",
    "bank.availability.updated",
]


class Handler:
    """A Flask app on a loopback port: ``/payouts`` verifies ``x-lean-signature``
    with the API key, ``/openbanking`` verifies ``lean-signature`` with the
    open-banking webhook secret; both answer 400 to a refused signature."""

    def __init__(self) -> None:
        self.verified: List[Any] = []
        app = Flask(__name__)
        payouts = webhooks.WebhookVerifier(API_KEY)
        openbanking = ob_webhooks.WebhookVerifier(OB_WEBHOOK_SECRET)

        def receive(verifier: Any, header: str, accepted: int) -> Any:
            try:
                event = verifier.construct_event(request.get_data(), request.headers.get(header))
            except lean_sdk.WebhookSignatureError:
                return "", 400
            self.verified.append(event)
            return "", accepted

        # Each answers an accepted webhook as its API documents.
        app.add_url_rule("/payouts", "payouts", lambda: receive(payouts, "x-lean-signature", 204), methods=["POST"])
        app.add_url_rule("/openbanking", "openbanking", lambda: receive(openbanking, "lean-signature", 200), methods=["POST"])

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def handler() -> Iterator[Handler]:
    serving = Handler()
    yield serving
    serving.server.shutdown()


def trigger(sandbox: Sandbox, **body: Any) -> Dict[str, Any]:
    answer = urllib.request.Request(
        sandbox.url + "/_sandbox/trigger", data=json.dumps(body).encode(),
        headers={"content-type": "application/json"}, method="POST",
    )
    with urllib.request.urlopen(answer, timeout=30) as response:
        report: Dict[str, Any] = json.loads(response.read())
        return report


@pytest.mark.parametrize("event", PAYOUTS_EVENTS)
def test_payouts_events_are_verified_by_the_handler(sandbox: Sandbox, handler: Handler, event: str) -> None:
    before = len(handler.verified)
    report = trigger(sandbox, event=event, to=handler.url + "/payouts")
    assert report["attempts"] == [dict(report["attempts"][0], status=204, delivered=True)]
    verified = handler.verified[before:]
    assert [e.event for e in verified] == [event]
    assert verified[0].to_dict()["data"] == report["body"]["data"]


@pytest.mark.parametrize("event", OPEN_BANKING_EVENTS)
def test_open_banking_events_are_verified_by_the_handler(sandbox: Sandbox, handler: Handler, event: str) -> None:
    before = len(handler.verified)
    report = trigger(sandbox, event=event, to=handler.url + "/openbanking", replay=1)
    assert [(a["status"], a["delivered"]) for a in report["attempts"]] == [(200, True), (200, True)]
    verified = handler.verified[before:]
    assert [e.type for e in verified] == [event, event]
    # A replay is the same event: the handler de-duplicates on event_id.
    assert verified[0].event_id == verified[1].event_id == report["body"]["event_id"]


@pytest.mark.parametrize("refusal", [{"bad_signature": True}, {"unsigned": True}])
@pytest.mark.parametrize("event, path", [("gig.failed", "/payouts"), ("payment.updated", "/openbanking")])
def test_bad_and_missing_signatures_are_refused(
    sandbox: Sandbox, handler: Handler, event: str, path: str, refusal: Dict[str, bool]
) -> None:
    before = len(handler.verified)
    report = trigger(sandbox, event=event, to=handler.url + path, **refusal)
    attempt = report["attempts"][0]
    assert (attempt["status"], attempt["delivered"]) == (400, False)
    assert handler.verified[before:] == []
