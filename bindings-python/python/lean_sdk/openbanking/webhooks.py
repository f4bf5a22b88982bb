"""Open-banking webhook signatures and events.

Lean signs each open-banking webhook with HMAC-SHA512 over the raw body,
keyed with the application's webhook secret, and sends
``lean-signature: sha512=<digest>`` (hex or base64: both are accepted).
Verify the **raw body bytes exactly as received**, before parsing them. In
a server, build one :class:`WebhookVerifier` at start-up and reuse it; pass
several secrets during a rotation::

    verifier = webhooks.WebhookVerifier(os.environ["LEAN_OB_WEBHOOK_SECRET"])
    event = verifier.construct_event(raw_body, headers.get("lean-signature"))

**Answer HTTP 200 to every webhook you accept**: Lean counts anything else
(or no answer within 10 seconds) as a failure, retries after 1, 2, 5, 10,
60 and 180 minutes, and holds back later webhooks meanwhile. Retries are
duplicates: skip an ``event.event_id`` already handled. A body whose
signature fails raises :class:`lean_sdk.WebhookSignatureError`: answer 400
and ignore it. Read the body with :func:`read_body` or
:func:`read_body_async`, which answer a body over ``limit`` bytes (default
1 MiB) with :class:`lean_sdk.WebhookBodyTooLargeError` (answer 413) without
buffering it.
"""

from __future__ import annotations

from .. import _native
from ..webhooks import MAX_BODY_BYTES, read_body, read_body_async
from ._client import _decode
from ._models import WebhookEvent

TYPE_CHECKING = False  # typing itself is not imported at run time: import speed
if TYPE_CHECKING:
    from typing import Optional, Tuple, Union

    from ..webhooks import Payload, Secrets

__all__ = [
    "SIGNATURE_HEADER",
    "ACKNOWLEDGE_STATUS",
    "MAX_BODY_BYTES",
    "RETRY_SCHEDULE_MINUTES",
    "WebhookVerifier",
    "sign",
    "verify",
    "construct_event",
    "read_body",
    "read_body_async",
]

#: The header that carries the signature.
SIGNATURE_HEADER = "lean-signature"

#: The status a receiver must answer to every webhook it accepts.
ACKNOWLEDGE_STATUS = 200

#: When Lean retries a webhook not answered with 200, in minutes after the
#: first attempt.
RETRY_SCHEDULE_MINUTES: Tuple[int, ...] = (1, 2, 5, 10, 60, 180)


class WebhookVerifier(_native.ObWebhookVerifier):
    """Verifies open-banking webhooks against one or more secrets, each
    secret's HMAC key state computed once, here. ``verify`` is native code:
    it reads ``bytes`` in place and compares in constant time."""

    def construct_event(self, payload: Payload, signature: Optional[str]) -> WebhookEvent:
        """Verifies ``payload``, then parses it into a :class:`WebhookEvent`
        (raises ``WebhookSignatureError``, or ``WebhookPayloadError`` for a
        signed body that is not an event)."""
        return WebhookEvent(_decode(self.construct_event_json(payload, signature)))


def sign(payload: Payload, secret: Union[str, bytes]) -> str:
    """The header value Lean would send for ``payload``: ``sha512=<hex>``
    (for tests, and for replaying webhooks locally)."""
    return _native.ob_sign(payload, secret)


def verify(payload: Payload, signature: Optional[str], secret_or_secrets: Secrets) -> None:
    """Raises :class:`lean_sdk.WebhookSignatureError` unless ``signature``
    (the ``lean-signature`` header, ``None`` when absent) is valid for
    ``payload`` under one of the secrets. Prefer a reused
    :class:`WebhookVerifier` in servers."""
    WebhookVerifier(secret_or_secrets).verify(payload, signature)


def construct_event(payload: Payload, signature: Optional[str], secret_or_secrets: Secrets) -> WebhookEvent:
    """:func:`verify`, then the parsed :class:`WebhookEvent`."""
    return WebhookVerifier(secret_or_secrets).construct_event(payload, signature)
