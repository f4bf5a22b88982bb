"""The default transports: the standard library's ``urllib`` for
:class:`lean_sdk.LeanClient` (no dependency at all) and ``httpx`` for
:class:`lean_sdk.AsyncLeanClient` (the ``lean-sdk[httpx]`` extra).

Both send the request exactly as built, follow no redirects (a redirect
would re-send the API key to another address), and report network failures
as :class:`lean_sdk.TransportError` with the kind the call engine needs.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported at run time: import speed
if TYPE_CHECKING:
    import ssl
    from typing import Any, List, Optional

import time

from ._errors import TransportError
from ._http import HttpRequest, HttpResponse, _tls_failure

__all__ = ["UrllibTransport", "HttpxTransport"]


class UrllibTransport:
    """Sends requests with ``urllib.request``; ``timeout`` in seconds per
    attempt. Proxies come from the usual environment variables.
    ``ssl_context`` configures HTTPS: the open-banking client passes one
    holding the client certificate (mutual TLS) and Lean's CA chain."""

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
                return HttpResponse(answer.status, dict(answer.headers.items()), _read(answer, deadline, self.timeout))
        except urllib.error.HTTPError as error:
            try:
                body = _read(error, deadline, self.timeout)
            except (OSError, http.client.HTTPException):
                body = b""
            return HttpResponse(error.code, dict(error.headers.items()) if error.headers else {}, body)
        except http.client.HTTPException as error:
            raise TransportError(f"{type(error).__name__}: {error}", kind="other") from error

    def __repr__(self) -> str:
        return f"UrllibTransport(timeout={self.timeout})"


def _read(answer: Any, deadline: float, timeout: float) -> bytes:
    """The body, read by pieces within the attempt's deadline: a server
    that sends it a byte at a time never trips the socket's own timeout,
    which restarts with every byte."""
    pieces: List[bytes] = []
    while True:
        if time.monotonic() > deadline:
            raise TransportError(f"the answer's body did not arrive within the {timeout} s timeout", kind="timeout")
        piece = answer.read1(64 * 1024) if hasattr(answer, "read1") else answer.read(64 * 1024)
        if not piece:
            return b"".join(pieces)
        pieces.append(piece)


class HttpxTransport:
    """Sends requests with an ``httpx.AsyncClient`` (created on first use,
    or given); ``timeout`` in seconds per attempt; ``ssl_context`` as for
    :class:`UrllibTransport` (httpx's ``verify=``). Close it with
    :meth:`aclose` (the async client does so on exit)."""

    def __init__(self, timeout: float = 30.0, client: Optional[Any] = None, ssl_context: Optional[ssl.SSLContext] = None) -> None:
        self.timeout = timeout
        self._client = client
        self._owned = client is None
        self._ssl_context = ssl_context

    async def __call__(self, request: HttpRequest) -> HttpResponse:
        """Sends one attempt; httpx's network errors become TransportError
        (they are not OSError), with the kind the engine needs."""
        try:
            import httpx
        except ImportError as error:  # pragma: no cover - depends on the install
            raise ImportError(
                "AsyncLeanClient's default transport needs httpx: pip install 'lean-sdk[httpx]', or pass transport="
            ) from error
        if self._client is None:
            verify: Any = self._ssl_context if self._ssl_context is not None else True
            self._client = httpx.AsyncClient(timeout=self.timeout, follow_redirects=False, verify=verify)
        import asyncio

        try:
            # The timeout bounds the whole attempt, not each read: a body
            # dripped a byte at a time would never trip httpx's own.
            sending = self._client.request(request.method, request.url, headers=request.headers, content=request.body)
            answer = await asyncio.wait_for(sending, self.timeout)
        except asyncio.TimeoutError as error:
            raise TransportError(f"no complete answer within the {self.timeout} s timeout", kind="timeout") from error
        except httpx.TimeoutException as error:
            kind = "connect" if isinstance(error, httpx.ConnectTimeout) else "timeout"
            raise TransportError(f"{type(error).__name__}: {error}", kind=kind) from error
        except httpx.ConnectError as error:
            kind, hint = _tls_failure(error) or ("connect", "")
            raise TransportError(f"ConnectError: {error}{hint}", kind=kind) from error
        except httpx.TransportError as error:
            hint = (_tls_failure(error) or ("other", ""))[1]
            raise TransportError(f"{type(error).__name__}: {error}{hint}", kind="other") from error
        return HttpResponse(answer.status_code, answer.headers, answer.content)

    async def aclose(self) -> None:
        """Closes the httpx client if this transport created it."""
        if self._client is not None and self._owned:
            await self._client.aclose()
            self._client = None

    def __repr__(self) -> str:
        return f"HttpxTransport(timeout={self.timeout})"
