"""The shared token policy vectors (tests/vectors/openbanking/tokens.json)
through the binding's ``TokenPolicy``, the object both open-banking
clients drive: each case is steps by named callers, one ticket each, on
one policy, with the decision expected at every step."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

import lean_sdk
from lean_sdk import _native

from _ob_vectors import cases, check_ob_error, environment, response
from _vectors import each_case

CASES = cases("tokens.json")


def play(step: Dict[str, Any], policy: _native.TokenPolicy, ticket: _native.TokenTicket, token_url: str) -> Optional[str]:
    """Runs one step; returns the decision to compare with ``expect``, or
    raises the step's error."""
    action = step["action"]
    if action == "poll":
        decision = policy.poll(ticket, float(step["at"]))
        if decision[0] == "use":
            assert repr(decision[1]) == "ObAuth(bearer=<redacted>)"
            return f"use {_bearer(decision[1])}"
        if decision[0] == "send":
            assert decision[2] == token_url and decision[1] == "POST"
            return f"fetch {decision[5]}"
        return f"wait {decision[1]}"
    if action == "tokenResponse":
        answer = response(step["response"])
        policy.on_token_response(ticket, answer.status, list(answer.headers.items()), answer.body, float(step["at"]))
        return None
    if action == "tokenTransportError":
        raise policy.on_token_transport_error(ticket, step["kind"], step["message"])
    if action == "unauthorized":
        return "renewAndRetry" if policy.on_unauthorized(ticket) else "fail"
    raise AssertionError(f"unknown action {action}")


def _bearer(auth: _native.ObAuth) -> str:
    """The token an authentication sends, read from a request the core builds with it."""
    config = _native.ObConfig(_native.Environment("uae-sandbox"))
    call = _native.ObCall(config, auth, {"operation": "listPaymentDestinations"}, bytes(32))
    headers = dict(call.poll()[3])
    return headers["authorization"].removeprefix("Bearer ")


def expected(expect: Any) -> Optional[str]:
    if isinstance(expect, str):
        return expect
    for key in ("use", "fetch", "wait"):
        if key in expect:
            return f"{key} {expect[key]}"
    return None


@each_case(cases, "tokens.json")
def test_token_policy(case: Dict[str, Any]) -> None:
    env = environment(case["environment"])
    policy = _native.TokenPolicy(case["clientId"], case["clientSecret"], env, None, float(case.get("marginSeconds", 60)))
    policy.record_events(True)
    tickets: Dict[str, _native.TokenTicket] = {}
    for number, step in enumerate(case["steps"], start=1):
        where = f"{case['name']}, step {number} ({step['caller']} {step['action']})"
        ticket = tickets.setdefault(step["caller"], _native.TokenTicket())
        expect = step.get("expect") or {}
        try:
            decision = play(step, policy, ticket, env.token_url())
        except lean_sdk.LeanError as error:
            assert isinstance(expect, dict) and "error" in expect, f"{where}: unexpected {error!r}"
            check_ob_error(where, error, expect["error"])
            assert case["clientSecret"] not in str(error) + repr(error), f"{where}: the secret shows"
        else:
            assert not (isinstance(expect, dict) and "error" in expect), f"{where}: expected {expect['error']}"
            if decision is not None:
                assert decision == expected(expect), f"{where}: {decision}"
        check_events(where, policy.take_events(), step["events"], case["clientSecret"])


def check_events(where: str, events: List[Dict[str, Any]], want: List[Dict[str, Any]], secret: str) -> None:
    """A step's events as the core's runner checks them: as many, and each
    given key equal; none shows the client secret or a token."""
    assert len(events) == len(want), f"{where}: events {[e['event'] for e in events]}"
    for got, given in zip(events, want):
        for key, value in given.items():
            assert got.get(key) == value, f"{where}: {key} of {got}"
        assert isinstance(got["message"], str) and got["level"] in ("debug", "info"), f"{where}: {got}"
        assert secret not in json.dumps(got), f"{where}: the secret shows in {got}"


def test_the_vectors_cover_every_decision() -> None:
    seen = set()
    for step in (s for c in CASES for s in c["steps"]):
        expect = step.get("expect")
        seen |= set(expect) if isinstance(expect, dict) else {expect}
    assert {"use", "fetch", "wait", "error", "renewAndRetry", "fail"} <= seen, seen
