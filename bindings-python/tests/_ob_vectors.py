"""Reads the open-banking vectors (tests/vectors/openbanking, format in its
README) and maps them onto the public API of lean_sdk.openbanking: a
vector call becomes a client method call."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Dict, List, Optional

import lean_sdk
from lean_sdk import openbanking

from _vectors import VECTORS, check_error, plain, snake

OB = VECTORS / "openbanking"
APP_TOKEN = "app_token_123"


def cases(file: str) -> List[Dict[str, Any]]:
    """The cases of a file. Expected values read every fractional number as
    a Decimal (as the SDK reads answers); inputs and answers keep the JSON
    types, so a float amount stays the float a caller would pass."""
    text = (OB / file).read_text("utf-8")
    found: List[Dict[str, Any]] = json.loads(text, parse_float=Decimal)["cases"]
    for case, raw in zip(found, json.loads(text)["cases"]):
        for key in ("call", "response", "exchanges"):
            if key in raw:
                case[key] = raw[key]
    names = [c["name"] for c in found]
    assert len(set(names)) == len(names), f"{file}: case names must be unique"
    return found


def environment(spec: Any) -> openbanking.Environment:
    if spec is None:
        return openbanking.Environment()
    if isinstance(spec, str):
        return openbanking.Environment(spec)
    if "custom" in spec:
        return openbanking.Environment.custom(spec["custom"], spec.get("tokenBaseUrl"), bool(spec.get("mtls", False)))
    env = openbanking.Environment(spec["name"])
    return env.with_token_base_url(spec["tokenBaseUrl"]) if "tokenBaseUrl" in spec else env


def client(case: Dict[str, Any], transport: Any, max_retries: int = 2, asynchronous: bool = False) -> Any:
    """A client with the case's environment and authentication (the
    application token unless the case names a bearer token)."""
    bearer = (case.get("auth") or {}).get("bearer")
    credentials = {"access_token": bearer} if bearer else {"app_token": APP_TOKEN}
    kind = openbanking.AsyncOpenBankingClient if asynchronous else openbanking.OpenBankingClient
    return kind(
        environment=environment(case.get("environment")), transport=transport, max_retries=max_retries,
        initial_backoff=0.001, max_backoff=0.002, **credentials,
    )


DATA = {
    "getIdentity": ("get_identity", False),
    "getAccounts": ("get_accounts", False),
    "getBalance": ("get_balance", True),
    "getTransactions": ("get_transactions", True),
}

# The data v2 reads: the method, and whether it reads one account.
DATA_PAGES = {
    "listAccounts": ("list_accounts", False),
    "listIdentities": ("list_identities", False),
    "listAccountBalances": ("list_account_balances", True),
    "listAccountTransactions": ("list_account_transactions", True),
    "listAccountIdentities": ("list_account_identities", True),
    "listAccountBeneficiaries": ("list_account_beneficiaries", True),
    "listAccountDirectDebits": ("list_account_direct_debits", True),
    "listAccountStandingOrders": ("list_account_standing_orders", True),
    "listAccountScheduledPayments": ("list_account_scheduled_payments", True),
}

# Keywords of the transactions call beyond those of every data call.
TRANSACTIONS_QUERY = ("start_date", "end_date", "insights")


def keywords(data: Any) -> Optional[Dict[str, Any]]:
    """The keyword form of an input, when every key is an identifier."""
    if isinstance(data, dict) and all(isinstance(k, str) and k.isidentifier() for k in data):
        return dict(data)
    return None


def invoke(target: Any, call: Dict[str, Any], as_keywords: bool = False) -> Any:
    """Calls the client method for a vector call (a coroutine for the
    async client). With ``as_keywords``, a create's input goes as keywords."""
    op = call["operation"]
    data = call.get("input")

    def create(method: Any) -> Any:
        kw = keywords(data) if as_keywords else None
        return method(**kw) if kw is not None else method(data)

    if op == "createCustomer":
        return create(target.create_customer)
    if op == "getCustomer":
        return target.get_customer(call.get("customerId"))
    if op == "getCustomerByAppUserId":
        return target.get_customer_by_app_user_id(call.get("appUserId"))
    if op == "listCustomers":
        return target.list_customers(page_number=call.get("pageNumber"), page_size=call.get("pageSize"))
    if op == "listEntities":
        return target.list_entities(call.get("customerId"))
    if op == "getEntity":
        return target.get_entity(call.get("customerId"), call.get("entityId"))
    if op in DATA:
        name, account = DATA[op]
        allowed = {"entity_id", "async"} | ({"account_id"} if account else set())
        query = set(TRANSACTIONS_QUERY) if op == "getTransactions" else set()
        body = data if isinstance(data, dict) else {}
        if not set(body) <= allowed | query:
            # Keys the method has no parameter for: Python refuses them as
            # keywords; the core's rules are reached through validate().
            return openbanking.validate(op, data)
        args = [body.get("entity_id")] + ([body.get("account_id")] if account else [])
        extra = {key: body[key] for key in query if key in body}
        return getattr(target, name)(*args, async_=body.get("async", False), **extra)
    if op in DATA_PAGES:
        name, account = DATA_PAGES[op]
        args = [call.get("entityId")] + ([call.get("accountId")] if account else [])
        return getattr(target, name)(*args, page_number=call.get("pageNumber"), page_size=call.get("pageSize"))
    if op == "listPaymentIntents":
        return target.list_payment_intents()
    if op == "listEntitiesByDate":
        return target.list_entities_by_date(
            call.get("startDate"), call.get("endDate"), page_number=call.get("pageNumber"), page_size=call.get("pageSize"),
        )
    if op == "createDataRefresh":
        return target.create_data_refresh(call.get("entityId"))
    if op == "getDataRefresh":
        return target.get_data_refresh(call.get("refreshId"))
    if op == "listDataRefreshes":
        return target.list_data_refreshes(call.get("entityId"), page_number=call.get("pageNumber"), page_size=call.get("pageSize"))
    if op == "getDataResults":
        return target.get_data_results(call.get("resultsId"))
    if op == "createPaymentIntent":
        return create(target.create_payment_intent)
    if op == "getPaymentIntent":
        return target.get_payment_intent(call.get("paymentIntentId"))
    if op == "createPaymentDestination":
        return create(target.create_payment_destination)
    if op == "listPaymentDestinations":
        return target.list_payment_destinations()
    if op == "listBanks":
        return target.list_banks(call.get("accountTypes"))
    if op == "getPayment":
        return target.get_payment(call.get("paymentId"))
    assert not hasattr(target, snake(op)), op
    return openbanking.validate(op, data)


def check_ob_error(name: str, error: BaseException, expected: Dict[str, Any]) -> None:
    """The payouts checks, plus the API's own code and a FAILED data
    answer's granular status code."""
    check_error(name, error, expected)
    if "apiCode" in expected:
        assert getattr(error, "api_code") == expected["apiCode"], f"{name}: api_code of {error!r}"
    if "granularStatusCode" in expected:
        got = getattr(error, "granular_status_code")
        assert got == expected["granularStatusCode"], f"{name}: granular_status_code {got!r}"


def response(spec: Dict[str, Any]) -> lean_sdk.HttpResponse:
    if "bodyText" in spec:
        body = spec["bodyText"].encode("utf-8")
    elif spec.get("body") is not None:
        body = json.dumps(spec["body"]).encode("utf-8")
    else:
        body = b""
    return lean_sdk.HttpResponse(int(spec["status"]), spec.get("headers") or {}, body)
