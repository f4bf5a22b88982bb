"""Keyword arguments of the open-banking creates, for type checkers.

Every key is optional here because the core validates presence and reports
every missing field at once (``ValidationError``). Names are the API's own
(snake_case). Amounts are ``str``, ``int`` or ``Decimal``, never ``float``.
Optional fields also take ``None``, meaning absent (so a result's optional
id can be passed on as it is).
"""

from __future__ import annotations

from typing import List, Optional, TypedDict

from .._types import Amount


class GovernmentIdentifier(TypedDict):
    """``{"type": "EMIRATES_ID", "value": "784-1990-1234567-1"}``."""

    type: str
    value: str


class NewCustomerFields(TypedDict, total=False):
    """``create_customer`` keywords."""

    app_user_id: str
    government_identifiers: List[GovernmentIdentifier]


class PaymentIntentFields(TypedDict, total=False):
    """``create_payment_intent`` keywords."""

    customer_id: str
    amount: Amount
    currency: str
    description: Optional[str]
    payment_destination_id: Optional[str]
    purpose_code: Optional[str]


class DestinationFields(TypedDict, total=False):
    """``create_payment_destination`` keywords."""

    display_name: str
    name: str
    bank_identifier: Optional[str]
    iban: str
    bank_type: Optional[str]
    government_identifier: Optional[GovernmentIdentifier]
    account_number: Optional[str]
    swift_code: Optional[str]
    address: Optional[str]
    city: Optional[str]
    country: Optional[str]
