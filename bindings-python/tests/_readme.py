"""The Python code blocks of bindings-python/README.md, so that the tests
execute exactly what users copy, and the framework test clients that
drive its webhook recipes."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path
from typing import Any, Callable, Dict, List

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"(?:<!-- recipe: (\w+) -->\n)?```python\n(.*?)```", re.S)


def blocks() -> List[str]:
    return [code for _, code in BLOCK.findall(README.read_text("utf-8"))]


def recipes() -> Dict[str, str]:
    return {name: code for name, code in BLOCK.findall(README.read_text("utf-8")) if name}


def load_recipe(name: str, monkeypatch: pytest.MonkeyPatch, **environment: str) -> Dict[str, Any]:
    """Runs a webhook recipe of the README with its environment variables
    set; returns its globals (its ``app`` or view, its ``received`` list)."""
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    namespace: Dict[str, Any] = {"__name__": f"recipe_{name}"}
    exec(compile(recipes()[name], f"README.md ({name})", "exec"), namespace)
    return namespace


def poster(
    framework: str, recipe: Dict[str, Any], path: str, view: str, monkeypatch: pytest.MonkeyPatch
) -> Callable[[bytes, Dict[str, str]], int]:
    """Posts to a recipe's webhook route through ``framework``'s own test
    client (Django's with CSRF checks on, the recipe's function ``view``
    routed at ``path``); the function answers the status code."""
    if framework == "flask":
        flask = recipe["app"].test_client()
        return lambda body, headers: int(flask.post(path, data=body, headers=headers).status_code)
    if framework == "fastapi":
        from fastapi.testclient import TestClient

        fastapi = TestClient(recipe["app"])
        return lambda body, headers: int(fastapi.post(path, content=body, headers=headers).status_code)
    import django
    from django.conf import settings
    from django.test import Client
    from django.urls import clear_url_caches
    from django.urls import path as route

    urls = types.ModuleType("recipe_django_urls")
    urls.urlpatterns = [route(path.lstrip("/"), recipe[view])]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "recipe_django_urls", urls)
    clear_url_caches()
    if not settings.configured:
        settings.configure(ROOT_URLCONF="recipe_django_urls", ALLOWED_HOSTS=["testserver"], SECRET_KEY="tests", DEBUG=False)
        django.setup()
    client = Client(enforce_csrf_checks=True)
    return lambda body, headers: int(
        client.post(
            path, data=body, content_type="application/json",
            **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()},
        ).status_code
    )
