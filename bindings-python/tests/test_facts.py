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


# Every public signature that offers a setting of the core, with the name
# of the core's default it must show (``ob.`` for open banking's own); the
# open-banking timeout is ``None``, meaning the core's.
SETTINGS = {
    "max_retries": "max_retries",
    "initial_backoff": "initial_backoff",
    "max_backoff": "max_backoff",
    "max_retry_after": "max_retry_after",
}


def _signatures() -> Dict[str, Any]:
    import inspect

    import lean_sdk
    from lean_sdk import batch, openbanking

    return {
        "LeanClient": inspect.signature(lean_sdk.LeanClient),
        "AsyncLeanClient": inspect.signature(lean_sdk.AsyncLeanClient),
        "OpenBankingClient": inspect.signature(openbanking.OpenBankingClient),
        "AsyncOpenBankingClient": inspect.signature(openbanking.AsyncOpenBankingClient),
        "pay_file_async": inspect.signature(batch.pay_file_async),
    }


@pytest.mark.parametrize("name", sorted(_signatures()))
def test_each_signatures_defaults_are_the_cores(name: str) -> None:
    defaults = FACTS["defaults"]
    parameters = _signatures()[name].parameters
    open_banking = "OpenBanking" in name
    wanted = dict(SETTINGS)
    wanted["timeout"] = "ob.timeout" if open_banking else "timeout"
    if open_banking:
        wanted["token_renewal_margin"] = "ob.token_renewal_margin"
    for setting, fact in wanted.items():
        if setting not in parameters:
            continue
        shown = parameters[setting].default
        if fact == "ob.timeout":
            assert shown is None, f"{name}({setting}=...) must default to the core's (None), not {shown!r}"
        else:
            assert shown == defaults[fact], f"{name}({setting}={shown!r}): the core's default is {defaults[fact]!r}"
    assert "max_retries" in parameters, name


def test_the_native_configurations_default_to_the_core() -> None:
    defaults = FACTS["defaults"]
    config = _native.Config("sk_facts")
    assert (config.max_retries, config.timeout) == (defaults["max_retries"], defaults["timeout"])
    ob = _native.ObConfig(_native.Environment("uae-sandbox"))
    assert (ob.max_retries, ob.timeout) == (defaults["max_retries"], defaults["ob.timeout"])
