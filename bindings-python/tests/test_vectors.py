"""Every case of tests/vectors through the public API of lean_sdk."""

from __future__ import annotations

import json
import re
from typing import Any, Dict

import pytest

import lean_sdk
from lean_sdk import webhooks

from _vectors import as_keywords, cases, client_kwargs, each_case, invoke, outcome, plain, response, run_engine_case, run_webhook_case, sent_request


UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def run_request_case(case: Dict[str, Any], keywords: bool) -> None:
    request = sent_request(case, lambda transport: lean_sdk.LeanClient(**client_kwargs(case), transport=transport), invoke, keywords)
    if request is None:
        return
    name, want = case["name"], case["expect"]["request"]
    body = None if request.body is None else json.loads(request.body)
    assert body == want["body"], f"{name}: body"
    if want.get("generatedIdempotencyKey"):
        assert UUID4.match(request.headers["idempotency-key"]), name


@each_case(cases, "requests.json", "validation.json")
def test_requests(case: Dict[str, Any]) -> None:
    """Each case with its input as given, and a request's as keywords too."""
    run_request_case(case, keywords=False)
    if case["file"] == "requests.json" and as_keywords(case["call"].get("input")) is not None:
        run_request_case(case, keywords=True)


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


@each_case(cases, "responses.json")
def test_responses(case: Dict[str, Any]) -> None:
    name, expect = case["name"], case["expect"]
    answer = response(case["response"])
    client = lean_sdk.LeanClient("test_key_123", max_retries=0, transport=lambda request: answer)
    op = case["operation"]
    call = {"operation": op, "partnerUserId": "uid_1", "gigId": "gig_1", "id": "sp_1", "input": VALID_INPUTS.get(op)}
    result = outcome(name, expect, lambda: invoke(client, call))
    if isinstance(result, lean_sdk.LeanError):
        return
    assert "value" in expect, f"{name}: expected {expect['error']}, got {result!r}"
    assert plain(result) == expect["value"], name


@each_case(cases, "webhooks.json")
def test_webhooks(case: Dict[str, Any]) -> None:
    run_webhook_case(case, webhooks, check_event)


def check_event(name: str, want: Dict[str, Any], event: Any) -> None:
    assert isinstance(event, lean_sdk.WebhookEvent)
    assert event.to_dict() == want, name
    assert event.event == want["event"], name


@each_case(cases, "engine.json")
@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_engine(case: Dict[str, Any], asynchronous: bool, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def connect(transport: Any, asynchronous: bool) -> Any:
        kind = lean_sdk.AsyncLeanClient if asynchronous else lean_sdk.LeanClient
        return kind(**client_kwargs(case), transport=transport)

    run_engine_case(case, connect, invoke, asynchronous, monkeypatch, caplog)


@each_case(cases, "config.json")
def test_config(case: Dict[str, Any]) -> None:
    name, expect = case["name"], case["expect"]
    made = outcome(name, expect, lambda: lean_sdk.LeanClient(**client_kwargs(case, fast=False)))
    assert isinstance(made, lean_sdk.LeanError) or expect == {"ok": True}, name
