"""Every case of tests/vectors through the public API of lean_sdk."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from typing import Any, Dict, List

import pytest

import lean_sdk
from lean_sdk import webhooks

from _vectors import Interrupted, interrupted, Recorder, Script, Stop, as_keywords, cases, check_engine_result, check_trace, check_error, client_kwargs, ids, invoke, plain, payload_forms, response


UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def run_request_case(case: Dict[str, Any], keywords: bool) -> None:
    name, expect = case["name"], case["expect"]
    recorder = Recorder()
    try:
        client = lean_sdk.LeanClient(**client_kwargs(case), transport=recorder)
        invoke(client, case["call"], keywords)
    except Stop:
        pass
    except lean_sdk.LeanError as error:
        assert "error" in expect, f"{name}: unexpected {error!r}"
        check_error(name, error, expect["error"])
        assert recorder.requests == [], f"{name}: a request was sent for invalid input"
        return
    assert "request" in expect, f"{name}: expected {expect['error']}, but the call went through"
    assert len(recorder.requests) == 1
    request, want = recorder.requests[0], expect["request"]
    assert request.method == want["method"], name
    assert request.url == want["url"], name
    for header, value in want["headers"].items():
        assert request.headers.get(header) == value, f"{name}: header {header}"
    assert request.headers["user-agent"].startswith("lean-sdk/"), name
    body = None if request.body is None else json.loads(request.body)
    assert body == want["body"], f"{name}: body"
    if want.get("generatedIdempotencyKey"):
        assert UUID4.match(request.headers["idempotency-key"]), name


@pytest.mark.parametrize("case", cases("requests.json"), ids=ids(cases("requests.json")))
def test_requests(case: Dict[str, Any]) -> None:
    run_request_case(case, keywords=False)
    if as_keywords(case["call"].get("input")) is not None:
        run_request_case(case, keywords=True)


@pytest.mark.parametrize("case", cases("validation.json"), ids=ids(cases("validation.json")))
def test_validation(case: Dict[str, Any]) -> None:
    assert "error" in case["expect"], "validation cases expect errors"
    run_request_case(case, keywords=False)


VALID_INPUTS = {
    "createCustomer": {
        "firstName": "Jane", "lastName": "Doe", "birthday": "1980-12-31", "phoneNumber": "4085008000",
        "email": "janedoe@gmail.com", "street": "700 Treehouse Drive", "city": "San Jose", "state": "CA",
        "postalCode": "95101", "partnerUserId": "uid_1", "registrationDate": "2020-01-01",
    },
    "updateCustomer": {"firstName": "Jane"},
    "createGig": {
        "partnerUserId": "uid_1", "totalAmount": "15.00", "tips": "3.00", "expenses": "2.00",
        "description": "Gig Payout", "gigId": "gig_1", "startTime": "2021-03-01T21:04:04", "endTime": "2021-03-01T21:31:05",
    },
    "createSpecialPayment": {"partnerUserId": "uid_1", "amount": "4.56", "type": "bonus"},
}


@pytest.mark.parametrize("case", cases("responses.json"), ids=ids(cases("responses.json")))
def test_responses(case: Dict[str, Any]) -> None:
    name, expect = case["name"], case["expect"]
    answer = response(case["response"])
    client = lean_sdk.LeanClient("test_key_123", max_retries=0, transport=lambda request: answer)
    op = case["operation"]
    call = {"operation": op, "partnerUserId": "uid_1", "gigId": "gig_1", "id": "sp_1", "input": VALID_INPUTS.get(op)}
    try:
        result = invoke(client, call)
    except lean_sdk.LeanError as error:
        assert "error" in expect, f"{name}: unexpected {error!r}"
        check_error(name, error, expect["error"])
        return
    assert "value" in expect, f"{name}: expected {expect['error']}, got {result!r}"
    assert plain(result) == expect["value"], name


@pytest.mark.parametrize("case", cases("webhooks.json"), ids=ids(cases("webhooks.json")))
def test_webhooks(case: Dict[str, Any]) -> None:
    name, expect, secrets = case["name"], case["expect"], case["secrets"]
    signature = case.get("signature")
    secret_forms = [secrets, [s.encode("utf-8") for s in secrets]] + ([secrets[0]] if len(secrets) == 1 else [])
    for payload in payload_forms(case["payload"]):
        form = type(payload).__name__
        if case["action"] == "sign":
            assert webhooks.sign(payload, secrets[0]) == expect["signature"], f"{name} ({form})"
            assert webhooks.sign(payload, secrets[0].encode("utf-8")) == expect["signature"], f"{name} ({form})"
            continue
        for secret in secret_forms:
            if case["action"] == "verify":
                check_verify(name, expect, lambda: webhooks.verify(payload, signature, secret))
                check_verify(name, expect, lambda: webhooks.WebhookVerifier(secret).verify(payload, signature))
            else:
                check_event(name, expect, lambda: webhooks.construct_event(payload, signature, secret))
                check_event(name, expect, lambda: webhooks.WebhookVerifier(secret).construct_event(payload, signature))


def check_verify(name: str, expect: Dict[str, Any], verify: Any) -> None:
    try:
        assert verify() is None
    except lean_sdk.LeanError as error:
        assert "error" in expect, f"{name}: unexpected {error!r}"
        check_error(name, error, expect["error"])
        return
    assert expect == {"valid": True}, f"{name}: expected {expect}"


def check_event(name: str, expect: Dict[str, Any], construct: Any) -> None:
    try:
        event = construct()
    except lean_sdk.LeanError as error:
        assert "error" in expect, f"{name}: unexpected {error!r}"
        check_error(name, error, expect["error"])
        return
    assert "event" in expect, f"{name}: expected {expect}"
    assert isinstance(event, lean_sdk.WebhookEvent)
    assert event.to_dict() == expect["event"], name
    assert event.event == expect["event"]["event"], name


@pytest.mark.parametrize("case", cases("engine.json"), ids=ids(cases("engine.json")))
def test_engine_sync(case: Dict[str, Any], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="lean_sdk")
    waits: List[float] = []
    monkeypatch.setattr(time, "sleep", waits.append)
    script = Script(case)
    client = lean_sdk.LeanClient(**client_kwargs(case), transport=script)
    try:
        outcome: Any = invoke(client, case["call"])
    except lean_sdk.LeanError as error:
        outcome = error
    except Interrupted as stop:
        outcome = interrupted(stop)
    check_engine_result(case, script, outcome, waits)
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
        async with lean_sdk.AsyncLeanClient(**client_kwargs(case), transport=transport) as client:
            try:
                return await invoke(client, case["call"])
            except lean_sdk.LeanError as error:
                return error
            except Interrupted as stop:
                return interrupted(stop)

    outcome = asyncio.run(main())
    check_engine_result(case, script, outcome, waits)
    check_trace(case, outcome, caplog.records)


@pytest.mark.parametrize("case", cases("config.json"), ids=ids(cases("config.json")))
def test_config(case: Dict[str, Any]) -> None:
    name, expect = case["name"], case["expect"]
    try:
        lean_sdk.LeanClient(**client_kwargs(case, fast=False))
    except lean_sdk.LeanError as error:
        assert "error" in expect, f"{name}: unexpected {error!r}"
        check_error(name, error, expect["error"])
        return
    assert expect == {"ok": True}, name
