"""The README's open-banking webhook recipes for Flask, FastAPI and
Django, each driven by that framework's test client: a genuine webhook is
answered 200 (again 200 when Lean retries it, but handled once), a
tampered or unsigned one 400."""

from __future__ import annotations

import pytest

from lean_sdk import openbanking
from lean_sdk.openbanking import webhooks

from _readme import load_recipe, poster

SECRET = "ob_whsec_test"
BODY = b'{"type":"results.ready","payload":{"id":"r-1"},"message":"ready","timestamp":"2026-01-01T00:00:00Z","event_id":"ev-1"}'
PATH = "/lean/open-banking/webhooks"


@pytest.mark.parametrize("framework", ["flask", "fastapi", "django"])
def test_recipe(framework: str, monkeypatch: pytest.MonkeyPatch) -> None:
    recipe = load_recipe(f"ob_{framework}", monkeypatch, LEAN_OB_WEBHOOK_SECRET=SECRET)
    post = poster(framework, recipe, PATH, "lean_open_banking_webhook", monkeypatch)
    signature = webhooks.sign(BODY, SECRET)
    assert post(BODY, {"lean-signature": signature}) == webhooks.ACKNOWLEDGE_STATUS == 200
    assert post(BODY, {"lean-signature": signature}) == 200  # Lean's retry: acknowledged
    assert post(BODY.replace(b"r-1", b"r-2"), {"lean-signature": signature}) == 400
    assert post(BODY, {}) == 400
    assert len(recipe["received"]) == 1
    event = recipe["received"][0]
    assert isinstance(event, openbanking.WebhookEvent) and event.type == "results.ready" and event.event_id == "ev-1"
    assert isinstance(event.payload, openbanking.ResultsReady) and event.payload.id == "r-1"
