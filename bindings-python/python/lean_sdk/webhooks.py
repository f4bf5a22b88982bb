"""Webhook signatures and events.

Lean signs each webhook body with HMAC-SHA1 under your secret and sends the
base64 digest in the ``x-lean-signature`` header. Verify the **raw body
bytes exactly as received**, before parsing them: a body parsed and
re-serialised no longer matches. In a server, build one
:class:`WebhookVerifier` at start-up and reuse it::

    verifier = webhooks.WebhookVerifier(os.environ["LEAN_WEBHOOK_SECRET"])
    event = verifier.construct_event(raw_body, headers.get("x-lean-signature"))

Several secrets may be given at once, so that a secret can be rotated
without dropping webhooks. Failures raise
:class:`lean_sdk.WebhookSignatureError` (answer 400 and ignore the body).

Read the body with :func:`read_body` (a WSGI or Flask stream, a Django
request) or :func:`read_body_async` (Starlette/FastAPI ``request.stream()``):
they refuse a body over ``limit`` bytes (default :data:`MAX_BODY_BYTES`)
with :class:`lean_sdk.WebhookBodyTooLargeError` (answer 413) without
buffering it, checking ``Content-Length`` first.

Payouts webhooks carry no event id and no timestamp, and Lean may deliver
one more than once: skip an event whose :attr:`WebhookEvent.dedup_key`
was already handled.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported at run time: import speed
if TYPE_CHECKING:
    from typing import Any, AsyncIterable, Iterable, List, Optional, Union

from . import _native
from ._errors import WebhookBodyTooLargeError
from ._models import WebhookEvent

__all__ = [
    "SIGNATURE_HEADER",
    "MAX_BODY_BYTES",
    "WebhookVerifier",
    "sign",
    "verify",
    "construct_event",
    "read_body",
    "read_body_async",
]

#: The header that carries the signature.
SIGNATURE_HEADER = "x-lean-signature"

#: The default largest body :func:`read_body` accepts (1 MiB): far above
#: any webhook Lean sends, small enough that a flood of large unsigned
#: requests cannot exhaust memory.
MAX_BODY_BYTES = 1024 * 1024

_CHUNK = 64 * 1024

if TYPE_CHECKING:
    Payload = Union[bytes, bytearray, memoryview, str]
    """The raw request body; ``str`` is read as its UTF-8 bytes."""

    Secrets = Union[str, bytes, Iterable[Union[str, bytes]]]
    """One secret, or several during a rotation."""


class WebhookVerifier(_native.WebhookVerifier):
    """Verifies webhooks against one or more secrets, with each secret's
    HMAC key state computed once, here. ``verify`` is native code: it reads
    ``bytes`` in place and compares in constant time."""

    def construct_event(self, payload: Payload, signature: Optional[str]) -> WebhookEvent:
        """Verifies ``payload``, then parses it into a :class:`WebhookEvent`
        (raises ``WebhookSignatureError``, or ``WebhookPayloadError`` for a
        signed body that is not an event)."""
        return WebhookEvent(self.construct_event_json(payload, signature))


def sign(payload: Payload, secret: Union[str, bytes]) -> str:
    """The signature Lean would send for ``payload`` (for tests, and for
    replaying webhooks locally)."""
    return _native.sign(payload, secret)


def verify(payload: Payload, signature: Optional[str], secret_or_secrets: Secrets) -> None:
    """Raises :class:`lean_sdk.WebhookSignatureError` unless ``signature``
    (the ``x-lean-signature`` header, ``None`` when absent) is valid for
    ``payload`` under one of the secrets. Prefer a reused
    :class:`WebhookVerifier` in servers."""
    WebhookVerifier(secret_or_secrets).verify(payload, signature)


def construct_event(payload: Payload, signature: Optional[str], secret_or_secrets: Secrets) -> WebhookEvent:
    """:func:`verify`, then the parsed :class:`WebhookEvent`."""
    return WebhookVerifier(secret_or_secrets).construct_event(payload, signature)


def read_body(stream: Any, content_length: Union[str, int, None] = None, *, limit: int = MAX_BODY_BYTES) -> bytes:
    """Reads a webhook request body from ``stream`` (anything with
    ``read(n)``: Flask's ``request.stream``, WSGI's ``wsgi.input``, a Django
    ``request``), refusing one over ``limit`` bytes before buffering it:
    ``content_length`` (the header, when sent) is checked first, then
    reading stops past the limit. Raises
    :class:`lean_sdk.WebhookBodyTooLargeError` (answer 413)."""
    _check_declared(content_length, limit)
    chunks: List[bytes] = []
    size = 0
    while True:
        chunk = stream.read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise WebhookBodyTooLargeError(limit)
        chunks.append(bytes(chunk))


async def read_body_async(
    chunks: AsyncIterable[bytes], content_length: Union[str, int, None] = None, *, limit: int = MAX_BODY_BYTES
) -> bytes:
    """:func:`read_body` for an asynchronous body, such as Starlette's and
    FastAPI's ``request.stream()``: it stops at the first chunk past
    ``limit``."""
    _check_declared(content_length, limit)
    body = bytearray()
    async for chunk in chunks:
        if len(body) + len(chunk) > limit:
            raise WebhookBodyTooLargeError(limit)
        body += chunk
    return bytes(body)


def _check_declared(content_length: Union[str, int, None], limit: int) -> None:
    """Refuses a declared length over the limit before anything is read (a
    malformed header is left to the reading, which is bounded anyway)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise ValueError(f"limit must be a number of bytes, 0 or more, got {limit!r}")
    if content_length is None:
        return
    text = str(content_length).strip()
    if text.isdigit() and (len(text) > 18 or int(text) > limit):
        raise WebhookBodyTooLargeError(limit)
