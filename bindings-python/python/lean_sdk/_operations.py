"""The API's operations in the host-neutral form the core reads.

Arguments arrive as snake_case keywords, or as one mapping in the API's
camelCase shape (copied from the documents), or both; they become
``{"operation": "createGig", "input": {...}}``. Nothing is validated here:
the core does that, once, for every language.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported at run time: import speed
if TYPE_CHECKING:
    from typing import Any, Dict, Mapping, Optional

from . import _native

_CAMEL: Dict[str, str] = {}


def _camel(name: str) -> str:
    """``partner_user_id`` -> ``partnerUserId`` (cached)."""
    wire = _CAMEL.get(name)
    if wire is None:
        head, *rest = name.split("_")
        wire = _CAMEL[name] = head + "".join(part[:1].upper() + part[1:] for part in rest)
    return wire


def _input(data: Optional[Mapping[str, Any]], fields: Mapping[str, Any]) -> Any:
    from collections.abc import Mapping

    if not fields:
        return {} if data is None else data if isinstance(data, dict) or not isinstance(data, Mapping) else dict(data)
    merged: Dict[str, Any] = {} if data is None else dict(data)
    for name, value in fields.items():
        merged[_camel(name)] = value
    return merged


def call(operation: str, data: Optional[Mapping[str, Any]] = None, fields: Optional[Mapping[str, Any]] = None, **args: Any) -> Dict[str, Any]:
    """The call for the core: the operation, its input, its path arguments."""
    spec: Dict[str, Any] = {"operation": operation}
    if data is not None or fields:
        spec["input"] = _input(data, fields or {})
    spec.update(args)
    return spec


_NAMES = {
    "create_customer": "createCustomer",
    "update_customer": "updateCustomer",
    "create_gig": "createGig",
    "create_special_payment": "createSpecialPayment",
}


def validate(
    operation: str, data: Optional[Mapping[str, Any]] = None, /, *, idempotency_key: Optional[str] = None, **fields: Any
) -> str:
    """Validates the input of ``operation`` (``"create_gig"`` or
    ``"createGig"``, ``"create_customer"``, ``"update_customer"``,
    ``"create_special_payment"``) exactly as the client would, without
    sending anything, and returns the JSON body the client would send.
    ``idempotency_key`` is checked too (special payments), so that a key
    the API would refuse is found before anything is paid.

    Raises :class:`lean_sdk.ValidationError` listing every invalid field:
    use it to check a form before calling the API.
    """
    name = _NAMES.get(operation, operation)
    spec: Dict[str, Any] = {"operation": name, "input": _input(data, fields)}
    if idempotency_key is not None:
        spec["idempotencyKey"] = idempotency_key
    if name == "updateCustomer":
        spec["partnerUserId"] = "validate"
    body = _native.validate(spec)
    return body if body is not None else ""
