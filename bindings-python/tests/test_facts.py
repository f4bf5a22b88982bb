"""What the Python declares by hand, checked against the core's own lists
(``_native.core_facts()``): a new error code or input field in the core
fails here until the package has it too."""

from __future__ import annotations

import re
from typing import Any, Dict

import pytest

from lean_sdk import _native, _types
from lean_sdk._errors import _from_core
from lean_sdk.openbanking import _types as ob_types

from _vectors import CLASSES

FACTS: Dict[str, Any] = _native.core_facts()

# Each create's keywords (a TypedDict) and the core's input it stands for.
KEYWORDS = {
    "createCustomer": _types.CustomerFields,
    "updateCustomer": _types.CustomerUpdateFields,
    "createGig": _types.GigFields,
    "createSpecialPayment": _types.SpecialPaymentFields,
    "ob.createCustomer": ob_types.NewCustomerFields,
    "ob.createPaymentIntent": ob_types.PaymentIntentFields,
    "ob.createPaymentDestination": ob_types.DestinationFields,
}


def test_every_core_error_code_has_its_exception_class() -> None:
    assert sorted(FACTS["errorCodes"]) == sorted(CLASSES)
    for code in FACTS["errorCodes"]:
        assert type(_from_core({"code": code, "message": "m"})) is CLASSES[code], code


def snake(wire: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", wire).lower()


@pytest.mark.parametrize("operation", sorted(KEYWORDS))
def test_each_creates_keywords_are_the_cores_input_fields(operation: str) -> None:
    wire = FACTS["inputFields"][operation]
    assert sorted(snake(name) for name in wire) == sorted(KEYWORDS[operation].__annotations__), operation


def test_every_create_the_core_lists_has_its_keywords() -> None:
    assert sorted(FACTS["inputFields"]) == sorted(KEYWORDS)
