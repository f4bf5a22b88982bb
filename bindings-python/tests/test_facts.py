"""What the Python declares by hand, checked against the core's own lists
(``_native.core_facts()``, and ``tests/vectors/models.json`` for the result
models): a new error code, input field or result field in the core fails
here until the package has it too."""

from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Tuple, Type, Union

import pytest

import lean_sdk
from lean_sdk import _native, _types
from lean_sdk import openbanking
from lean_sdk._errors import _from_core
from lean_sdk.openbanking import _types as ob_types

from _vectors import CLASSES, VECTORS

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


# Each result model of the core (tests/vectors/models.json, by API) and the
# Python class that stands for it, or, for a model Python hands over as the
# JSON it was read from, where that dict is.
MODELS: Dict[Tuple[str, str], Union[Type[Any], str]] = {
    ("payouts", "Customer"): lean_sdk.Customer,
    ("payouts", "Application"): lean_sdk.Application,
    ("payouts", "Gig"): lean_sdk.Gig,
    ("payouts", "SpecialPayment"): lean_sdk.SpecialPayment,
    ("openbanking", "Customer"): openbanking.Customer,
    ("openbanking", "CustomerPage"): openbanking.CustomerPage,
    ("openbanking", "Permissions"): openbanking.Permissions,
    ("openbanking", "Entity"): openbanking.Entity,
    ("openbanking", "DataResult"): openbanking.DataResult,
    ("openbanking", "DataPage"): openbanking.DataPage,
    ("openbanking", "PaymentIntent"): openbanking.PaymentIntent,
    ("openbanking", "Destination"): openbanking.Destination,
    ("openbanking", "Bank"): openbanking.Bank,
    ("openbanking", "Payment"): openbanking.Payment,
    ("openbanking", "ResultsReady"): openbanking.ResultsReady,
    ("openbanking", "PaymentIntentCreated"): openbanking.PaymentIntentCreated,
    ("openbanking", "PaymentSource"): openbanking.PaymentSource,
    ("openbanking", "DataRefresh"): openbanking.DataRefresh,
    ("openbanking", "BankAvailability"): openbanking.BankAvailability,
    ("openbanking", "DataRefreshStatus"): "DataRefresh.data_status",
    ("openbanking", "AccountDataStatus"): "DataRefresh.data_status",
    ("openbanking", "TransactionAvailability"): "DataRefresh.data_status",
    ("openbanking", "Availability"): "Bank.availability, BankAvailability.availability",
    ("openbanking", "Services"): "Bank.availability, BankAvailability.availability",
}

CORE_MODELS: Dict[str, Dict[str, Dict[str, List[str]]]] = json.loads(
    (VECTORS / "models.json").read_text(encoding="utf-8")
)


def test_every_core_result_model_has_its_place_in_python() -> None:
    core = {(api, model) for api, models in CORE_MODELS.items() for model in models}
    missing = sorted(core - set(MODELS))
    stale = sorted(set(MODELS) - core)
    assert not missing, (
        f"the core has result models {missing} that Python does not map: write their classes "
        "(lean_sdk/_models.py or lean_sdk/openbanking/_models.py) and add them to MODELS in "
        "tests/test_facts.py, or name there the dict that holds them"
    )
    assert not stale, f"MODELS in tests/test_facts.py names {stale}, which the core no longer has"


def _python_fields(cls: Type[Any]) -> Dict[str, Tuple[str, bool]]:
    """The wire fields a class reads: {wire name: (attribute, is an amount)}
    from its ``_fields``, and the slots its own ``__init__`` fills with a
    nested model or list (each named as its wire name)."""
    fields = {wire: (attribute, amount) for attribute, wire, amount in cls._fields}
    listed = {attribute for attribute, _, _ in cls._fields}
    empty = cls({})
    for slot in cls.__slots__:
        if slot not in listed and hasattr(empty, slot):
            fields[slot] = (slot, False)
    return fields


TYPED = sorted((key, cls) for key, cls in MODELS.items() if not isinstance(cls, str))


@pytest.mark.parametrize("key, cls", TYPED, ids=[f"{api}.{model}" for (api, model), _ in TYPED])
def test_each_result_class_has_the_core_models_fields(key: Tuple[str, str], cls: Type[Any]) -> None:
    api, model = key
    core = CORE_MODELS[api][model]
    where = f"{cls.__module__}.{cls.__name__} (the core's {api} {model})"
    ours = _python_fields(cls)
    missing = [wire for wire in core["fields"] if wire not in ours]
    extra = [wire for wire in ours if wire not in core["fields"]]
    hints = [snake(wire) for wire in missing]
    amounts = [snake(wire) for wire in missing if wire in core["amounts"]]
    assert not missing, (
        f"{where} lacks the fields {missing}: add the slots {hints} (its _fields are read from them)"
        + (f", naming {amounts} in its amounts=" if amounts else "")
        + ", each with a type annotation, and document them"
    )
    assert not extra, f"{where} reads {extra}, which the core's model does not declare"
    for wire, (attribute, amount) in ours.items():
        core_amount = wire in core["amounts"]
        assert amount == core_amount, (
            f"{where}.{attribute}: the core reads {wire!r} "
            f"{'as an amount: name it in' if core_amount else 'as no amount: take it out of'} "
            "the amounts= of its _fields"
        )
        annotation = cls.__annotations__.get(attribute)
        assert annotation is not None, f"{where}.{attribute} has no type annotation"
        assert ("Decimal" in annotation) == core_amount, (
            f"{where}.{attribute}: annotated {annotation!r}, but the core reads {wire!r} "
            f"{'as an amount (Optional[Decimal])' if core_amount else 'as no amount'}"
        )
        assert attribute in cls.__slots__, f"{where}.{attribute} has no slot"
