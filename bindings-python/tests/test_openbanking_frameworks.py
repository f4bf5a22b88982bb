"""The README's open-banking webhook recipes for Flask, FastAPI and
Django, each driven by that framework's test client: a genuine webhook is
answered 200 (again 200 when Lean retries it, but handled once), a
tampered or unsigned one 400."""

from __future__ import annotations

import sys
import types
from typing import Any, Dict

import pytest

from lean_sdk import openbanking
from lean_sdk.openbanking import webhooks

from _readme import recipes

SECRET = "ob_whsec_test"
BODY = b'{"type":"results.ready","payload":{"id":"r-1"},"message":"ready","timestamp":"2026-01-01T00:00:00Z","event_id":"ev-1"}'
PATH = "/lean/open-banking/webhooks"


def load(name: str, monkeypatch: pytest.MonkeyPatch) -> Dict[str, Any]:
    monkeypatch.setenv("LEAN_OB_WEBHOOK_SECRET", SECRET)
    namespace: Dict[str, Any] = {"__name__": f"recipe_{name}"}
    exec(compile(recipes()[name], f"README.md ({name})", "exec"), namespace)
    return namespace


def check(received: list, post: Any) -> None:
    signature = webhooks.sign(BODY, SECRET)
    assert post(BODY, {"lean-signature": signature}) == webhooks.ACKNOWLEDGE_STATUS == 200
    assert post(BODY, {"lean-signature": signature}) == 200  # Lean's retry: acknowledged
    assert post(BODY.replace(b"r-1", b"r-2"), {"lean-signature": signature}) == 400
    assert post(BODY, {}) == 400
    assert len(received) == 1
    event = received[0]
    assert isinstance(event, openbanking.WebhookEvent) and event.type == "results.ready" and event.event_id == "ev-1"
    assert isinstance(event.payload, openbanking.ResultsReady) and event.payload.id == "r-1"


def test_flask(monkeypatch: pytest.MonkeyPatch) -> None:
    recipe = load("ob_flask", monkeypatch)
    client = recipe["app"].test_client()
    check(recipe["received"], lambda body, headers: client.post(PATH, data=body, headers=headers).status_code)


def test_fastapi(monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    recipe = load("ob_fastapi", monkeypatch)
    client = TestClient(recipe["app"])
    check(recipe["received"], lambda body, headers: client.post(PATH, content=body, headers=headers).status_code)


def test_django(monkeypatch: pytest.MonkeyPatch) -> None:
    import django
    from django.conf import settings

    recipe = load("ob_django", monkeypatch)
    from django.urls import clear_url_caches, path

    urls = types.ModuleType("recipe_django_urls")
    urls.urlpatterns = [path(PATH.lstrip("/"), recipe["lean_open_banking_webhook"])]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "recipe_django_urls", urls)
    clear_url_caches()
    if not settings.configured:
        settings.configure(ROOT_URLCONF="recipe_django_urls", ALLOWED_HOSTS=["testserver"], SECRET_KEY="tests", DEBUG=False)
        django.setup()
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    check(
        recipe["received"],
        lambda body, headers: client.post(
            PATH, data=body, content_type="application/json",
            **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()},
        ).status_code,
    )
    clear_url_caches()
