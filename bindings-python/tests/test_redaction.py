"""Secrets never show: repr() and str() of every client, request,
response, header dict, token and error, for each kind of credential."""

from __future__ import annotations

import base64
import json
from typing import Any, List

import pytest

import lean_sdk
from lean_sdk import openbanking, webhooks

API_KEY = "sk_live_redaction_key_1"
APP_TOKEN = "app_token_redaction_2"
CLIENT_SECRET = "client_secret_redaction_3"
ACCESS_TOKEN = "access_token_redaction_4"
WEBHOOK_SECRET = "whsec_redaction_5"
SECRETS = [API_KEY, APP_TOKEN, CLIENT_SECRET, ACCESS_TOKEN, WEBHOOK_SECRET, base64.b64encode(f"{API_KEY}:".encode()).decode()]


def shown(*objects: Any) -> str:
    return "\n".join(repr(o) + "\n" + str(o) for o in objects)


def assert_hidden(*objects: Any) -> None:
    text = shown(*objects)
    for secret in SECRETS:
        assert secret not in text, f"{secret} shown in {text}"


class Exchange:
    """Answers every request with ``answer`` and keeps both."""

    def __init__(self, status: int, body: bytes) -> None:
        self.status, self.body = status, body
        self.seen: List[Any] = []

    def __call__(self, request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        if request.url.endswith("/oauth2/token"):
            answer = lean_sdk.HttpResponse(200, {"set-cookie": f"s={ACCESS_TOKEN}"}, json.dumps(
                {"access_token": ACCESS_TOKEN, "token_type": "Bearer", "expires_in": 3600, "scope": "api"}).encode())
        else:
            answer = lean_sdk.HttpResponse(self.status, {"content-type": "application/json"}, self.body)
        self.seen += [request, request.headers, answer]
        return answer


def test_payouts_client_requests_and_errors_hide_the_api_key() -> None:
    exchange = Exchange(401, b'{"message":"bad key"}')
    client = lean_sdk.LeanClient(API_KEY, transport=exchange, max_retries=0)
    with pytest.raises(lean_sdk.AuthenticationError) as refused:
        client.list_gigs()
    assert exchange.seen and any(API_KEY not in str(r) for r in exchange.seen)
    assert exchange.seen[0].headers["authorization"].startswith("Basic ")  # still sent as is
    assert_hidden(client, client.config, lean_sdk.AsyncLeanClient(API_KEY), refused.value, *exchange.seen)


@pytest.mark.parametrize("credential", ["app_token", "oauth", "access_token"])
def test_open_banking_clients_hide_every_credential(credential: str) -> None:
    exchange = Exchange(500, b'{"status":"FAILED","message":"down"}')
    arguments = {
        "app_token": {"app_token": APP_TOKEN},
        "oauth": {"client_id": "id-1", "client_secret": CLIENT_SECRET, "token_base_url": "https://auth.sandbox.leantech.me"},
        "access_token": {"access_token": ACCESS_TOKEN},
    }[credential]
    client = openbanking.OpenBankingClient(transport=exchange, max_retries=0, **arguments)  # type: ignore[arg-type]
    with pytest.raises(lean_sdk.LeanError) as failed:
        client.get_customer("c-1")
    assert len(exchange.seen) >= 3
    assert_hidden(client, failed.value, *exchange.seen)
    if credential == "oauth":
        assert_hidden(client.customer_token("c-1"))


def test_webhook_secrets_never_show() -> None:
    body = b'{"event":"gig.completed","data":{"gigId":"g1"}}'
    verifier = webhooks.WebhookVerifier([WEBHOOK_SECRET, "whsec_other"])
    with pytest.raises(lean_sdk.WebhookSignatureError) as wrong:
        verifier.verify(body, webhooks.sign(body, "nope"))
    ob = openbanking.webhooks.WebhookVerifier(WEBHOOK_SECRET)
    with pytest.raises(lean_sdk.WebhookSignatureError) as ob_wrong:
        ob.verify(body, "sha512=00")
    assert_hidden(verifier, wrong.value, ob, ob_wrong.value)
