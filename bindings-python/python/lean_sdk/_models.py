"""Typed results: what the API returns, with snake_case attributes.

Each result keeps the API's JSON object it was read from, so ``to_dict()``
gives back exactly the API's shape (camelCase, amounts as two-decimal
strings, unknown fields kept) while attributes give Python types: amounts
are ``decimal.Decimal``, never a float. Fields the API left out are
``None``.

A result returned by a client also says how it was obtained: ``attempts``
lists the requests its call sent (:class:`lean_sdk.Attempt`, each with
its status and request id), like Stripe's ``last_response``. It is not
part of the value: equality, hashing, ``repr()`` and ``to_dict()`` ignore
it. A method returning a list returns a :class:`ResultList`, a ``list``
with the same ``attempts``.
"""

from __future__ import annotations

from ._operations import _camel

TYPE_CHECKING = False  # typing itself is not imported at run time: import speed
if TYPE_CHECKING:
    from decimal import Decimal
    from typing import Any, ClassVar, Dict, Iterable, List, Optional, Tuple, Type, TypeVar, Union

    from ._attempts import Attempt

    _T = TypeVar("_T")
    _R = TypeVar("_R")

__all__ = ["Customer", "Gig", "SpecialPayment", "Application", "WebhookEvent", "ResultList"]


def _fields_of(
    names: Tuple[str, ...], *, amounts: Tuple[str, ...] = (), camel_case: bool = True
) -> Tuple[Tuple[str, str, bool], ...]:
    """A record's ``_fields`` from its attribute names (its ``__slots__``,
    in the order ``repr()`` shows them): each with its wire name (the
    camelCase form the payouts API uses, or the name itself) and whether it
    is one of the ``amounts``, read as ``Decimal``."""
    return tuple((name, _camel(name) if camel_case else name, name in amounts) for name in names)


class _Record:
    """A result object over the API's JSON: attributes from ``_fields``
    (attribute name, wire name, is-an-amount)."""

    __slots__ = ("_data", "_attempts")
    _fields: ClassVar[Tuple[Tuple[str, str, bool], ...]] = ()

    def __init__(self, data: Dict[str, Any]) -> None:
        self._data = data
        for attribute, wire, amount in self._fields:
            value = data.get(wire)
            if amount and value is not None:
                from decimal import Decimal  # imported on first use: import speed

                value = Decimal(value)
            object.__setattr__(self, attribute, value)

    def to_dict(self) -> Dict[str, Any]:
        """The object in the API's JSON shape, unknown fields included."""
        return dict(self._data)

    @property
    def attempts(self) -> Tuple[Attempt, ...]:
        """The requests the call that returned this object sent, in order,
        each with its status and request id (empty for an object not
        returned by a client call, such as a webhook's). Not part of the
        value: equality and ``repr()`` ignore it."""
        attempts: Tuple[Attempt, ...] = getattr(self, "_attempts", ())
        return attempts

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._data == other._data

    def __hash__(self) -> int:
        return hash((type(self), repr(sorted(self._data.items()))))

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{attribute}={getattr(self, attribute)!r}"
            for attribute, _, _ in self._fields
            if getattr(self, attribute) is not None
        )
        return f"{type(self).__name__}({shown})"


if TYPE_CHECKING:

    class ResultList(List[_T]):
        """A list returned by a client, with its call's attempts."""

        attempts: Tuple[Attempt, ...]

        def __init__(self, items: Iterable[_T] = (), attempts: Tuple[Attempt, ...] = ()) -> None: ...

else:

    class ResultList(list):
        """A ``list`` returned by a client (``list_gigs()``...): the items,
        and ``attempts``, the requests the call sent (see
        :class:`lean_sdk.Attempt`). It compares and prints as a plain
        list."""

        __slots__ = ("attempts",)

        def __init__(self, items=(), attempts=()):
            super().__init__(items)
            self.attempts = attempts


def _returned(result: _R, attempts: Tuple[Attempt, ...]) -> _R:
    """``result`` with the attempts of the call that returned it: a record
    carries them, a list becomes a :class:`ResultList` whose records carry
    them too."""
    if isinstance(result, _Record):
        object.__setattr__(result, "_attempts", attempts)
        return result
    if isinstance(result, list):
        for item in result:
            if isinstance(item, _Record):
                object.__setattr__(item, "_attempts", attempts)
        listed: Any = ResultList(result, attempts)
        return listed  # type: ignore[no-any-return]
    return result


class Customer(_Record):
    """A worker registered by the partner (``status`` ``PENDING`` until
    their application is approved, then ``ACTIVE``)."""

    __slots__ = (
        "partner_user_id", "first_name", "middle_name", "last_name", "birthday",
        "phone_number", "email", "street", "street2", "city", "state", "postal_code",
        "registration_date", "status", "created_at", "updated_at",
    )
    _fields = _fields_of(__slots__)
    partner_user_id: str
    first_name: Optional[str]
    middle_name: Optional[str]
    last_name: Optional[str]
    birthday: Optional[str]
    phone_number: Optional[str]
    email: Optional[str]
    street: Optional[str]
    street2: Optional[str]
    city: Optional[str]
    state: Optional[str]
    postal_code: Optional[str]
    registration_date: Optional[str]
    status: Optional[str]
    created_at: Optional[str]
    updated_at: Optional[str]


class Gig(_Record):
    """A gig payout; ``gig_id`` is the partner's own id, which makes
    paying a gig idempotent."""

    __slots__ = (
        "gig_id", "id", "partner_user_id", "total_amount", "tips", "expenses",
        "description", "start_time", "end_time", "status", "invoice_id",
        "created_at", "updated_at",
    )
    _fields = _fields_of(__slots__, amounts=("total_amount", "tips", "expenses"))
    gig_id: str
    id: Optional[str]
    partner_user_id: Optional[str]
    total_amount: Optional[Decimal]
    tips: Optional[Decimal]
    expenses: Optional[Decimal]
    description: Optional[str]
    start_time: Optional[str]
    end_time: Optional[str]
    status: Optional[str]
    invoice_id: Optional[str]
    created_at: Optional[str]
    updated_at: Optional[str]


class SpecialPayment(_Record):
    """A bonus, reimbursement or other payment outside a gig."""

    __slots__ = (
        "id", "partner_user_id", "amount", "type", "description", "gig_id", "status",
        "userdata", "invoice_id", "created_at", "updated_at",
    )
    _fields = _fields_of(__slots__, amounts=("amount",))
    id: str
    partner_user_id: Optional[str]
    amount: Optional[Decimal]
    type: Optional[str]
    description: Optional[str]
    gig_id: Optional[str]
    status: Optional[str]
    userdata: Optional[Dict[str, Any]]
    invoice_id: Optional[str]
    created_at: Optional[str]
    updated_at: Optional[str]


class Application(_Record):
    """The onboarding application of a customer (sandbox only)."""

    __slots__ = ("partner_user_id", "status")
    _fields = _fields_of(__slots__)
    partner_user_id: str
    status: Optional[str]


if TYPE_CHECKING:
    EventData = Union[Customer, Gig, SpecialPayment, Dict[str, Any]]

_EVENT_OBJECTS: Dict[str, Type[_Record]] = {"customer": Customer, "gig": Gig, "specialpayment": SpecialPayment}
# The core typed an event's data when its object's identifying field is
# there; the data of unknown events of other shapes stays a plain dict.
_IDENTIFIED_BY: Dict[Type[_Record], str] = {Customer: "partnerUserId", Gig: "gigId", SpecialPayment: "id"}


class _Envelope:
    """A verified webhook of either API: given back by ``to_dict()``, and
    compared, as the JSON envelope it was read from."""

    __slots__ = ("_data",)

    def __init__(self, data: Dict[str, Any]) -> None:
        self._data = data

    def to_dict(self) -> Dict[str, Any]:
        """The envelope in its JSON shape, unknown fields included (a
        payouts event's ``dedupKey`` too)."""
        return dict(self._data)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self._data == other._data


class WebhookEvent(_Envelope):
    """A verified webhook: ``event`` is its name (``gig.completed``; names
    this version does not know are kept as sent) and ``data`` the object it
    is about, typed when known, else the raw dict.

    Payouts webhooks carry no id and no timestamp, and a delivery may be
    repeated: ``dedup_key`` (the event name, the object's id and its status,
    as the core derives it) is the same for a repeat, so store it and skip
    an event already handled."""

    __slots__ = ("event", "data", "dedup_key")

    def __init__(self, data: Dict[str, Any]) -> None:
        super().__init__(data)
        self.dedup_key: Optional[str] = data.get("dedupKey")
        self.event: str = data["event"]
        raw = data.get("data")
        kind = _EVENT_OBJECTS.get(self.event.split(".", 1)[0].lower())
        self.data: EventData
        if kind is not None and isinstance(raw, dict) and _IDENTIFIED_BY[kind] in raw:
            self.data = kind(raw)  # type: ignore[assignment]  # one of the three
        else:
            self.data = raw if isinstance(raw, dict) else {}

    def __repr__(self) -> str:
        return f"WebhookEvent(event={self.event!r}, data={self.data!r})"

