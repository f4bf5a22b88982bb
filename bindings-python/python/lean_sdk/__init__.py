"""The Lean Payouts API for Python.

One Rust core validates every input with the server's rules, builds each
request, parses each answer, retries safely (idempotency keys, gig
reconciliation: a script never pays twice) and verifies webhook
signatures; this package wraps it with idiomatic clients::

    import lean_sdk

    client = lean_sdk.LeanClient(api_key)
    gig = client.create_gig(partner_user_id="uid_1", gig_id="gig_1",
                            total_amount="15.00", tips="3.00", expenses="2.00",
                            description="Gig Payout",
                            start_time="2021-03-01T21:04:04",
                            end_time="2021-03-01T21:31:05")

Errors are :class:`LeanError` subclasses. Every result and every error
lists the requests its call sent (``attempts``, each an :class:`Attempt`
with its status and request id), and the ``lean_sdk`` logger (or
``LEAN_LOG=debug``) shows what each call did: see the README's
"Debugging". See :mod:`lean_sdk.webhooks` for
webhooks, and :mod:`lean_sdk.openbanking` for Lean's open-banking API
(bank data and payments), imported on demand.
"""

from __future__ import annotations

from . import webhooks
from ._attempts import Attempt
from ._client import AsyncLeanClient, LeanClient
from ._errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    FieldError,
    InvalidResponseError,
    LeanError,
    NotFoundError,
    RateLimitError,
    RedirectError,
    ServerError,
    ServiceUnavailableError,
    TransportError,
    ValidationError,
    WebhookBodyTooLargeError,
    WebhookPayloadError,
    WebhookSignatureError,
)
from ._http import HttpRequest, HttpResponse
from ._models import Application, Customer, Gig, ResultList, SpecialPayment, WebhookEvent
from ._native import SDK_VERSION as __version__
from ._native import Config
from ._operations import validate
from ._transports import HttpxSyncTransport, HttpxTransport, UrllibTransport

__all__ = [
    "LeanClient",
    "AsyncLeanClient",
    "Config",
    "validate",
    "webhooks",
    "HttpRequest",
    "HttpResponse",
    "UrllibTransport",
    "HttpxSyncTransport",
    "HttpxTransport",
    "Customer",
    "Gig",
    "SpecialPayment",
    "Application",
    "WebhookEvent",
    "ResultList",
    "Attempt",
    "LeanError",
    "FieldError",
    "ValidationError",
    "ConfigurationError",
    "ApiError",
    "BadRequestError",
    "AuthenticationError",
    "NotFoundError",
    "RateLimitError",
    "ServiceUnavailableError",
    "ServerError",
    "TransportError",
    "InvalidResponseError",
    "RedirectError",
    "ConflictError",
    "WebhookSignatureError",
    "WebhookPayloadError",
    "WebhookBodyTooLargeError",
    "__version__",
]
