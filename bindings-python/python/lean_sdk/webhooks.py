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
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported at run time: import speed
if TYPE_CHECKING:
    from typing import Iterable, Optional, Union

from . import _native
from ._models import WebhookEvent

__all__ = ["SIGNATURE_HEADER", "WebhookVerifier", "sign", "verify", "construct_event"]

#: The header that carries the signature.
SIGNATURE_HEADER = "x-lean-signature"

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
