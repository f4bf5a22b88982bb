"""The README's webhook recipes for Flask, FastAPI and Django, each driven
by that framework's own test client with genuine, tampered and unsigned
requests."""

from __future__ import annotations

import sys
import types
from typing import Any, Dict

import pytest

import lean_sdk
from lean_sdk import webhooks

from _readme import recipes

SECRET = "whsec_test"
BODY = b'{"event":"gig.completed","data":{"gigId":"g1","totalAmount":"15.00","status":"SUCCESS"}}'


def load(name: str, monkeypatch: pytest.MonkeyPatch) -> Dict[str, Any]:
    monkeypatch.setenv("LEAN_WEBHOOK_SECRET", SECRET)
    namespace: Dict[str, Any] = {"__name__": f"recipe_{name}"}
    exec(compile(recipes()[name], f"README.md ({name})", "exec"), namespace)
    return namespace


def check(received: list, post: Any) -> None:
    signature = webhooks.sign(BODY, SECRET)
    assert post(BODY, {"x-lean-signature": signature}) == 204
    assert post(BODY.replace(b"15.00", b"99.00"), {"x-lean-signature": signature}) == 400
    assert post(BODY, {}) == 400
    assert len(received) == 1
    event = received[0]
    assert isinstance(event, lean_sdk.WebhookEvent) and event.event == "gig.completed"
    assert isinstance(event.data, lean_sdk.Gig) and str(event.data.total_amount) == "15.00"


def test_flask(monkeypatch: pytest.MonkeyPatch) -> None:
    recipe = load("flask", monkeypatch)
    client = recipe["app"].test_client()
    check(recipe["received"], lambda body, headers: client.post("/lean/webhooks", data=body, headers=headers).status_code)


def test_fastapi(monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    recipe = load("fastapi", monkeypatch)
    client = TestClient(recipe["app"])
    check(recipe["received"], lambda body, headers: client.post("/lean/webhooks", content=body, headers=headers).status_code)


def test_django(monkeypatch: pytest.MonkeyPatch) -> None:
    import django
    from django.conf import settings

    recipe = load("django", monkeypatch)
    from django.urls import path

    urls = types.ModuleType("recipe_django_urls")
    urls.urlpatterns = [path("lean/webhooks", recipe["lean_webhook"])]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "recipe_django_urls", urls)
    if not settings.configured:
        settings.configure(ROOT_URLCONF="recipe_django_urls", ALLOWED_HOSTS=["testserver"], SECRET_KEY="tests", DEBUG=False)
        django.setup()
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    check(
        recipe["received"],
        lambda body, headers: client.post(
            "/lean/webhooks", data=body, content_type="application/json",
            **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()},
        ).status_code,
    )


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
