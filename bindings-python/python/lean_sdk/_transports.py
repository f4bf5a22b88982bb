"""The default transports: a pooled ``httpx`` client for both clients,
:class:`HttpxSyncTransport` (sync, an ``httpx.Client``) and
:class:`HttpxTransport` (async, an ``httpx.AsyncClient``), each holding one
connection pool per SDK client so that sequential calls reuse a kept-alive
connection instead of paying a TCP and a TLS handshake each. The standard
library's ``urllib`` stays available as :class:`UrllibTransport`, one
connection per request, for code that must not depend on httpx.

Every one sends the request exactly as built, follows no redirects (a
redirect would re-send the API key to another address), bounds a whole
attempt by its timeout (reading the body included), and reports network
failures as :class:`lean_sdk.TransportError` with the kind the call engine
needs.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported at run time: import speed
if TYPE_CHECKING:
    import ssl
    from typing import Any, Iterator, List, Optional, TypeVar

    from ._engine import AsyncTransport, Transport

    C = TypeVar("C")

import threading
import time

from ._errors import TransportError
from ._http import HttpRequest, HttpResponse, _tls_failure

__all__ = ["HttpxSyncTransport", "HttpxTransport", "UrllibTransport"]


def _import_httpx(client: str) -> Any:
    try:
        import httpx
    except ImportError as error:  # pragma: no cover - depends on the install
        raise ImportError(
            f"{client}'s default transport needs httpx, a dependency of lean-sdk: pip install httpx "
            "(or pass transport=, for instance lean_sdk.UrllibTransport() for the standard library)"
        ) from error
    return httpx


def _httpx_failure(httpx: Any, error: Exception) -> TransportError:
    """An httpx network error (not an OSError) as a TransportError with the
    engine's kind."""
    if isinstance(error, httpx.TimeoutException):
        kind = "connect" if isinstance(error, httpx.ConnectTimeout) else "timeout"
        return TransportError(f"{type(error).__name__}: {error}", kind=kind)
    if isinstance(error, httpx.ConnectError):
        kind, hint = _tls_failure(error) or ("connect", "")
        return TransportError(f"ConnectError: {error}{hint}", kind=kind)
    hint = (_tls_failure(error) or ("other", ""))[1]
    return TransportError(f"{type(error).__name__}: {error}{hint}", kind="other")


class HttpxSyncTransport:
    """Sends requests with one ``httpx.Client`` (created on first use, or
    given): its pool keeps connections alive between calls, and it is safe
    to share between threads. ``timeout`` in seconds per attempt;
    ``ssl_context`` configures HTTPS (httpx's ``verify=``): the
    open-banking client passes one holding the client certificate (mutual
    TLS) and Lean's CA chain. Proxies come from the usual environment
    variables. Close it with :meth:`close` (the clients do so on
    ``close()`` and at the end of a ``with`` block)."""

    def __init__(self, timeout: float = 30.0, client: Optional[Any] = None, ssl_context: Optional[ssl.SSLContext] = None) -> None:
        self.timeout = timeout
        self._client = client
        self._owned = client is None
        self._ssl_context = ssl_context
        self._lock = threading.Lock()

    def _pool(self, httpx: Any) -> Any:
        with self._lock:
            if self._client is None:
                verify: Any = self._ssl_context if self._ssl_context is not None else True
                self._client = httpx.Client(timeout=self.timeout, follow_redirects=False, verify=verify)
            return self._client

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Sends one attempt; an error status is an answer, not an error.
        The body is read to its end, so the connection goes back to the
        pool."""
        httpx = _import_httpx("LeanClient")
        client = self._pool(httpx)
        deadline = time.monotonic() + self.timeout
        try:
            with client.stream(request.method, request.url, headers=request.headers, content=request.body) as answer:
                body = _within(answer.iter_bytes(), deadline, self.timeout)
                return HttpResponse(answer.status_code, answer.headers, body)
        except httpx.TransportError as error:
            raise _httpx_failure(httpx, error) from error

    def close(self) -> None:
        """Closes the pool's connections if this transport created it."""
        with self._lock:
            client, self._client = self._client, None
        if client is not None and self._owned:
            client.close()

    def __repr__(self) -> str:
        return f"HttpxSyncTransport(timeout={self.timeout})"


class UrllibTransport:
    """Sends requests with ``urllib.request``, one connection per request
    (no pool: pass it as ``transport=`` where httpx cannot be installed);
    ``timeout`` in seconds per attempt. Proxies come from the usual
    environment variables. ``ssl_context`` as for
    :class:`HttpxSyncTransport`."""

    def __init__(self, timeout: float = 30.0, ssl_context: Optional[ssl.SSLContext] = None) -> None:
        import urllib.request

        class _NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: Any, **kwargs: Any) -> None:
                return None

        self.timeout = timeout
        handlers: List[Any] = [_NoRedirect]
        if ssl_context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=ssl_context))
        self._opener = urllib.request.build_opener(*handlers)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Sends one attempt; an error status is an answer, not an error."""
        import http.client
        import urllib.error
        import urllib.request

        deadline = time.monotonic() + self.timeout
        outgoing = urllib.request.Request(request.url, data=request.body, headers=request.headers, method=request.method)
        try:
            with self._opener.open(outgoing, timeout=self.timeout) as answer:
                return HttpResponse(answer.status, dict(answer.headers.items()), _within(_pieces(answer), deadline, self.timeout))
        except urllib.error.HTTPError as error:
            try:
                body = _within(_pieces(error), deadline, self.timeout)
            except (OSError, http.client.HTTPException):
                body = b""
            return HttpResponse(error.code, dict(error.headers.items()) if error.headers else {}, body)
        except http.client.HTTPException as error:
            raise TransportError(f"{type(error).__name__}: {error}", kind="other") from error

    def __repr__(self) -> str:
        return f"UrllibTransport(timeout={self.timeout})"


def _pieces(answer: Any) -> Iterator[bytes]:
    """A urllib answer's body, by pieces as they arrive."""
    while True:
        piece = answer.read1(64 * 1024) if hasattr(answer, "read1") else answer.read(64 * 1024)
        if not piece:
            return
        yield piece


def _within(pieces: Iterator[bytes], deadline: float, timeout: float) -> bytes:
    """The body, read by pieces within the attempt's deadline: a server
    that sends it a byte at a time never trips the socket's own timeout,
    which restarts with every byte."""
    body: List[bytes] = []
    for piece in pieces:
        body.append(piece)
        if time.monotonic() > deadline:
            raise TransportError(f"the answer's body did not arrive within the {timeout} s timeout", kind="timeout")
    return b"".join(body)


class HttpxTransport:
    """Sends requests with one ``httpx.AsyncClient`` (created on first
    use, or given), whose pool keeps connections alive between calls;
    ``timeout`` in seconds per attempt; ``ssl_context`` as for
    :class:`HttpxSyncTransport`. Close it with :meth:`aclose` (the async
    clients do so on ``aclose()`` and at the end of ``async with``)."""

    def __init__(self, timeout: float = 30.0, client: Optional[Any] = None, ssl_context: Optional[ssl.SSLContext] = None) -> None:
        self.timeout = timeout
        self._client = client
        self._owned = client is None
        self._ssl_context = ssl_context

    async def __call__(self, request: HttpRequest) -> HttpResponse:
        """Sends one attempt; httpx's network errors become TransportError
        (they are not OSError), with the kind the engine needs."""
        httpx = _import_httpx("AsyncLeanClient")
        if self._client is None:
            verify: Any = self._ssl_context if self._ssl_context is not None else True
            self._client = httpx.AsyncClient(timeout=self.timeout, follow_redirects=False, verify=verify)
        import asyncio

        try:
            # The timeout bounds the whole attempt, not each read: a body
            # dripped a byte at a time would never trip httpx's own.
            sending = self._client.request(request.method, request.url, headers=request.headers, content=request.body)
            within = getattr(asyncio, "timeout", None)  # Python 3.11+: no task per attempt, as wait_for makes
            if within is None:
                answer = await asyncio.wait_for(sending, self.timeout)
            else:
                async with within(self.timeout):
                    answer = await sending
        except asyncio.TimeoutError as error:
            raise TransportError(f"no complete answer within the {self.timeout} s timeout", kind="timeout") from error
        except httpx.TransportError as error:
            raise _httpx_failure(httpx, error) from error
        return HttpResponse(answer.status_code, answer.headers, answer.content)

    async def aclose(self) -> None:
        """Closes the httpx client if this transport created it."""
        if self._client is not None and self._owned:
            await self._client.aclose()
            self._client = None

    def __repr__(self) -> str:
        return f"HttpxTransport(timeout={self.timeout})"



class _OwnTransport:
    """A client's transport (either API's): the one passed, or a pooled
    ``httpx`` transport of its own (``_pool``), which only the client
    closes."""

    _pool: Any
    _default: Any
    _transport: Any

    def _use(self, transport: Any, timeout: float, ssl_context: Optional[ssl.SSLContext] = None) -> None:
        self._default = None if transport is not None else self._pool(timeout, ssl_context=ssl_context)
        self._transport = transport if transport is not None else self._default


class _SyncClient(_OwnTransport):
    """What a blocking client does with its transport, closed by
    :meth:`close` or on leaving a ``with`` block."""

    _pool = HttpxSyncTransport
    _default: Optional[HttpxSyncTransport]
    _transport: Transport

    def __enter__(self: C) -> C:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Closes the default transport's connections (a transport you
        passed is yours to close). The client opens new ones if used
        again."""
        if self._default is not None:
            self._default.close()


class _AsyncClient(_OwnTransport):
    """:class:`_SyncClient` for the asyncio clients, with ``async with``."""

    _pool = HttpxTransport
    _default: Optional[HttpxTransport]
    _transport: AsyncTransport

    async def __aenter__(self: C) -> C:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Closes the default transport's connections."""
        if self._default is not None:
            await self._default.aclose()
