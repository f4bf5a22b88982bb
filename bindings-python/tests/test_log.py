"""What the SDK tells about its calls (``lean_sdk/_log.py``,
``_attempts.py``): the core's events in the ``lean_sdk`` logger, the
attempts on every result and error, nothing secret in any log record, and
``LEAN_LOG`` from the environment."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
from datetime import timedelta
from typing import Any, Callable, Dict, List

import pytest

import lean_sdk
from lean_sdk import _native, openbanking

from _vectors import attempt_json, logged_events

KEY = "sk_test_log_key_4242"
GIG = {
    "partner_user_id": "uid_1", "gig_id": "gig_7", "total_amount": "15.00", "tips": "3.00", "expenses": "2.00",
    "description": "Gig Payout", "start_time": "2021-03-01T21:04:04", "end_time": "2021-03-01T21:31:05",
}
STORED = {
    "id": "g-100", "partnerUserId": "uid_1", "gigId": "gig_7", "totalAmount": "15.00", "tips": "3.00",
    "expenses": "2.00", "description": "Gig Payout", "startTime": "2021-03-01T21:04:04",
    "endTime": "2021-03-01T21:31:05", "status": "PENDING",
}


class Answers:
    """A fake transport answering in turn ``(status, request id, body)``;
    a ``None`` status raises a connection reset."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.requests: List[lean_sdk.HttpRequest] = []

    def __call__(self, request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        self.requests.append(request)
        status, request_id, body = self.answers.pop(0)
        if status is None:
            raise ConnectionResetError("reset by peer")
        headers = {"x-request-id": request_id} if request_id else {}
        return lean_sdk.HttpResponse(status, headers, json.dumps(body).encode() if body is not None else b"")


def client(transport: Any, **kwargs: Any) -> lean_sdk.LeanClient:
    return lean_sdk.LeanClient(KEY, transport=transport, initial_backoff=0.001, max_backoff=0.002, **kwargs)


def test_a_gig_answered_503_is_looked_up_and_the_log_tells_each_step(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="lean_sdk")
    answers = Answers((503, "req-1", None), (503, "req-2", None), (200, "req-3", STORED))
    gig = client(answers).create_gig(**GIG)  # type: ignore[arg-type]
    assert gig.id == "g-100" and [r.method for r in answers.requests] == ["POST", "GET", "GET"]

    events = logged_events(caplog.records)
    assert [(e["event"], e["level"]) for e in events] == [
        ("attempt_sent", "debug"),       # POST /gig
        ("answer_received", "debug"),    # 503: may have been applied
        ("lookup_started", "info"),      # so it is looked up by its gigId
        ("attempt_sent", "debug"),       # GET /gig/gig_7
        ("answer_received", "debug"),    # 503 again
        ("retry_scheduled", "info"),     # the lookup, a read, is retried
        ("attempt_sent", "debug"),
        ("answer_received", "debug"),    # 200, every field sent equal
        ("lookup_finished", "info"),
        ("call_finished", "info"),
    ]
    assert (events[0]["method"], events[0]["path"], events[0]["phase"]) == ("POST", "/api/gig", "operation")
    assert events[2]["ids"] == {"gigId": "gig_7"} and events[2]["reason"] == "outcome_unknown"
    assert (events[3]["phase"], events[3]["path"]) == ("lookup", "/api/gig/gig_7")
    assert (events[5]["phase"], events[5]["reason"], events[5]["status"]) == ("lookup", "status", 503)
    assert events[8]["verdict"] == "same"
    assert events[9]["ok"] is True and events[9]["operation"] == "createGig"
    finished = caplog.records[-1]
    assert finished.levelno == logging.INFO and finished.getMessage() == events[9]["message"]
    assert "req-1" in finished.getMessage() and "req-3" in finished.getMessage()

    # The result tells the same story, with each request id.
    assert [(a.number, a.phase, a.status, a.request_id) for a in gig.attempts] == [
        (1, "operation", 503, "req-1"), (2, "lookup", 503, "req-2"), (3, "lookup", 200, "req-3"),
    ]
    assert all(isinstance(a.elapsed, timedelta) for a in gig.attempts)
    assert events[9]["attempts"] == [dict(attempt_json(a), elapsedMs=a.elapsed // timedelta(milliseconds=1)) for a in gig.attempts]


def test_the_async_client_logs_and_returns_the_same_attempts(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="lean_sdk")
    answers = Answers((503, "req-1", None), (200, "req-2", STORED))

    async def transport(request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        return answers(request)

    async def main() -> lean_sdk.Gig:
        async with lean_sdk.AsyncLeanClient(KEY, transport=transport, initial_backoff=0.001, max_backoff=0.002) as c:
            return await c.get_gig("gig_7")

    gig = asyncio.run(main())
    assert [a.request_id for a in gig.attempts] == ["req-1", "req-2"]
    # At INFO, only the decisions: the retry and the outcome.
    assert [e["event"] for e in logged_events(caplog.records)] == ["retry_scheduled", "call_finished"]


def test_every_error_carries_its_attempts() -> None:
    answers = Answers((None, None, None), (404, "req-9", {"message": "no such gig"}))
    with pytest.raises(lean_sdk.NotFoundError) as missing:
        client(answers).get_gig("gig_7")
    first, second = missing.value.attempts
    assert (first.number, first.transport_error, first.status, first.request_id) == (1, "other", None, None)
    assert (second.number, second.status, second.request_id) == (2, 404, "req-9")
    assert missing.value.request_id == "req-9"
    with pytest.raises(lean_sdk.ValidationError) as refused:
        client(Answers()).create_gig(partner_user_id="uid_1")  # type: ignore[call-arg]
    assert refused.value.attempts == ()  # nothing was sent


def test_results_carry_attempts_outside_their_value() -> None:
    gig = client(Answers((200, "req-1", STORED))).get_gig("gig_7")
    same = lean_sdk.Gig(dict(STORED))
    assert gig == same and hash(gig) == hash(same) and repr(gig) == repr(same)
    assert same.attempts == () and len(gig.attempts) == 1 and "attempt" not in repr(gig)
    listed = client(Answers((200, "req-2", [STORED, STORED]))).list_gigs()
    assert isinstance(listed, lean_sdk.ResultList) and listed == [same, same] and repr(listed) == repr([same, same])
    assert [a.request_id for a in listed.attempts] == ["req-2"] and listed[0].attempts == listed.attempts
    attempt = gig.attempts[0]
    with pytest.raises(AttributeError):
        attempt.status = 500  # type: ignore[misc]
    assert attempt == lean_sdk.Attempt(1, "operation", 200, "req-1", None, attempt.elapsed)
    assert repr(attempt).startswith("Attempt(number=1, phase='operation', status=200, request_id='req-1'")


def test_open_banking_results_carry_attempts() -> None:
    answers = Answers((503, "req-1", None), (200, "req-2", {"customer_id": "c-1", "app_user_id": "u1"}))
    ob = openbanking.OpenBankingClient("app-token-log", transport=answers, initial_backoff=0.001, max_backoff=0.002)
    customer = ob.get_customer("c-1")
    assert [(a.status, a.request_id) for a in customer.attempts] == [(503, "req-1"), (200, "req-2")]


def test_a_call_records_no_events_unless_asked() -> None:
    config = _native.Config(KEY, "sandbox")
    call = _native.Call(config, {"operation": "getGig", "gigId": "g1"}, bytes(32))
    call.poll()
    call.on_response(200, [], json.dumps(STORED).encode(), 0.004)
    call.poll()
    assert call.take_events() == []
    assert call.attempt_log == [{"attempt": 1, "phase": "operation", "status": 200, "elapsedMs": 4}]


class Watched:
    """A call that notes which event methods the driver used."""

    def __init__(self, call: Any) -> None:
        self.call = call
        self.used: List[str] = []

    def __getattr__(self, name: str) -> Any:
        if name in ("record_events", "take_events"):
            self.used.append(name)
        return getattr(self.call, name)


@pytest.mark.parametrize("level", [logging.WARNING, logging.INFO, logging.DEBUG])
def test_the_driver_records_events_only_when_the_logger_would_write_them(level: int, caplog: pytest.LogCaptureFixture) -> None:
    from lean_sdk import _engine

    caplog.set_level(level, logger="lean_sdk")
    call = Watched(_native.Call(_native.Config(KEY, "sandbox"), {"operation": "getGig", "gigId": "g1"}, bytes(32)))
    value, attempts = _engine.drive(call, Answers((200, "req-1", STORED)))  # type: ignore[arg-type]
    assert value["gigId"] == "gig_7" and [a.request_id for a in attempts] == ["req-1"]
    if level == logging.WARNING:
        assert call.used == [] and caplog.records == []  # a user who logs nothing pays nothing
    else:
        assert call.used[0] == "record_events" and "take_events" in call.used
        assert logged_events(caplog.records)[-1]["event"] == "call_finished"


SECRET_KEY = "sk_live_SECRET_payouts_key_31337"
CLIENT_SECRET = "cs_SECRET_client_secret_271828"
TOKEN = "at_SECRET_oauth_token_161803"
APP_TOKEN = "app_SECRET_token_141421"
STATIC_TOKEN = "bearer_SECRET_token_173205"


def record_text(record: logging.LogRecord) -> str:
    """Everything a handler could write of a record: its message, its
    arguments and every extra attribute."""
    return json.dumps({key: repr(value) for key, value in vars(record).items()}) + record.getMessage()


def test_no_log_record_shows_a_key_a_secret_a_token_or_a_body(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    body_marker = "BODY_MARKER_do_not_log"
    stored = dict(STORED, description=body_marker)
    # Payouts: a retried call, then a refused one.
    answers = Answers((503, "req-1", None), (200, "req-2", stored), (400, "req-3", {"message": body_marker}))
    payouts = client(answers)
    payouts.get_gig("gig_7")
    with pytest.raises(lean_sdk.BadRequestError):
        payouts.create_gig(**dict(GIG, description=body_marker))  # type: ignore[arg-type]
    payouts = lean_sdk.LeanClient(SECRET_KEY, transport=Answers((200, "req-4", stored)))
    payouts.get_gig("gig_7")
    # Open banking: OAuth client credentials (a token fetch, a 401, a renewal).
    token_answer = {"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600}
    oauth = Answers(
        (200, "tok-1", token_answer), (401, "req-5", {"message": body_marker}),
        (200, "tok-2", dict(token_answer, access_token=TOKEN + "2")), (200, "req-6", {"customer_id": "c-1"}),
    )
    ob = openbanking.OpenBankingClient(
        client_id="client-1", client_secret=CLIENT_SECRET, environment="ksa-sandbox", transport=oauth,
        initial_backoff=0.001, max_backoff=0.002,
    )
    ob.get_customer("c-1")
    for secret in (APP_TOKEN, STATIC_TOKEN):
        kwargs: Dict[str, Any] = {"app_token": secret} if secret == APP_TOKEN else {"access_token": secret}
        openbanking.OpenBankingClient(transport=Answers((200, "req-7", {"customer_id": "c-1"})), **kwargs).get_customer("c-1")

    events = logged_events(caplog.records)
    names = {e["event"] for e in events}
    assert {"attempt_sent", "answer_received", "retry_scheduled", "call_finished", "token_fetch_started",
            "token_fetched", "token_rejected"} <= names, names
    assert len(oauth.requests) == 4 and not oauth.answers
    for record in caplog.records:
        text = record_text(record)
        for secret in (KEY, SECRET_KEY, CLIENT_SECRET, TOKEN, APP_TOKEN, STATIC_TOKEN, body_marker):
            assert secret not in text, f"{secret} in {record.name}: {record.getMessage()}"


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "LEAN_LOG"}
    environment.update(env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, timeout=120)


RETRIED_CALL = f"""
import json, lean_sdk
answers = [lean_sdk.HttpResponse(503, {{"x-request-id": "req-1"}}, b""),
           lean_sdk.HttpResponse(200, {{"x-request-id": "req-2"}}, json.dumps({STORED!r}).encode())]
client = lean_sdk.LeanClient({SECRET_KEY!r}, transport=lambda request: answers.pop(0), initial_backoff=0.001)
print(client.get_gig("gig_7").attempts[-1].request_id)
"""


def test_lean_log_debug_writes_every_event_to_stderr() -> None:
    done = run_python(RETRIED_CALL, LEAN_LOG="debug")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "req-2\n"
    lines = done.stderr.splitlines()
    assert [line.split(" ", 3)[2:] for line in lines] == [
        ["DEBUG", "lean_sdk: getGig: attempt 1: GET /api/gig/gig_7"],
        ["DEBUG", lines[1].split(" ", 3)[3]],
        ["INFO", lines[2].split(" ", 3)[3]],
        ["DEBUG", "lean_sdk: getGig: attempt 2: GET /api/gig/gig_7"],
        ["DEBUG", lines[4].split(" ", 3)[3]],
        ["INFO", "lean_sdk: getGig: done after 2 attempt(s); request ids req-1, req-2"],
    ], done.stderr
    assert "answered 503, request id req-1" in lines[1] and "sending again in" in lines[2]
    assert SECRET_KEY not in done.stderr


def test_lean_log_info_writes_decisions_and_nothing_is_written_without_it() -> None:
    info = run_python(RETRIED_CALL, LEAN_LOG="INFO")
    assert info.returncode == 0, info.stderr
    assert [line.split(" ", 3)[2] for line in info.stderr.splitlines()] == ["INFO", "INFO"], info.stderr
    quiet = run_python(RETRIED_CALL)
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == "req-2\n"
    ignored = run_python(RETRIED_CALL, LEAN_LOG="verbose")
    assert ignored.returncode == 0 and ignored.stderr == ""
