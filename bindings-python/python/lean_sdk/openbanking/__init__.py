"""Lean's open-banking API (bank data and payments) for Python, beside the
payouts client of :mod:`lean_sdk`.

The same Rust core validates every input, builds each request, reads each
answer (amounts as ``Decimal``), retries reads safely, makes creating a
customer idempotent, drives OAuth, and verifies ``lean-signature``
webhooks::

    from lean_sdk import openbanking

    client = openbanking.OpenBankingClient(app_token, environment="uae-sandbox")
    customer = client.create_customer(app_user_id="user-42")
    balance = client.get_balance(entity_id, account_id, async_=True)
    if balance.is_pending:      # fetch it after the results.ready webhook
        balance = client.get_data_results(balance.results_id)

Errors are the :mod:`lean_sdk` exceptions (``ApiError.api_code`` holds the
API's own code, such as ``CUSTOMER_ALREADY_EXISTS``); see
:mod:`lean_sdk.openbanking.webhooks` for webhooks.
"""

from __future__ import annotations

from .. import _native
from . import webhooks
from ._calls import operation_name
from ._client import AsyncOpenBankingClient, OpenBankingClient
from ._models import (
    Bank,
    BankAvailability,
    Customer,
    CustomerPage,
    DataPage,
    DataRefresh,
    DataResult,
    Destination,
    Entity,
    Payment,
    PaymentIntent,
    PaymentIntentCreated,
    PaymentSource,
    Permissions,
    ResultsReady,
    WebhookEvent,
)

TYPE_CHECKING = False  # typing itself is not imported at run time: import speed
if TYPE_CHECKING:
    from typing import Any, Mapping, Optional

    from .._http import HttpResponse

Environment = _native.Environment
Token = _native.Token

__all__ = [
    "OpenBankingClient",
    "AsyncOpenBankingClient",
    "Environment",
    "Token",
    "parse_token",
    "validate",
    "webhooks",
    "Customer",
    "CustomerPage",
    "Entity",
    "Permissions",
    "DataResult",
    "DataPage",
    "PaymentIntent",
    "Destination",
    "Bank",
    "Payment",
    "ResultsReady",
    "PaymentIntentCreated",
    "PaymentSource",
    "DataRefresh",
    "BankAvailability",
    "WebhookEvent",
]


def parse_token(response: HttpResponse, received_at: float, *, renewal_margin: float = 60.0) -> Token:
    """Reads the OAuth token endpoint's answer received at ``received_at``
    (``time.time()``), for applications that fetch tokens themselves (the
    clients do it for you with ``client_id=``/``client_secret=``). Raises
    the API's error for a refusal, ``InvalidResponseError`` for an answer
    that is not a token."""
    headers = [(str(k), str(v)) for k, v in response.headers.items()]
    return _native.Token.parse(response.status, headers, response.body, float(received_at), float(renewal_margin))


def validate(operation: str, data: Optional[Mapping[str, Any]] = None, /, **fields: Any) -> str:
    """Validates the input of ``operation`` (``"create_payment_intent"`` or
    ``"createPaymentIntent"``, ...) exactly as the clients would, without
    sending anything, and returns the JSON body they would send (``""`` for
    operations without one). Raises :class:`lean_sdk.ValidationError`
    listing every invalid field: use it to check a form first."""
    from ._calls import _body

    body = _native.ob_validate({"operation": operation_name(operation), "input": _body(data, fields)})
    return body if body is not None else ""
