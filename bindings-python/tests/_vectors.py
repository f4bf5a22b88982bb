"""Reads the shared vectors (tests/vectors, format in its README) and maps
them onto the public API of lean_sdk: a vector call becomes a client method
call, an expected error becomes a check of the exception's attributes."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import re
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import pytest

import lean_sdk

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors"

# The exception class each stable code must raise.
CLASSES = {
    "validation": lean_sdk.ValidationError,
    "configuration": lean_sdk.ConfigurationError,
    "bad_request": lean_sdk.BadRequestError,
    "unauthorized": lean_sdk.AuthenticationError,
    "not_found": lean_sdk.NotFoundError,
    "rate_limited": lean_sdk.RateLimitError,
    "service_unavailable": lean_sdk.ServiceUnavailableError,
    "server_error": lean_sdk.ServerError,
    "api_error": lean_sdk.ApiError,
    "transport": lean_sdk.TransportError,
    "invalid_response": lean_sdk.InvalidResponseError,
    "conflict": lean_sdk.ConflictError,
    "redirect": lean_sdk.RedirectError,
    "signature_missing": lean_sdk.WebhookSignatureError,
    "signature_malformed": lean_sdk.WebhookSignatureError,
    "signature_mismatch": lean_sdk.WebhookSignatureError,
    "invalid_payload": lean_sdk.WebhookPayloadError,
    "internal": lean_sdk.LeanError,
}


def cases(file: str) -> List[Dict[str, Any]]:
    found: List[Dict[str, Any]] = json.loads((VECTORS / file).read_text("utf-8"))["cases"]
    names = [c["name"] for c in found]
    assert len(set(names)) == len(names), f"{file}: case names must be unique"
    return found


def each_case(load: Callable[[str], List[Dict[str, Any]]], *files: str) -> pytest.MarkDecorator:
    """Parametrizes a test with every case of vector files (read by
    ``load``: :func:`cases`, or the open-banking one), named by its name;
    each case notes its ``file``. Every case of ``validation.json`` expects
    an error."""
    found = [dict(case, file=file) for file in files for case in load(file)]
    assert all("error" in c["expect"] for c in found if c["file"] == "validation.json"), "validation cases expect errors"
    return pytest.mark.parametrize("case", found, ids=[c["name"] for c in found])


#: Compares an error with the case's expected one.
CheckError = Callable[[str, BaseException, Dict[str, Any]], None]


def outcome(name: str, expect: Dict[str, Any], action: Callable[[], Any], check: Optional[CheckError] = None) -> Any:
    """What ``action()`` returns, or the :class:`lean_sdk.LeanError` it
    raises once checked (``check``: :func:`check_error` by default)
    against the error the case expects, which it must."""
    try:
        return action()
    except lean_sdk.LeanError as error:
        assert "error" in expect, f"{name}: unexpected {error!r}"
        (check or check_error)(name, error, expect["error"])
        return error


def client_kwargs(case: Dict[str, Any], fast: bool = True) -> Dict[str, Any]:
    config = case.get("config") or {}
    kwargs: Dict[str, Any] = {
        "api_key": config.get("apiKey", "test_key_123"),
        "environment": config.get("environment", "sandbox"),
        "base_url": config.get("baseUrl"),
    }
    if "maxRetries" in config:
        kwargs["max_retries"] = config["maxRetries"]
    if fast:
        kwargs.update(initial_backoff=0.001, max_backoff=0.002)
    return kwargs


def snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def as_keywords(data: Any) -> Dict[str, Any] | None:
    """The snake_case keyword form of a camelCase input, when every key
    converts both ways."""
    if not isinstance(data, dict) or not all(isinstance(k, str) and camel(snake(k)) == k and snake(k).isidentifier() for k in data):
        return None
    return {snake(k): v for k, v in data.items()}


# The operations without input: the call's fields each method takes, in order.
READS = {
    "getCustomer": ("partnerUserId",),
    "submitApplication": ("partnerUserId",),
    "getGig": ("gigId",),
    "listGigs": (),
    "getSpecialPayment": ("id",),
    "listSpecialPayments": (),
}


def invoke(client: Any, call: Dict[str, Any], keywords: bool = False) -> Any:
    """Calls the client method for a vector call (a coroutine for the
    async client). With ``keywords``, the input goes as snake_case keywords."""
    op = call["operation"]
    data = call.get("input")
    kw = as_keywords(data) if keywords else None

    def create(method: Any, *args: Any, **extra: Any) -> Any:
        if kw is not None:
            return method(*args, **extra, **kw)
        return method(*args, data, **extra)

    if op == "createCustomer":
        return create(client.create_customer)
    if op == "updateCustomer":
        return create(client.update_customer, call.get("partnerUserId"))
    if op == "createGig":
        return create(client.create_gig)
    if op == "createSpecialPayment":
        return create(client.create_special_payment, idempotency_key=call.get("idempotencyKey"))
    if op in READS:
        return getattr(client, snake(op))(*(call.get(key) for key in READS[op]))
    # An operation the API does not have is no method of the client; the
    # one public entry point taking operation names is lean_sdk.validate.
    assert not hasattr(client, snake(op)), op
    return lean_sdk.validate(op, data)


def plain(result: Any) -> Any:
    """A result as the API's JSON shape."""
    if isinstance(result, list):
        return [item.to_dict() for item in result]
    return result.to_dict()


def sent_request(
    case: Dict[str, Any], connect: Callable[[Any], Any], invoke: Callable[[Any, Dict[str, Any], bool], Any], keywords: bool,
    check: Optional[CheckError] = None,
) -> Optional[lean_sdk.HttpRequest]:
    """The one request a requests (or validation) case's call sends through
    a client ``connect(transport)`` makes, checked against the expected
    method, URL and headers; ``None`` when the call fails as the case
    expects, having sent nothing."""
    name, expect = case["name"], case["expect"]
    recorder = Recorder()
    try:
        failed = outcome(name, expect, lambda: invoke(connect(recorder), case["call"], keywords), check)
    except Stop:
        failed = None
    if isinstance(failed, lean_sdk.LeanError):
        assert recorder.requests == [], f"{name}: a request was sent for invalid input"
        return None
    assert "request" in expect, f"{name}: expected {expect['error']}, but the call went through"
    assert len(recorder.requests) == 1, name
    check_head(name, recorder.requests[0], expect["request"])
    return recorder.requests[0]


def check_head(name: str, request: lean_sdk.HttpRequest, want: Dict[str, Any]) -> None:
    """A request's method, URL and headers (the body is each API's own
    check)."""
    assert request.method == want["method"], name
    assert request.url == want["url"], name
    for header, value in want["headers"].items():
        assert request.headers.get(header) == value, f"{name}: header {header}"
    assert request.headers["user-agent"].startswith("lean-sdk/"), name


def check_error(name: str, error: BaseException, expected: Dict[str, Any]) -> None:
    assert isinstance(error, lean_sdk.LeanError), f"{name}: {error!r} is not a LeanError"
    code = expected["code"]
    assert error.code == code, f"{name}: code {error.code} ({error})"
    assert type(error) is CLASSES[code], f"{name}: {type(error).__name__} for {code}"
    attributes = {
        "status": "status",
        "message": "message",
        "requestId": "request_id",
        "outcomeUnknown": "outcome_unknown",
        "idempotencyKey": "idempotency_key",
        "sentIds": "sent_ids",
        "applied": "applied",
        "location": "location",
    }
    for key, attribute in attributes.items():
        if key in expected:
            assert getattr(error, attribute) == expected[key], f"{name}: {key} ({error})"
    if "retryAfterMs" in expected:
        wait = getattr(error, "retry_after")
        got = None if wait is None else round(wait * 1000)
        assert got == expected["retryAfterMs"], f"{name}: retry_after {wait}"
    if "fieldErrors" in expected:
        got = {(e.field, e.code) for e in getattr(error, "errors")}
        want = {(e["field"], e["code"]) for e in expected["fieldErrors"]}
        assert got == want, f"{name}: field errors {got} != {want}"
        assert all(e.message for e in getattr(error, "errors")), f"{name}: every field error has a message"


def response(spec: Dict[str, Any]) -> lean_sdk.HttpResponse:
    if "bodyText" in spec:
        body = spec["bodyText"].encode("utf-8")
    elif "body" in spec:
        body = json.dumps(spec["body"]).encode("utf-8")
    else:
        body = b""
    return lean_sdk.HttpResponse(spec["status"], spec.get("headers") or {}, body)


def payload_forms(spec: Any) -> List[Any]:
    """Every input form of a webhook payload the SDK accepts."""
    if isinstance(spec, str):
        raw = spec.encode("utf-8")
        return [spec, raw, bytearray(raw), memoryview(raw)]
    if "base64" in spec:
        raw = base64.b64decode(spec["base64"])
    else:
        raw = (spec["repeat"] * spec["times"]).encode("utf-8")
    forms: List[Any] = [raw, bytearray(raw), memoryview(raw)]
    try:
        forms.append(raw.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    return forms


def run_webhook_case(case: Dict[str, Any], webhooks: Any, check_event: Callable[[str, Dict[str, Any], Any], None], check: CheckError = check_error) -> None:
    """Signs, verifies or parses a webhooks case's payload in every form the
    SDK takes, with every form of its secrets, through ``webhooks`` (either
    API's module: its functions and a reused verifier); ``check_event``
    compares a parsed event with the expected one."""
    name, expect, signature = case["name"], case["expect"], case.get("signature")
    secrets = [str(s) for s in case["secrets"]]
    secret_forms: List[Any] = [secrets, [s.encode("utf-8") for s in secrets]] + ([secrets[0]] if len(secrets) == 1 else [])
    for payload in payload_forms(case["payload"]):
        if case["action"] == "sign":
            for key in (secrets[0], secrets[0].encode("utf-8")):
                assert webhooks.sign(payload, key) == expect["signature"], f"{name} ({type(payload).__name__})"
            continue
        for secret in secret_forms:
            if case["action"] == "verify":
                actions = [lambda: webhooks.verify(payload, signature, secret), lambda: webhooks.WebhookVerifier(secret).verify(payload, signature)]
            else:
                actions = [
                    lambda: webhooks.construct_event(payload, signature, secret),
                    lambda: webhooks.WebhookVerifier(secret).construct_event(payload, signature),
                ]
            for action in actions:
                result = outcome(name, expect, action, check)
                if isinstance(result, lean_sdk.LeanError):
                    continue
                if "event" in expect:
                    check_event(name, expect["event"], result)
                else:
                    assert result is None and expect == {"valid": True}, f"{name}: expected {expect}"


class Stop(BaseException):
    """Ends a call once its first request is recorded: an interruption
    (like ``KeyboardInterrupt``), since any ``Exception`` from a transport is
    a failed attempt the engine may retry."""


class Recorder:
    def __init__(self) -> None:
        self.requests: List[lean_sdk.HttpRequest] = []

    def __call__(self, request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        self.requests.append(request)
        raise Stop


class Interrupted(BaseException):
    """A call interrupted mid-flight, as a cancellation would: the engine
    re-raises it carrying what was sent as ``lean_error``."""


def ended(error: BaseException) -> BaseException:
    """The error a call ended with, for the case to check: an
    interruption's is the error it carries."""
    carried: BaseException = getattr(error, "lean_error", error)
    return carried


class Script:
    """A transport that checks each request against the case's exchanges
    and answers with the scripted reply (a transport failure is raised as
    the OSError a real transport would raise)."""

    FAILURES = {"connect": ConnectionRefusedError, "timeout": TimeoutError, "other": ConnectionResetError}

    def __init__(self, case: Dict[str, Any]) -> None:
        self.name = case["name"]
        self.exchanges = list(case["exchanges"])

    def answer(self, request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        assert self.exchanges, f"{self.name}: unexpected request {request!r}"
        exchange = self.exchanges.pop(0)
        assert request.method == exchange["request"]["method"], self.name
        assert request.url.endswith(exchange["request"]["path"]), f"{self.name}: {request.url}"
        reply = exchange["reply"]
        if "interrupt" in reply:
            raise Interrupted(reply["interrupt"])
        if "transportError" in reply:
            raise self.FAILURES[reply["transportError"]](reply["transportError"])
        return response(reply)

    def __call__(self, request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        return self.answer(request)


def run_engine_case(
    case: Dict[str, Any], connect: Callable[[Any, bool], Any], invoke: Callable[[Any, Dict[str, Any]], Any], asynchronous: bool,
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, check: CheckError = check_error,
) -> None:
    """Runs an engine case through a client of either API that
    ``connect(transport, asynchronous)`` makes, sync or async, the pauses
    recorded instead of slept; checks its end, attempts and events."""
    caplog.set_level(logging.DEBUG, logger="lean_sdk")
    waits: List[float] = []
    script = Script(case)
    if asynchronous:

        async def no_wait(delay: float) -> None:
            waits.append(delay)

        async def transport(request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
            return script.answer(request)

        async def main() -> Any:
            async with connect(transport, True) as client:
                try:
                    return await invoke(client, case["call"])
                except (lean_sdk.LeanError, Interrupted) as error:
                    return ended(error)

        monkeypatch.setattr(asyncio, "sleep", no_wait)
        result = asyncio.run(main())
    else:
        monkeypatch.setattr(time, "sleep", waits.append)
        try:
            result = invoke(connect(script, False), case["call"])
        except (lean_sdk.LeanError, Interrupted) as error:
            result = ended(error)
    check_engine_result(case, script, result, waits, check)
    check_trace(case, result, caplog.records)


def check_engine_result(
    case: Dict[str, Any], script: Script, outcome: Any, waits: List[float], check: CheckError = check_error
) -> None:
    """Checks an engine case's end: every exchange used, the waits, then the
    value or the error (`check` compares the error with the expected one)."""
    name, expect = case["name"], case["expect"]
    assert script.exchanges == [], f"{name}: the engine stopped before every exchange was used"
    if "waitsMs" in case:
        assert [round(w * 1000) for w in waits] == case["waitsMs"], f"{name}: waits {waits}"
    if isinstance(outcome, BaseException):
        assert "error" in expect, f"{name}: unexpected {outcome!r}"
        check(name, outcome, expect["error"])
    else:
        assert "value" in expect, f"{name}: expected {expect['error']}, got {outcome!r}"
        assert plain(outcome) == expect["value"], name


def attempt_json(attempt: lean_sdk.Attempt) -> Dict[str, Any]:
    """An attempt in the core's JSON form, without ``elapsedMs``."""
    out: Dict[str, Any] = {"attempt": attempt.number, "phase": attempt.phase}
    for key, value in (("status", attempt.status), ("requestId", attempt.request_id), ("transportError", attempt.transport_error)):
        if value is not None:
            out[key] = value
    return out


def logged_events(records: List[logging.LogRecord]) -> List[Dict[str, Any]]:
    """The core's events among captured log records (logger ``lean_sdk``),
    each checked to be logged at its own level with its own message."""
    events = []
    for record in records:
        event = getattr(record, "lean_event", None)
        if event is None:
            continue
        assert record.name == "lean_sdk", record.name
        assert record.levelname == event["level"].upper(), event
        assert record.getMessage() == event["message"], event
        events.append(event)
    return events


def check_trace(case: Dict[str, Any], outcome: Any, records: List[logging.LogRecord]) -> None:
    """Checks a case's ``attempts`` and ``events`` as the core's runner does
    (``check_trace``): the attempts of the result or error exactly (each
    ended attempt timed, ``elapsedMs`` not compared), each given key of
    each event (``path`` as a suffix), and the ``call_finished`` event's
    attempts equal to the outcome's."""
    name = case["name"]
    attempts = outcome.attempts
    assert isinstance(attempts, tuple), f"{name}: attempts is {type(attempts).__name__}"
    assert [attempt_json(a) for a in attempts] == case["attempts"], f"{name}: attempts {attempts}"
    for a in attempts:
        ended = a.status is not None or a.transport_error is not None
        assert (a.elapsed is not None) == ended, f"{name}: elapsed of {a}"
    events = logged_events(records)
    want_events = case["events"]
    names = [e["event"] for e in events]
    assert len(events) == len(want_events), f"{name}: events {names}"
    for got, want in zip(events, want_events):
        for key, value in want.items():
            if key == "path":
                assert got[key].endswith(value), f"{name}: path {got[key]} of {got}"
            else:
                assert got.get(key) == value, f"{name}: {key} of {got}"
    if events:
        last = events[-1]
        assert last["event"] == "call_finished", f"{name}: {names}"
        finished = [{k: v for k, v in a.items() if k != "elapsedMs"} for a in last["attempts"]]
        assert finished == case["attempts"], f"{name}: the attempts of call_finished"
