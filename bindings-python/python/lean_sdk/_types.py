"""Keyword arguments of the operations, for type checkers.

Every key is optional here because the core validates presence and
reports every missing field at once (``ValidationError``); the types say
what each field accepts. Amounts are ``str``, ``int`` or ``Decimal``, never
``float``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Dict, TypedDict, Union

Amount = Union[str, int, Decimal]
"""An exact amount: ``"15.00"``, ``Decimal("15.00")`` or ``15``."""

DateLike = Union[str, datetime.date]
"""ISO 8601 text, or a ``date``/``datetime`` (sent as its ISO text)."""


class CustomerUpdateFields(TypedDict, total=False):
    """``update_customer`` keywords: only the fields to change."""

    first_name: str
    middle_name: str
    last_name: str
    birthday: DateLike
    phone_number: str
    email: str
    street: str
    street2: str
    city: str
    state: str
    postal_code: str
    registration_date: DateLike


class CustomerFields(CustomerUpdateFields, total=False):
    """``create_customer`` keywords: those of ``update_customer`` and the
    customer's ``partner_user_id``."""

    partner_user_id: str


class GigFields(TypedDict, total=False):
    """``create_gig`` keywords."""

    partner_user_id: str
    total_amount: Amount
    tips: Amount
    expenses: Amount
    description: str
    gig_id: str
    start_time: DateLike
    end_time: DateLike


class SpecialPaymentFields(TypedDict, total=False):
    """``create_special_payment`` keywords."""

    partner_user_id: str
    amount: Amount
    type: str
    gig_id: str
    description: str
    userdata: Dict[str, Any]
