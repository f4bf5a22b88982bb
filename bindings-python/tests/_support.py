"""Small helpers the tests of both APIs share: a canned transport, a run
across threads and a loopback HTTP server."""

from __future__ import annotations

import http.server
import threading
from typing import Any, Callable, List, Union

import lean_sdk


class Canned:
    """A transport that records every request and answers each with
    ``reply``, or raises it when it is an exception (what a failing
    network or proxy would raise)."""

    def __init__(self, reply: Union[lean_sdk.HttpResponse, BaseException]) -> None:
        self.reply = reply
        self.requests: List[lean_sdk.HttpRequest] = []

    def __call__(self, request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        self.requests.append(request)
        if isinstance(self.reply, BaseException):
            raise self.reply
        return self.reply


def in_threads(work: Callable[[], object], count: int) -> List[BaseException]:
    """Runs ``work`` in ``count`` threads at once; returns what any of them
    raised."""
    failures: List[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # reported to the caller
            failures.append(error)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


class Server:
    """A loopback server answering every request with ``status`` and
    ``headers``; ``seen`` records (method, path, headers)."""

    def __init__(self, status: int, headers: Any = (), body: bytes = b"{}") -> None:
        self.seen: List[Any] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                self.rfile.read(length)
                server.seen.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_PATCH = answer

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
