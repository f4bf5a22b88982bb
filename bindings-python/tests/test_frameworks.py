"""The README's webhook recipes for Flask, FastAPI and Django, each driven
by that framework's own test client with genuine, tampered and unsigned
requests."""

from __future__ import annotations

from typing import Any, Dict

import pytest

import lean_sdk
from lean_sdk import webhooks

from _readme import load_recipe, poster

SECRET = "whsec_test"
BODY = b'{"event":"gig.completed","data":{"gigId":"g1","totalAmount":"15.00","status":"SUCCESS"}}'


def load(name: str, monkeypatch: pytest.MonkeyPatch) -> Dict[str, Any]:
    return load_recipe(name, monkeypatch, LEAN_WEBHOOK_SECRET=SECRET)


@pytest.mark.parametrize("framework", ["flask", "fastapi", "django"])
def test_recipe(framework: str, monkeypatch: pytest.MonkeyPatch) -> None:
    recipe = load(framework, monkeypatch)
    post = poster(framework, recipe, "/lean/webhooks", "lean_webhook", monkeypatch)
    signature = webhooks.sign(BODY, SECRET)
    assert post(BODY, {"x-lean-signature": signature}) == 204
    assert post(BODY.replace(b"15.00", b"99.00"), {"x-lean-signature": signature}) == 400
    assert post(BODY, {}) == 400
    assert len(recipe["received"]) == 1
    event = recipe["received"][0]
    assert isinstance(event, lean_sdk.WebhookEvent) and event.event == "gig.completed"
    assert isinstance(event.data, lean_sdk.Gig) and str(event.data.total_amount) == "15.00"


def test_recipes_answer_413_past_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Flask and FastAPI, through their test clients: an unsigned body over
    1 MiB is refused for its size, without being verified."""
    from fastapi.testclient import TestClient

    big = b"x" * (webhooks.MAX_BODY_BYTES + 1)
    flask = load("flask", monkeypatch)["app"].test_client()
    assert flask.post("/lean/webhooks", data=big).status_code == 413
    fastapi = TestClient(load("fastapi", monkeypatch)["app"])
    assert fastapi.post("/lean/webhooks", content=big).status_code == 413
    assert fastapi.post("/lean/webhooks", content=iter([big[:1000], big[1000:]])).status_code == 413
