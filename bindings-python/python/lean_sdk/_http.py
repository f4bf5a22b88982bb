"""The HTTP messages exchanged with a transport.

A transport is any callable taking an :class:`HttpRequest` and returning an
:class:`HttpResponse` (a coroutine function for the async client). It
reports a network failure by raising ``OSError`` (which covers
``ConnectionError``, ``TimeoutError`` and the errors of ``urllib`` and
``requests``) or :class:`lean_sdk.TransportError`; the call engine counts
that as an attempt whose outcome is unknown and decides whether to retry.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported at run time: import speed
if TYPE_CHECKING:
    from typing import Any, Dict, Mapping, Optional, Tuple

from ._errors import TransportError

__all__ = ["HttpRequest", "HttpResponse"]


class HttpRequest:
    """A request built by the SDK, to be sent exactly as is.

    ``headers`` is a dict of lower-case names; ``body`` the body as bytes,
    or ``None``. Its ``repr()`` hides every credential: the
    ``authorization`` and ``lean-app-token`` headers, and a form body (the
    OAuth token request, which holds the client secret).
    """

    __slots__ = ("method", "url", "headers", "body")

    def __init__(self, method: str, url: str, headers: Mapping[str, str], body: Optional[bytes] = None) -> None:
        self.method = method
        self.url = url
        self.headers: Dict[str, str] = Headers(headers)
        self.body = body

    def __repr__(self) -> str:
        form = any(k.lower() == "content-type" and "x-www-form-urlencoded" in v for k, v in self.headers.items())
        body = "<redacted>" if form and self.body else repr(self.body)
        return f"HttpRequest(method={self.method!r}, url={self.url!r}, headers={self.headers!r}, body={body})"


_SECRET_HEADERS = frozenset(("authorization", "lean-app-token", "proxy-authorization", "cookie", "set-cookie"))


class Headers(dict[str, str]):
    """A plain ``dict`` of headers whose ``repr()`` and ``str()`` hide the
    credentials, so that logging ``request.headers`` leaks nothing."""

    def __repr__(self) -> str:
        return repr({k: ("<redacted>" if k.lower() in _SECRET_HEADERS else v) for k, v in self.items()})

    __str__ = __repr__


class HttpResponse:
    """An answer from the transport: status, headers (any mapping; names in
    any case) and the raw body bytes."""

    __slots__ = ("status", "headers", "body")

    def __init__(self, status: int, headers: Mapping[str, str], body: bytes = b"") -> None:
        # A status outside 100-599 is the core's to handle (like a server
        # error); one outside 0-65535 cannot be carried to it at all.
        if isinstance(status, bool) or not isinstance(status, int) or not 0 <= status <= 65535:
            raise TypeError(f"HttpResponse status must be a whole number from 0 to 65535, got {status!r}")
        if isinstance(body, str):
            body = body.encode("utf-8")
        if not isinstance(body, (bytes, bytearray, memoryview)):
            raise TypeError(f"HttpResponse body must be bytes, got {type(body).__name__}")
        self.status = status
        self.headers = headers
        self.body = bytes(body)

    def __repr__(self) -> str:
        # An OAuth token answer holds the access token: never shown.
        body = "<redacted>" if b'"access_token"' in self.body else repr(self.body)
        return f"HttpResponse(status={self.status!r}, headers={Headers(self.headers.items())!r}, body={body})"


def _request(step: Tuple[Any, ...]) -> HttpRequest:
    """The request of a ``("send", method, url, headers, body, ...)`` step."""
    _, method, url, headers, body = step[:5]
    return HttpRequest(method, url, dict(headers), body)


def _failure(error: BaseException) -> Tuple[str, str]:
    """The engine's kind of a transport failure, and its description."""
    if isinstance(error, TransportError):
        return error.kind, str(error)
    reason = getattr(error, "reason", None)  # urllib.error.URLError wraps the cause
    cause = reason if isinstance(reason, BaseException) else error
    import socket

    tls = _tls_failure(cause)
    if tls is not None:
        return tls[0], f"{type(cause).__name__}: {cause}{tls[1]}"
    if isinstance(cause, (TimeoutError, socket.timeout)):
        kind = "timeout"
    elif isinstance(cause, (ConnectionRefusedError, socket.gaierror)):
        kind = "connect"
    else:
        kind = "other"
    return kind, f"{type(cause).__name__}: {cause}"


def _tls_failure(error: BaseException) -> Optional[Tuple[str, str]]:
    """For a failed TLS handshake (anywhere in the chain of causes): the
    engine's kind and what to check. An untrusted server certificate stops
    the handshake before anything is sent (``connect``); a server that
    refuses the client certificate may do so after the request left
    (``other``)."""
    import ssl

    seen: Optional[BaseException] = error
    for _ in range(8):
        if seen is None:
            break
        if isinstance(seen, ssl.SSLCertVerificationError):
            return "connect", " (TLS: the server's certificate is not trusted; pass the CA chain that signed it: ca=)"
        if isinstance(seen, ssl.SSLError):
            return "other", " (TLS failed: a server that requires mutual TLS needs a client certificate and key it trusts: cert=)"
        seen = seen.__cause__ or seen.__context__
    return None
