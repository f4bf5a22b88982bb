"""Every case of tests/vectors/openbanking through the public API of
lean_sdk.openbanking."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Dict

import pytest

import lean_sdk
from lean_sdk import openbanking
from lean_sdk.openbanking import webhooks

from _ob_vectors import APP_TOKEN, cases, check_ob_error, client, environment, invoke, keywords, plain, response
from _vectors import Recorder, Stop, check_head, each_case, outcome, run_engine_case, run_webhook_case, sent_request


def check_request(name: str, request: lean_sdk.HttpRequest, want: Dict[str, Any]) -> None:
    check_head(name, request, want)
    if isinstance(want["body"], str):
        assert request.body == want["body"].encode("utf-8"), f"{name}: body {request.body!r}"
    else:
        body = None if request.body is None else json.loads(request.body, parse_float=Decimal)
        assert body == want["body"], f"{name}: body {body}"
    if "bodyContains" in want:
        assert want["bodyContains"].encode("utf-8") in (request.body or b""), f"{name}: {request.body!r}"


def run_request_case(case: Dict[str, Any], as_keywords: bool) -> None:
    request = sent_request(case, lambda transport: client(case, transport), invoke, as_keywords, check_ob_error)
    if request is not None:
        check_request(case["name"], request, case["expect"]["request"])
        assert APP_TOKEN not in repr(request), f"{case['name']}: the token shows in {request!r}"


@each_case(cases, "requests.json", "validation.json")
def test_requests(case: Dict[str, Any]) -> None:
    """Each case with its input as given, and a request's as keywords too."""
    run_request_case(case, as_keywords=False)
    if case["file"] == "requests.json" and keywords(case["call"].get("input")) is not None:
        run_request_case(case, as_keywords=True)


@each_case(cases, "environments.json")
def test_environments(case: Dict[str, Any]) -> None:
    name, expect = case["name"], case["expect"]
    env = outcome(name, expect, lambda: environment(case["environment"]), check_ob_error)
    if isinstance(env, lean_sdk.LeanError):
        return
    assert env.api_base_url == expect["apiBaseUrl"], name
    assert env.requires_mtls is expect["mtls"], name
    if expect["tokenUrl"] is None:
        with pytest.raises(lean_sdk.ConfigurationError):
            env.token_url()
    else:
        assert env.token_url() == expect["tokenUrl"], name
    # The client refuses an mTLS environment without a certificate.
    if env.requires_mtls:
        with pytest.raises(lean_sdk.ConfigurationError, match="cert="):
            openbanking.OpenBankingClient(APP_TOKEN, environment=env)
    else:
        made = openbanking.OpenBankingClient(APP_TOKEN, environment=env)
        assert made.environment == env


# Arguments of the runner's choice for responses.json.
SAMPLE_INPUTS: Dict[str, Any] = {
    "createCustomer": {"app_user_id": "u1"},
    "createPaymentIntent": {"customer_id": "c1", "amount": "1", "currency": "AED"},
    "createPaymentDestination": {"display_name": "A", "name": "A", "bank_identifier": "B", "iban": "AE070331234567890123456"},
    "getBalance": {"entity_id": "e1", "account_id": "a1"},
    "getTransactions": {"entity_id": "e1", "account_id": "a1"},
}


@each_case(cases, "responses.json")
def test_responses(case: Dict[str, Any]) -> None:
    name, expect = case["name"], case["expect"]
    answer = response(case["response"])
    op = case["operation"]
    call = {
        "operation": op, "input": SAMPLE_INPUTS.get(op, {"entity_id": "e1"}), "customerId": "c1", "appUserId": "u1",
        "entityId": "e1", "resultsId": "r1", "paymentIntentId": "p1", "paymentId": "p1", "accountId": "a1",
        "refreshId": "r1", "startDate": "2026-01-01", "endDate": "2026-01-31",
    }
    target = client(case, lambda request: answer, max_retries=0)
    result = outcome(name, expect, lambda: invoke(target, call), check_ob_error)
    if isinstance(result, lean_sdk.LeanError):
        return
    assert "value" in expect, f"{name}: expected {expect['error']}, got {result!r}"
    assert plain(result) == expect["value"], name
    # No binary float anywhere in a result: amounts and data are Decimal.
    assert "float" not in repr(plain(result)) and not _has_float(plain(result)), name


def _has_float(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_has_float(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_float(v) for v in value)
    return False


@each_case(cases, "webhooks.json")
def test_webhooks(case: Dict[str, Any]) -> None:
    run_webhook_case(case, webhooks, check_event, check_ob_error)


def check_event(name: str, want: Dict[str, Any], event: Any) -> None:
    assert isinstance(event, openbanking.WebhookEvent), name
    assert event.to_dict() == want, name
    assert event.type == want["type"], name
    assert event.event_id == want.get("event_id"), name
    if event.type == "results.ready":
        assert isinstance(event.payload, openbanking.ResultsReady) and event.payload.id == want["payload"]["id"]
    typed = {
        "payment.created": openbanking.Payment, "payment.updated": openbanking.Payment,
        "payment_intent.created": openbanking.PaymentIntentCreated,
        "payment_source.created": openbanking.PaymentSource,
        "payment_source.beneficiary.created": openbanking.PaymentSource,
        "entity.data.refresh.updated": openbanking.DataRefresh,
        "bank.availability.updated": openbanking.BankAvailability,
    }.get(event.type)
    if typed is not None:
        assert isinstance(event.payload, typed), name
        assert event.payload.to_dict() == want["payload"], name
    amount = getattr(event.payload, "amount", None)
    if amount is not None:
        assert amount == Decimal(want["payload"]["amount"]), name


@each_case(cases, "engine.json")
@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_engine(case: Dict[str, Any], asynchronous: bool, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def connect(transport: Any, asynchronous: bool) -> Any:
        return client(case, transport, max_retries=case["config"]["maxRetries"], asynchronous=asynchronous)

    run_engine_case(case, connect, invoke, asynchronous, monkeypatch, caplog, check_ob_error)


@each_case(cases, "auth.json")
def test_auth(case: Dict[str, Any]) -> None:
    name, expect = case["name"], case["expect"]
    check = {"tokenRequest": check_token_request, "parseToken": check_parse_token}.get(case["action"], check_credential)
    error = outcome(name, expect, lambda: check(case), check_ob_error)
    if not isinstance(error, lean_sdk.LeanError):
        assert "error" not in expect, f"{name}: expected {expect['error']}"
        return
    for secret in (case.get("clientSecret"), case.get("token")):
        if secret:
            assert secret not in str(error) + repr(error), f"{name}: the secret shows in the error"


def check_token_request(case: Dict[str, Any]) -> None:
    """The OAuth client's first request is the token request."""
    scope = case["scope"]
    recorder = Recorder()
    made = openbanking.OpenBankingClient(
        client_id=case["clientId"], client_secret=case["clientSecret"], environment=environment(case["environment"]),
        customer_scope=None if scope == "api" else scope["customer"], transport=recorder,
    )
    with pytest.raises(Stop):
        made.list_payment_destinations()
    request = recorder.requests[0]
    check_request(case["name"], request, case["expect"]["request"])
    printed = repr(made) + repr(request) + repr(made._tokens) + str(request.headers)
    assert case["clientSecret"] not in printed, printed


def check_parse_token(case: Dict[str, Any]) -> None:
    expect = case["expect"]
    margin = float(case.get("marginSeconds", 60))
    token = openbanking.parse_token(response(case["response"]), case["receivedAt"], renewal_margin=margin)
    assert token.expires_at == expect["expiresAt"], case["name"]
    if "scope" in expect:
        assert token.scope == expect["scope"]
    for at in case.get("checks", []):
        assert token.needs_renewal(at["at"]) is at["needsRenewal"], f"{case['name']}: at {at['at']}"
    assert token.access_token not in repr(token)
    if "authorization" in expect:
        recorder = Recorder()
        with pytest.raises(Stop):
            openbanking.OpenBankingClient(access_token=token.access_token, transport=recorder).list_payment_destinations()
        headers = recorder.requests[0].headers
        assert headers["authorization"] == expect["authorization"] and "lean-app-token" not in headers
        assert token.access_token not in repr(recorder.requests[0])


def check_credential(case: Dict[str, Any]) -> None:
    key = "app_token" if case["action"] == "appToken" else "access_token"
    recorder = Recorder()
    made = openbanking.OpenBankingClient(transport=recorder, **{key: case["token"]})
    assert case["token"] not in repr(made)
    with pytest.raises(Stop):
        made.list_payment_destinations()
    request = recorder.requests[0]
    for header, value in case["expect"]["headers"].items():
        assert request.headers[header] == value
    assert case["token"] not in repr(request)
    assert sum(1 for h in request.headers if h in ("authorization", "lean-app-token")) == 1
