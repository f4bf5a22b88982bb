"""Typed open-banking results, with the API's own snake_case names.

Each result keeps the JSON object it was read from, so ``to_dict()`` gives
back the API's shape (unknown fields kept). Typed amounts (a payment
intent's ``amount``) are ``decimal.Decimal``. A data payload is the bank's
own JSON, untyped: the core hands every number a float could alter
(balances, transaction amounts) over as a string of its exact text, so
``Decimal(payload["balance"])`` is exact and nothing passes through a float.
"""

from __future__ import annotations

from .._models import _Envelope, _fields_of, _Record

TYPE_CHECKING = False  # typing itself is not imported at run time: import speed
if TYPE_CHECKING:
    from decimal import Decimal
    from typing import Any, Dict, List, Optional, Tuple, Union


def _plain(names: Tuple[str, ...], amounts: Tuple[str, ...] = ()) -> Tuple[Tuple[str, str, bool], ...]:
    """The ``_fields`` of an open-banking record: its wire names are the
    attributes' own (snake_case)."""
    return _fields_of(names, amounts=amounts, camel_case=False)


class Customer(_Record):
    """A customer of the application: Lean's ``customer_id`` and your own
    ``app_user_id``."""

    __slots__ = ("customer_id", "app_user_id")
    _fields = _plain(__slots__)
    customer_id: str
    app_user_id: Optional[str]


class CustomerPage(_Record):
    """One page of ``list_customers``: ``customers``, and the page's other
    fields (``page_number``, ``total_pages``...) in ``to_dict()``."""

    __slots__ = ("customers",)
    customers: List[Customer]

    def __init__(self, data: Dict[str, Any]) -> None:
        super().__init__(data)
        self.customers = [Customer(c) for c in data.get("customers", ())]

    def __iter__(self) -> Any:
        return iter(self.customers)

    def __len__(self) -> int:
        return len(self.customers)

    def __repr__(self) -> str:
        return f"CustomerPage(customers={self.customers!r})"


class Permissions(_Record):
    """What the customer allowed Lean to read from a bank (``None``: the
    answer did not say)."""

    __slots__ = ("identity", "accounts", "balance", "transactions")
    _fields = _plain(__slots__)
    identity: Optional[bool]
    accounts: Optional[bool]
    balance: Optional[bool]
    transactions: Optional[bool]


class Entity(_Record):
    """A customer's connection to one bank: its ``id`` is the
    ``entity_id`` of the data calls."""

    __slots__ = ("id", "customer_id", "bank_identifier", "app_user_id", "permissions")
    _fields = _plain(("id", "customer_id", "bank_identifier", "app_user_id"))
    id: str
    customer_id: Optional[str]
    bank_identifier: Optional[str]
    #: The application's own id of the customer, as ``entity.created`` sends it.
    app_user_id: Optional[str]
    permissions: Optional[Permissions]

    def __init__(self, data: Dict[str, Any]) -> None:
        super().__init__(data)
        raw = data.get("permissions")
        self.permissions = Permissions(raw) if isinstance(raw, dict) else None


class DataResult(_Record):
    """The answer of a data call (identity, accounts, balance,
    transactions) or of ``get_data_results``.

    ``status`` is ``OK`` (the data is in ``payload``) or ``PENDING``: the
    bank is slow, so Lean answers later. Keep ``results_id``, wait for the
    ``results.ready`` webhook, then call ``get_data_results(results_id)``.
    A ``FAILED`` answer is never a result: it raises ``ApiError`` with
    ``api_code == "FAILED"``.
    """

    __slots__ = ("status", "payload", "results_id", "message", "timestamp")
    _fields = _plain(__slots__)
    status: str
    payload: Any
    results_id: Optional[str]
    message: Optional[str]
    timestamp: Optional[str]

    @property
    def is_pending(self) -> bool:
        """True when the data comes later: fetch ``results_id`` after the
        ``results.ready`` webhook."""
        return self.status == "PENDING"


class DataPage(_Record):
    """One page of a data v2 read (``list_accounts``,
    ``list_account_transactions``...): what Lean already holds for the
    entity, as of its last refresh, so it answers at once.

    ``data`` is the page's records as Lean sends them (a list of dicts;
    Lean does not document their fields), every amount a string of its
    exact text (``Decimal(record["amount"])``). Iterating the page iterates
    ``data``. The paging fields Lean sends beside them (``page``:
    ``{"number", "size", "total_elements", "total_pages"}``) are in
    ``to_dict()``. A ``FAILED`` answer is never a page: it raises
    ``ApiError`` with ``api_code == "FAILED"`` and its
    ``granular_status_code``.
    """

    __slots__ = ("data", "status")
    _fields = _plain(__slots__)
    data: Any
    status: Optional[str]

    @property
    def page(self) -> Optional[Dict[str, Any]]:
        """Lean's paging of this read, when sent: ``{"number", "size",
        "total_elements", "total_pages"}``, to know whether to read the
        next page."""
        page = self._data.get("page")
        return page if isinstance(page, dict) else None

    def __iter__(self) -> Any:
        return iter(self.data if isinstance(self.data, list) else ())

    def __len__(self) -> int:
        return len(self.data) if isinstance(self.data, list) else 0


class Destination(_Record):
    """A bank account payments can be made to. ``bank_type`` (``RETAIL``,
    ``CORPORATE``) and ``government_identifier`` (``{"type", "value"}``)
    are there when the destination was created with them."""

    __slots__ = ("id", "display_name", "name", "bank_identifier", "iban", "bank_type", "government_identifier")
    _fields = _plain(__slots__)
    id: Optional[str]
    display_name: Optional[str]
    name: Optional[str]
    bank_identifier: Optional[str]
    iban: Optional[str]
    bank_type: Optional[str]
    government_identifier: Optional[Dict[str, str]]


class PaymentIntent(_Record):
    """A payment the customer is asked to make; ``amount`` is a
    ``Decimal``; ``payments`` lists the payments made against it."""

    __slots__ = ("payment_intent_id", "customer_id", "amount", "currency", "description", "payments", "payment_destination")
    _fields = _plain(("payment_intent_id", "customer_id", "amount", "currency", "description"), amounts=("amount",))
    payment_intent_id: str
    customer_id: Optional[str]
    amount: Optional[Decimal]
    currency: Optional[str]
    description: Optional[str]
    payments: List[Dict[str, Any]]
    payment_destination: Optional[Destination]

    def __init__(self, data: Dict[str, Any]) -> None:
        super().__init__(data)
        self.payments = list(data.get("payments") or ())
        raw = data.get("payment_destination")
        self.payment_destination = Destination(raw) if isinstance(raw, dict) else None


class Bank(_Record):
    """A bank Lean supports, for an application's own bank picker:
    ``identifier`` is the ``bank_identifier`` entities and destinations
    name. ``availability`` is Lean's JSON as sent
    (``{"active": {"payments", "data"}, "enabled": {...}}``); ``swift_code``
    is the bank's SWIFT (BIC) code, when Lean has one."""

    __slots__ = (
        "identifier", "name", "logo", "main_color", "background_color", "bank_type", "account_type", "availability",
        "swift_code",
    )
    _fields = _plain(__slots__)
    identifier: str
    name: Optional[str]
    logo: Optional[str]
    main_color: Optional[str]
    background_color: Optional[str]
    bank_type: Optional[str]
    account_type: Optional[str]
    availability: Optional[Dict[str, Any]]
    swift_code: Optional[str]


class Payment(_Record):
    """A payment made against an intent, as the ``payment.created`` and
    ``payment.updated`` webhooks carry it; ``amount`` is a ``Decimal`` and
    ``status`` the API's text (``ACCEPTED_BY_BANK``), so a status Lean adds
    later still reads."""

    __slots__ = (
        "id", "amount", "currency", "status", "intent_id", "customer_id", "payment_destination_id",
        "bank_transaction_reference", "reason", "metadata",
    )
    _fields = _plain(__slots__, amounts=("amount",))
    id: str
    amount: Optional[Decimal]
    currency: Optional[str]
    status: Optional[str]
    intent_id: Optional[str]
    customer_id: Optional[str]
    payment_destination_id: Optional[str]
    bank_transaction_reference: Optional[str]
    reason: Optional[str]
    metadata: Optional[Dict[str, Any]]


class ResultsReady(_Record):
    """The payload of ``results.ready``: ``id`` is the ``results_id`` to
    fetch with ``get_data_results``."""

    __slots__ = ("id",)
    _fields = _plain(__slots__)
    id: str


class PaymentIntentCreated(_Record):
    """The payload of ``payment_intent.created``: ``intent_id`` is the
    ``payment_intent_id`` of API answers; ``amount`` is a ``Decimal``."""

    __slots__ = ("intent_id", "amount", "currency", "status", "reason", "customer_id", "metadata")
    _fields = _plain(__slots__, amounts=("amount",))
    intent_id: str
    amount: Optional[Decimal]
    currency: Optional[str]
    status: Optional[str]
    reason: Optional[str]
    customer_id: Optional[str]
    metadata: Optional[Dict[str, Any]]


class PaymentSource(_Record):
    """The payload of ``payment_source.created`` and
    ``payment_source.beneficiary.created``: the account payments come
    from."""

    __slots__ = ("id", "status", "customer_id", "end_user_id", "bank_identifier", "bank_name")
    _fields = _plain(__slots__)
    id: str
    status: Optional[str]
    customer_id: Optional[str]
    end_user_id: Optional[str]
    bank_identifier: Optional[str]
    bank_name: Optional[str]


class DataRefresh(_Record):
    """A refresh of an entity's data: the answer of ``create_data_refresh``,
    ``get_data_refresh`` and ``list_data_refreshes``, and the payload of
    ``entity.data.refresh.updated``. ``status`` is Lean's text
    (``IN_PROGRESS``, then ``COMPLETED``...); ``data_status`` is Lean's JSON
    (``{"accounts", "identity", "account_data": [...]}``, each kind ``OK``
    or ``UNSUPPORTED``), checked by the core, once the refresh is done."""

    __slots__ = ("refresh_id", "entity_id", "status", "customer_id", "app_user_id", "data_status")
    _fields = _plain(__slots__)
    refresh_id: str
    entity_id: str
    status: Optional[str]
    customer_id: Optional[str]
    app_user_id: Optional[str]
    data_status: Optional[Dict[str, Any]]


class BankAvailability(_Record):
    """The payload of ``bank.availability.updated`` (KSA): ``availability``
    is ``{"active": {"payments", "data"}, "enabled": {...}}``, flags checked
    by the core."""

    __slots__ = ("identifier", "availability")
    _fields = _plain(__slots__)
    identifier: str
    availability: Optional[Dict[str, Any]]


_TYPED_PAYLOADS = {
    "results.ready": ResultsReady,
    "entity.created": Entity,
    "payment.created": Payment,
    "payment.updated": Payment,
    "payment_intent.created": PaymentIntentCreated,
    "payment_source.created": PaymentSource,
    "payment_source.beneficiary.created": PaymentSource,
    "entity.data.refresh.updated": DataRefresh,
    "bank.availability.updated": BankAvailability,
}

if TYPE_CHECKING:
    EventPayload = Union[
        ResultsReady, Entity, Payment, PaymentIntentCreated, PaymentSource, DataRefresh, BankAvailability,
        Dict[str, Any], Any,
    ]


class WebhookEvent(_Envelope):
    """A verified open-banking webhook. ``type`` is its name
    (``results.ready``; names this version does not know are kept as
    sent), ``payload`` what it is about (typed for the types the core
    types: ``results.ready``, ``entity.created``, ``payment.*``,
    ``payment_intent.created``, ``payment_source.*``,
    ``entity.data.refresh.updated``, ``bank.availability.updated``; else
    the JSON as sent), ``event_id`` Lean's id of
    the event: the same on every retry, so store it and skip events already
    seen. Answer every webhook you accept with HTTP 200."""

    __slots__ = ("type", "payload", "message", "timestamp", "event_id")

    def __init__(self, data: Dict[str, Any]) -> None:
        super().__init__(data)
        self.type: str = data["type"]
        raw = data.get("payload")
        self.payload: EventPayload
        typed = _TYPED_PAYLOADS.get(self.type)
        self.payload = typed(raw) if typed is not None and isinstance(raw, dict) else raw
        self.message: Optional[str] = data.get("message")
        self.timestamp: Optional[str] = data.get("timestamp")
        self.event_id: Optional[str] = data.get("event_id")

    def __repr__(self) -> str:
        return f"WebhookEvent(type={self.type!r}, event_id={self.event_id!r}, payload={self.payload!r})"

    def __hash__(self) -> int:
        return hash((self.type, self.event_id))
