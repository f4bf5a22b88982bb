"""Every case of tests/vectors/openbanking through the public API of
lean_sdk.openbanking."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from decimal import Decimal
from typing import Any, Dict, List

import pytest

import lean_sdk
from lean_sdk import openbanking
from lean_sdk.openbanking import webhooks

from _ob_vectors import APP_TOKEN, cases, check_ob_error, client, environment, ids, invoke, keywords, plain, response
from _vectors import Interrupted, interrupted, Recorder, Script, Stop, check_engine_result, check_trace, payload_forms


def check_request(name: str, request: lean_sdk.HttpRequest, want: Dict[str, Any]) -> None:
    assert request.method == want["method"], name
    assert request.url == want["url"], name
    for header, value in want["headers"].items():
        assert request.headers.get(header) == value, f"{name}: header {header}"
    assert request.headers["user-agent"].startswith("lean-sdk/"), name
    if isinstance(want["body"], str):
        assert request.body == want["body"].encode("utf-8"), f"{name}: body {request.body!r}"
    else:
        body = None if request.body is None else json.loads(request.body, parse_float=Decimal)
        assert body == want["body"], f"{name}: body {body}"
    if "bodyContains" in want:
        assert want["bodyContains"].encode("utf-8") in (request.body or b""), f"{name}: {request.body!r}"


def run_request_case(case: Dict[str, Any], as_keywords: bool) -> None:
    name, expect = case["name"], case["expect"]
    recorder = Recorder()
    try:
        invoke(client(case, recorder), case["call"], as_keywords)
    except Stop:
        pass
    except lean_sdk.LeanError as error:
        assert "error" in expect, f"{name}: unexpected {error!r}"
        check_ob_error(name, error, expect["error"])
        assert recorder.requests == [], f"{name}: a request was sent for invalid input"
        return
    assert "request" in expect, f"{name}: expected {expect['error']}, but the call went through"
    assert len(recorder.requests) == 1, name
    request = recorder.requests[0]
    check_request(name, request, expect["request"])
    assert APP_TOKEN not in repr(request), f"{name}: the token shows in {request!r}"


@pytest.mark.parametrize("case", cases("requests.json"), ids=ids(cases("requests.json")))
def test_requests(case: Dict[str, Any]) -> None:
    run_request_case(case, as_keywords=False)
    if keywords(case["call"].get("input")) is not None:
        run_request_case(case, as_keywords=True)


@pytest.mark.parametrize("case", cases("validation.json"), ids=ids(cases("validation.json")))
def test_validation(case: Dict[str, Any]) -> None:
    assert "error" in case["expect"], "validation cases expect errors"
    run_request_case(case, as_keywords=False)


@pytest.mark.parametrize("case", cases("environments.json"), ids=ids(cases("environments.json")))
def test_environments(case: Dict[str, Any]) -> None:
    name, expect = case["name"], case["expect"]
    try:
        env = environment(case["environment"])
    except lean_sdk.LeanError as error:
        assert "error" in expect, f"{name}: unexpected {error!r}"
        check_ob_error(name, error, expect["error"])
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


@pytest.mark.parametrize("case", cases("responses.json"), ids=ids(cases("responses.json")))
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
    try:
        result = invoke(target, call)
    except lean_sdk.LeanError as error:
        assert "error" in expect, f"{name}: unexpected {error!r}"
        check_ob_error(name, error, expect["error"])
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


def _secrets(case: Dict[str, Any], text: bool) -> List[Any]:
    secrets = [str(s) for s in case["secrets"]]
    forms: List[Any] = [secrets, [s.encode("utf-8") for s in secrets]]
    if len(secrets) == 1:
        forms.append(secrets[0])
    return forms if not text else [secrets]


@pytest.mark.parametrize("case", cases("webhooks.json"), ids=ids(cases("webhooks.json")))
def test_webhooks(case: Dict[str, Any]) -> None:
    name, expect = case["name"], case["expect"]
    signature = case.get("signature")
    for payload in payload_forms(case["payload"]):
        form = type(payload).__name__
        if case["action"] == "sign":
            assert webhooks.sign(payload, case["secrets"][0]) == expect["signature"], f"{name} ({form})"
            continue
        for secret in _secrets(case, text=False):
            if case["action"] == "verify":
                check(name, expect, lambda: webhooks.verify(payload, signature, secret))
                check(name, expect, lambda: webhooks.WebhookVerifier(secret).verify(payload, signature))
            else:
                check(name, expect, lambda: webhooks.construct_event(payload, signature, secret))
                check(name, expect, lambda: webhooks.WebhookVerifier(secret).construct_event(payload, signature))


def check(name: str, expect: Dict[str, Any], action: Any) -> None:
    try:
        outcome = action()
    except lean_sdk.LeanError as error:
        assert "error" in expect, f"{name}: unexpected {error!r}"
        check_ob_error(name, error, expect["error"])
        return
    if "event" not in expect:
        assert outcome is None and expect == {"valid": True}, f"{name}: expected {expect}"
        return
    assert isinstance(outcome, openbanking.WebhookEvent), name
    assert outcome.to_dict() == expect["event"], name
    assert outcome.type == expect["event"]["type"], name
    assert outcome.event_id == expect["event"].get("event_id"), name
    if outcome.type == "results.ready":
        assert isinstance(outcome.payload, openbanking.ResultsReady) and outcome.payload.id == expect["event"]["payload"]["id"]
    typed = {
        "payment.created": openbanking.Payment, "payment.updated": openbanking.Payment,
        "payment_intent.created": openbanking.PaymentIntentCreated,
        "payment_source.created": openbanking.PaymentSource,
        "payment_source.beneficiary.created": openbanking.PaymentSource,
        "entity.data.refresh.updated": openbanking.DataRefresh,
        "bank.availability.updated": openbanking.BankAvailability,
    }.get(outcome.type)
    if typed is not None:
        assert isinstance(outcome.payload, typed), name
        assert outcome.payload.to_dict() == expect["event"]["payload"], name
    amount = getattr(outcome.payload, "amount", None)
    if amount is not None:
        assert amount == Decimal(expect["event"]["payload"]["amount"]), name


@pytest.mark.parametrize("case", cases("engine.json"), ids=ids(cases("engine.json")))
def test_engine_sync(case: Dict[str, Any], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="lean_sdk")
    waits: List[float] = []
    monkeypatch.setattr(time, "sleep", waits.append)
    script = Script(case)
    target = client(case, script, max_retries=case["config"]["maxRetries"])
    try:
        outcome: Any = invoke(target, case["call"])
    except lean_sdk.LeanError as error:
        outcome = error
    except Interrupted as stop:
        outcome = interrupted(stop)
    check_engine_result(case, script, outcome, waits, check_ob_error)
    check_trace(case, outcome, caplog.records)


@pytest.mark.parametrize("case", cases("engine.json"), ids=ids(cases("engine.json")))
def test_engine_async(case: Dict[str, Any], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="lean_sdk")
    waits: List[float] = []

    async def no_wait(delay: float) -> None:
        waits.append(delay)

    monkeypatch.setattr(asyncio, "sleep", no_wait)
    script = Script(case)

    async def transport(request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        return script.answer(request)

    async def main() -> Any:
        async with client(case, transport, max_retries=case["config"]["maxRetries"], asynchronous=True) as target:
            try:
                return await invoke(target, case["call"])
            except lean_sdk.LeanError as error:
                return error
            except Interrupted as stop:
                return interrupted(stop)

    outcome = asyncio.run(main())
    check_engine_result(case, script, outcome, waits, check_ob_error)
    check_trace(case, outcome, caplog.records)


@pytest.mark.parametrize("case", cases("auth.json"), ids=ids(cases("auth.json")))
def test_auth(case: Dict[str, Any]) -> None:
    name, expect = case["name"], case["expect"]
    try:
        if case["action"] == "tokenRequest":
            check_token_request(case)
        elif case["action"] == "parseToken":
            check_parse_token(case)
        else:
            check_credential(case)
    except lean_sdk.LeanError as error:
        assert "error" in expect, f"{name}: unexpected {error!r}"
        check_ob_error(name, error, expect["error"])
        for secret in (case.get("clientSecret"), case.get("token")):
            if secret:
                assert secret not in str(error) + repr(error), f"{name}: the secret shows in the error"
        return
    assert "error" not in expect, f"{name}: expected {expect['error']}"


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
