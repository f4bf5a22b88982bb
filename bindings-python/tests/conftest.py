"""Fixtures shared by the tests: the local sandbox (sandbox/README.md,
"Start-up contract") and a webhook receiver on a loopback port."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest

REPO = Path(__file__).resolve().parents[2]
API_KEY = "test_key_py"


def sandbox_binary() -> Path:
    """The sandbox built by the test script (LEAN_SANDBOX_BIN), else the
    workspace's debug build. Without one the test is skipped, or fails
    when the test script demands the sandbox (LEAN_REQUIRE_SANDBOX)."""
    given = os.environ.get("LEAN_SANDBOX_BIN")
    if given:
        return Path(given)
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    candidate = target / "debug" / "lean-sandbox"
    if not candidate.exists():
        if os.environ.get("LEAN_REQUIRE_SANDBOX") == "1":
            pytest.fail("the sandbox binary is missing (LEAN_SANDBOX_BIN)")
        pytest.skip("no sandbox built: cargo build -p lean-sandbox, or run scripts/test python")
    return candidate


class Sandbox:
    def __init__(self, *flags: str) -> None:
        binary = sandbox_binary()
        self.process = subprocess.Popen(
            [str(binary), "serve", "--port", "0", "--api-key", API_KEY, "--approval-delay", "50ms",
             "--settlement-delay", "50ms", "--webhook-backoff", "50ms", "--quiet", *flags],
            stdout=subprocess.PIPE, text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        assert line.startswith("listening on http://127.0.0.1:"), f"unexpected sandbox output: {line!r}"
        self.url = line[len("listening on "):]
        self.base_url = self.url + "/api"

    def register(self, url: str) -> None:
        request = urllib.request.Request(
            self.url + "/_sandbox/webhooks", data=json.dumps({"url": url}).encode(),
            headers={"content-type": "application/json"}, method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert 200 <= answer.status < 300

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


class Receiver:
    """Records every webhook delivery: (headers, raw body bytes)."""

    def __init__(self) -> None:
        self.deliveries: List[Tuple[Dict[str, str], bytes]] = []
        self.lock = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                with receiver.lock:
                    receiver.deliveries.append(({k.lower(): v for k, v in self.headers.items()}, body))
                    receiver.lock.notify_all()
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, predicate: Any, timeout: float = 15.0) -> Tuple[Dict[str, str], bytes]:
        """The first delivery for which ``predicate(headers, body)`` holds."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                for headers, body in self.deliveries:
                    if predicate(headers, body):
                        return headers, body
                left = deadline - time.monotonic()
                assert left > 0, f"no matching webhook in {timeout}s; got {[h.get('x-lean-event') for h, _ in self.deliveries]}"
                self.lock.wait(left)

    def stop(self) -> None:
        self.server.shutdown()


OB_APP_TOKEN = "sandbox-app-token"
OB_WEBHOOK_SECRET = "sandbox-webhook-secret"
OB_TOKEN_TTL = 2


class ObSandbox:
    """A sandbox for open banking, with its mTLS listener (test
    certificates generated into ``tls``) and short delays: results after
    100 ms, OAuth tokens living OB_TOKEN_TTL seconds."""

    def __init__(self, tls: Path) -> None:
        binary = sandbox_binary()
        self.tls = tls
        self.process = subprocess.Popen(
            [str(binary), "serve", "--port", "0", "--api-key", API_KEY, "--quiet", "--ob-results-delay", "100ms",
             "--ob-token-ttl", str(OB_TOKEN_TTL), "--ob-webhook-time-factor", "0.001", "--tls-port", "0", "--tls-dir", str(tls)],
            stdout=subprocess.PIPE, text=True,
        )
        assert self.process.stdout is not None
        first, second = self.process.stdout.readline().strip(), self.process.stdout.readline().strip()
        assert first.startswith("listening on http://127.0.0.1:"), first
        assert second.startswith("listening (mTLS) on https://127.0.0.1:"), second
        self.url = first[len("listening on "):]
        self.mtls_url = second[len("listening (mTLS) on "):]

    def admin(self, path: str, body: Dict[str, Any]) -> Any:
        """POSTs to an admin route (``/_sandbox/...``); returns its JSON."""
        request = urllib.request.Request(
            self.url + path, data=json.dumps(body).encode(), headers={"content-type": "application/json"}, method="POST"
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read() or b"null")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="session")
def ob_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ObSandbox]:
    server = ObSandbox(tmp_path_factory.mktemp("tls"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    server = Sandbox()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def receiver(sandbox: Sandbox) -> Iterator[Receiver]:
    receiving = Receiver()
    sandbox.register(receiving.url)
    yield receiving
    receiving.stop()
