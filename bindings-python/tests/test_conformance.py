"""The conformance scenarios (tests/conformance/README.md) against
``lean-sandbox hostile``: each scenario's call made through the public
clients (sync and async, each over its pooled httpx client) with their
default transports, its outcome and the server's counts (requests, and
the connections that carried them) compared with what every host must
report; then the webhook scenarios against the body readers of
``lean_sdk.webhooks``, behind a real loopback WSGI server."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import threading
import time
import urllib.request
from decimal import Decimal
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

import lean_sdk
from lean_sdk import openbanking, webhooks

from conftest import REPO, sandbox_binary

SCENARIOS = REPO / "tests" / "conformance" / "scenarios.json"
CREDENTIALS = {"apiKey": "conformance-api-key", "appToken": "conformance-app-token", "clientSecret": "conformance-client-secret"}


def load() -> Dict[str, Any]:
    if not SCENARIOS.exists():
        return {}
    # Amounts stay exact: a JSON fraction becomes a Decimal, never a float.
    loaded: Dict[str, Any] = json.loads(SCENARIOS.read_text(), parse_float=Decimal)
    return loaded


FILE = load()
MODES = ["sync", "async"]


def scenario_params(key: str, modes: List[str]) -> List[Any]:
    found = FILE.get(key) or []
    if not found:
        reason = f"{SCENARIOS.relative_to(REPO)} is missing or has no {key}"
        return [pytest.param(None, None, id="none", marks=pytest.mark.skip(reason=reason))]
    return [pytest.param(s, mode, id=f"{s['name']}-{mode}") for s in found for mode in modes]


class Hostile:
    """``lean-sandbox hostile`` on loopback ports, for the session."""

    def __init__(self) -> None:
        binary = sandbox_binary()
        self.process = subprocess.Popen(
            [str(binary), "hostile", "--scenarios", str(SCENARIOS), "--port", "0", "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        assert self.process.stdout is not None
        first, second = self.process.stdout.readline().strip(), self.process.stdout.readline().strip()
        if not first.startswith("listening on http://127.0.0.1:"):
            self.process.kill()
            pytest.fail(f"lean-sandbox hostile did not start (is it built with the hostile mode?): {first!r}")
        assert second.startswith("other origin on http://127.0.0.1:"), second
        self.url = first[len("listening on "):]
        self.other = second[len("other origin on "):]

    def admin(self, method: str, path: str, body: Optional[Dict[str, Any]] = None) -> Any:
        request = urllib.request.Request(
            self.url + path, method=method, headers={"content-type": "application/json"},
            data=None if body is None else json.dumps(body).encode(),
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def hostile() -> Iterator[Hostile]:
    server = Hostile()
    yield server
    server.stop()


def snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def client_options(client: Dict[str, Any]) -> Dict[str, Any]:
    options: Dict[str, Any] = {}
    if "maxRetries" in client:
        options["max_retries"] = client["maxRetries"]
    for key, name in (("timeoutMs", "timeout"), ("initialBackoffMs", "initial_backoff"), ("maxBackoffMs", "max_backoff")):
        if key in client:
            options[name] = float(client[key]) / 1000
    return options


def make_client(call: Dict[str, Any], base_url: str, options: Dict[str, Any], mode: str) -> Any:
    """The public client the scenario names, with its default transport."""
    credentials = call.get("credentials")
    if call["api"] == "payouts":
        assert credentials in (None, "apiKey"), credentials
        kind = lean_sdk.LeanClient if mode == "sync" else lean_sdk.AsyncLeanClient
        return kind(CREDENTIALS["apiKey"], base_url=base_url + "/api", **options)
    assert call["api"] == "openbanking", call["api"]
    environment = openbanking.Environment.custom(base_url, base_url)
    auth: Dict[str, Any]
    if credentials == "oauth":
        auth = {"client_id": "conformance-client", "client_secret": CREDENTIALS["clientSecret"]}
    else:
        assert credentials in (None, "appToken"), credentials
        auth = {"app_token": CREDENTIALS["appToken"]}
    kind = openbanking.OpenBankingClient if mode == "sync" else openbanking.AsyncOpenBankingClient
    return kind(environment=environment, **auth, **options)


def invocation(call: Dict[str, Any]) -> Tuple[str, Tuple[Any, ...], Dict[str, Any]]:
    """The method, positional and keyword arguments for the scenario's
    operation, written as the shared vectors write a call: creates and
    updates take the input as one mapping in the API's wire names; path ids
    beside it (and a read's input) become keywords."""
    operation: str = call["operation"]
    data = dict(call.get("input") or {})
    beside = {k: v for k, v in call.items() if k not in ("api", "credentials", "operation", "input", "repeat")}
    keywords: Dict[str, Any] = {}
    for key, value in beside.items():
        name = snake(key)
        keywords["async_" if name == "async" else name] = value
    if operation.startswith(("create", "update")):
        return snake(operation), (data,), keywords
    for key, value in data.items():
        name = snake(key)
        keywords["async_" if name == "async" else name] = value
    return snake(operation), (), keywords


def perform(call: Dict[str, Any], base_url: str, options: Dict[str, Any], mode: str) -> List[Any]:
    """Each call's result, or the LeanError it raised: the call made
    ``call.repeat`` times (once when absent), one after another, through
    one client, which is closed at the end."""
    client = make_client(call, base_url, options, mode)
    method, args, keywords = invocation(call)
    repeat = call.get("repeat", 1)
    assert isinstance(repeat, int) and repeat >= 1, f"call.repeat must be a number of calls: {repeat!r}"

    def once() -> Any:
        try:
            return getattr(client, method)(*args, **keywords)
        except lean_sdk.LeanError as error:
            return error

    if mode == "sync":
        with client:
            return [once() for _ in range(repeat)]

    async def run() -> List[Any]:
        async def one() -> Any:
            try:
                return await getattr(client, method)(*args, **keywords)
            except lean_sdk.LeanError as error:
                return error

        async with client:
            return [await one() for _ in range(repeat)]

    return asyncio.run(run())


def substitute(text: str, hostile: Hostile, run: Dict[str, Any]) -> str:
    return text.replace("{other}", f"{hostile.other}/{run['id']}").replace("{self}", run["baseUrl"])


def check_outcome(outcome: Any, expect: Dict[str, Any], hostile: Hostile, run: Dict[str, Any], seen: Dict[str, Any]) -> None:
    if expect.get("result", "ok") == "ok":
        assert not isinstance(outcome, BaseException), f"expected success, got {outcome!r}: {outcome}"
        return
    assert isinstance(outcome, lean_sdk.LeanError), f"expected an error, got {outcome!r}"
    described = f"{outcome!r}: {outcome}"
    if "code" in expect:
        assert outcome.code == expect["code"], described
    # Booleans: absent means false.
    if "outcomeUnknown" in expect:
        assert bool(getattr(outcome, "outcome_unknown", False)) == expect["outcomeUnknown"], described
    if "applied" in expect:
        assert bool(getattr(outcome, "applied", False)) == expect["applied"], described
    if expect.get("idempotencyKeyReported"):
        # One key on every attempt, and the error names it.
        key = getattr(outcome, "idempotency_key", None)
        sent = {request.get("idempotencyKey") for request in seen["seen"]}
        assert key and sent == {key}, f"{described}: key {key!r}, the server saw {sent}"
    if "sentIds" in expect:
        reported = getattr(outcome, "sent_ids", None) or {}
        for name, value in expect["sentIds"].items():
            assert reported.get(name) == value, f"{described}: sent ids {reported}"
    if "location" in expect:
        assert getattr(outcome, "location", None) == substitute(expect["location"], hostile, run), described
    for secret in CREDENTIALS.values():
        assert secret not in repr(outcome) + str(outcome)


OUTCOME_KEYS = {"result", "code", "outcomeUnknown", "applied", "idempotencyKeyReported", "sentIds", "location"}
SERVER_KEYS = {"requests", "connections", "otherOriginRequests", "otherOriginCredentialHeaders", "seen"}


def run_scenario(scenario: Dict[str, Any], mode: str, hostile: Hostile) -> Dict[str, Any]:
    """Plays the scenario, checks it, and returns the server's report."""
    expect = scenario["expect"]
    unknown = set(expect) - OUTCOME_KEYS - SERVER_KEYS
    assert not unknown, f"expectations this runner does not know: {sorted(unknown)}"
    run = hostile.admin("POST", "/_hostile/runs", {"scenario": scenario["name"]})
    outcomes = perform(scenario["call"], run["baseUrl"], client_options(scenario.get("client") or {}), mode)
    seen: Dict[str, Any] = hostile.admin("GET", f"/_hostile/runs/{run['id']}")
    for number, outcome in enumerate(outcomes, 1):
        try:
            check_outcome(outcome, expect, hostile, run, seen)
        except AssertionError as error:
            raise AssertionError(f"call {number} of {len(outcomes)}: {error}") from None
    for key in ("requests", "connections", "otherOriginRequests"):
        if key in expect:
            assert seen[key] == expect[key], f"{key}: {seen}"
    if "seen" in expect:
        got = [(r["method"], r["path"]) for r in seen["seen"]]
        assert got == [(r["method"], r["path"]) for r in expect["seen"]], f"seen: {got}"
    if "otherOriginCredentialHeaders" in expect:
        assert sorted(seen["otherOriginCredentialHeaders"]) == sorted(expect["otherOriginCredentialHeaders"]), seen
    assert seen.get("otherOriginCredentialHeaders", []) == [], f"credentials reached another origin: {seen}"
    return seen


@pytest.mark.parametrize("scenario, mode", scenario_params("scenarios", MODES))
def test_scenario(scenario: Dict[str, Any], mode: str, hostile: Hostile) -> None:
    run_scenario(scenario, mode, hostile)


@pytest.mark.parametrize("scenario, mode", scenario_params("connectionScenarios", MODES))
def test_connection_scenario(scenario: Dict[str, Any], mode: str, hostile: Hostile) -> None:
    seen = run_scenario(scenario, mode, hostile)
    # The count, for the record of a run with -rA or -s.
    print(f"{scenario['name']} ({mode}): {seen['requests']} requests on {seen['connections']} connection(s)")


def test_the_standard_library_transport_opens_a_connection_per_request(hostile: Hostile) -> None:
    """The server's count tells the pooled default from urllib, which
    has no pool: the same five reads over UrllibTransport take five
    connections."""
    run = hostile.admin("POST", "/_hostile/runs", {"scenario": "payouts-get-gig-five-times-one-connection"})
    client = lean_sdk.LeanClient(CREDENTIALS["apiKey"], base_url=run["baseUrl"] + "/api", transport=lean_sdk.UrllibTransport(timeout=5))
    for _ in range(5):
        client.get_gig("g1")
    seen = hostile.admin("GET", f"/_hostile/runs/{run['id']}")
    assert (seen["requests"], seen["connections"]) == (5, 5), seen


class Counted:
    """A WSGI input that counts what the body reader took from it."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.taken = 0

    def read(self, n: int = -1) -> bytes:
        chunk: bytes = self.stream.read(n)
        self.taken += len(chunk)
        return chunk


class Receiver:
    """A loopback WSGI server whose one route reads the body with
    ``webhooks.read_body`` and answers 413 past the limit, 400 for a bad
    signature, 204 for a genuine webhook."""

    def __init__(self, limit: int) -> None:
        from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

        self.taken: List[int] = []
        receiver = self
        verifier = webhooks.WebhookVerifier("conformance-webhook-secret")

        def app(environ: Dict[str, Any], start_response: Any) -> List[bytes]:
            body = Counted(environ["wsgi.input"])
            try:
                raw = webhooks.read_body(body, environ.get("CONTENT_LENGTH"), limit=limit)
                verifier.construct_event(raw, environ.get("HTTP_X_LEAN_SIGNATURE"))
                status = "204 No Content"
            except lean_sdk.WebhookBodyTooLargeError:
                status = "413 Payload Too Large"
            except lean_sdk.LeanError:
                status = "400 Bad Request"
            receiver.taken.append(body.taken)
            start_response(status, [("content-length", "0")])
            return [b""]

        class Quiet(WSGIRequestHandler):
            def handle(self) -> None:
                super().handle()
                # Close gracefully: the sender is still writing the body the
                # helper refused, and a reset could discard the answer.
                try:
                    self.connection.shutdown(socket.SHUT_WR)
                    self.connection.settimeout(5)
                    while self.connection.recv(64 * 1024):
                        pass
                except OSError:
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.server = make_server("127.0.0.1", 0, app, server_class=WSGIServer, handler_class=Quiet)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def post(self, declared: Optional[int], body_bytes: int, chunk: int, interval: float) -> int:
        """Sends a POST announcing ``declared`` bytes (none: no
        ``Content-Length``, a stream of unknown length) and streams
        ``body_bytes`` in ``chunk``-byte pieces every ``interval`` seconds
        until the server answers; returns the status it answered."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=30) as connection:
            length = "" if declared is None else f"content-length: {declared}\r\n"
            connection.sendall(
                f"POST /lean/webhooks HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
                f"x-lean-signature: AAAA\r\n{length}\r\n".encode()
            )
            connection.setblocking(False)
            sent = 0
            answer = b""
            while sent < body_bytes and not answer:
                piece = b"x" * min(chunk, body_bytes - sent)
                try:
                    connection.sendall(piece)
                except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                    break
                sent += len(piece)
                try:
                    answer = connection.recv(64)
                except BlockingIOError:
                    pass
                if interval:
                    time.sleep(interval)
            connection.setblocking(True)
            while b"\r\n" not in answer:
                try:
                    more = connection.recv(64)
                except ConnectionResetError:
                    break
                if not more:
                    break
                answer += more
        assert answer.startswith(b"HTTP/"), f"no answer from the webhook receiver: {answer!r}"
        return int(answer.split(b" ", 2)[1])

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("scenario, mode", scenario_params("webhookScenarios", ["wsgi"]))
def test_webhook_scenario(scenario: Dict[str, Any], mode: str) -> None:
    limit = scenario.get("limitBytes", webhooks.MAX_BODY_BYTES)
    request = scenario["request"]
    declared = request.get("contentLength")
    interval = float(request.get("intervalMs", 0)) / 1000
    receiver = Receiver(limit)
    try:
        status = receiver.post(declared, request["bodyBytes"], request.get("chunkBytes", 64 * 1024), interval)
    finally:
        receiver.stop()
    assert status == scenario["expect"]["status"]
    assert receiver.taken and max(receiver.taken) <= limit + 1, f"read {receiver.taken} bytes past a limit of {limit}"
