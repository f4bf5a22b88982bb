#!/usr/bin/env python3
"""Writes the open-banking conformance vectors, tests/vectors/openbanking/*.json.

The cases are data: this script spells them out and computes every webhook
signature with Python's own `hmac` and `hashlib`, never with the SDK.

    python3 tests/vectors/openbanking/generate.py          # rewrite the JSON files
    python3 tests/vectors/openbanking/generate.py --check  # fail if they are stale

The Rust tests run `--check`. The format is in README.md beside this file.
"""

import base64
import hashlib
import hmac
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import vector_files  # noqa: E402  (shared with ../generate.py)
from engine_events import with_trace  # noqa: E402

UAE_SANDBOX = "https://sandbox.leantech.me"
UAE_PRODUCTION = "https://api.leantech.me"
KSA_SANDBOX = "https://sandbox.sa.leantech.me"
KSA_PRODUCTION = "https://api.sa.leantech.me"
APP_TOKEN = "app_token_123"
GET = {"lean-app-token": APP_TOKEN, "accept": "application/json"}
POST = {**GET, "content-type": "application/json"}
CUSTOMER_ID = "6b9f1c0e-6c1e-4a38-9b1a-2d7f2c3b4a51"
ENTITY_ID = "f1d2c3b4-a596-4788-99aa-bbccddeeff00"
ACCOUNT_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
RESULTS_ID = "3c0a8e7e-1f2a-4b3c-9d4e-5f6a7b8c9d0e"
INTENT_ID = "9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4"
PAYMENT_ID = "5d4c3b2a-1908-4f7e-a6d5-c4b3a2918070"
REFRESH_ID = "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d"
# The data v2 reads: operation name and path after /data/v2/ (per account
# under accounts/{account_id}/).
DATA_PAGES = [
    ("listAccounts", "accounts", False), ("listIdentities", "identity", False),
    ("listAccountBalances", "balances", True), ("listAccountTransactions", "transactions", True),
    ("listAccountIdentities", "identities", True), ("listAccountBeneficiaries", "beneficiaries", True),
    ("listAccountDirectDebits", "direct-debits", True), ("listAccountStandingOrders", "standing-orders", True),
    ("listAccountScheduledPayments", "scheduled-payments", True),
]
IBAN = "AE070331234567890123456"  # the standard UAE IBAN example; mod-97 valid


def environment_cases():
    def ok(name, env, api, token, mtls, doc):
        return {"name": name, "doc": doc, "environment": env,
                "expect": {"apiBaseUrl": api, "tokenUrl": token, "mtls": mtls}}

    def bad(name, env, doc):
        return {"name": name, "doc": doc, "environment": env,
                "expect": {"error": {"code": "configuration"}}}

    return [
        ok("uae sandbox has no documented token host", "uae-sandbox", UAE_SANDBOX, None, False,
           "facts: Hosts (UAE sandbox token host unknown)"),
        ok("uae sandbox with mtls", "uae-sandbox-mtls", "https://mtls.sandbox.leantech.me", None, True,
           "facts: Hosts"),
        ok("uae production", "uae-production", UAE_PRODUCTION, "https://auth.leantech.me/oauth2/token", True,
           "facts: Hosts"),
        ok("ksa sandbox", "ksa-sandbox", KSA_SANDBOX, "https://auth.sandbox.sa.leantech.me/oauth2/token", False,
           "facts: Hosts"),
        ok("ksa production", "ksa-production", KSA_PRODUCTION, "https://auth.sa.leantech.me/oauth2/token", True,
           "facts: Hosts"),
        ok("names read in any case with underscores", "KSA_Production", KSA_PRODUCTION,
           "https://auth.sa.leantech.me/oauth2/token", True, "sdk: environment names"),
        ok("uae sandbox with a configured token host",
           {"name": "uae-sandbox", "tokenBaseUrl": "https://auth.example.test/"}, UAE_SANDBOX,
           "https://auth.example.test/oauth2/token", False, "facts: UAE sandbox token host must be configured"),
        ok("custom loopback host", {"custom": "http://127.0.0.1:8080/"}, "http://127.0.0.1:8080", None, False,
           "sdk: custom base URL"),
        ok("custom host with mtls and token host",
           {"custom": "https://proxy.example.test/lean", "tokenBaseUrl": "https://proxy.example.test/auth", "mtls": True},
           "https://proxy.example.test/lean", "https://proxy.example.test/auth/oauth2/token", True,
           "sdk: custom base URL"),
        bad("unknown environment name", "uae-staging", "sdk: environment names"),
        bad("custom plain http to a public host", {"custom": "http://api.leantech.me"},
            "sdk: credentials never travel in clear text"),
        bad("custom url with a query", {"custom": "https://x.example.test/?a=1"}, "sdk: custom base URL"),
        bad("custom url without scheme", {"custom": "sandbox.leantech.me"}, "sdk: custom base URL"),
        bad("custom url with credentials", {"custom": "https://u:p@x.example.test"}, "sdk: custom base URL"),
    ]


def auth_cases():
    form_headers = {"content-type": "application/x-www-form-urlencoded", "accept": "application/json"}

    def token_request(name, doc, environment, secret, scope, expect):
        return {"name": name, "doc": doc, "action": "tokenRequest", "environment": environment,
                "clientId": "app-1234", "clientSecret": secret, "scope": scope, "expect": expect}

    def sent(url, body):
        return {"request": {"method": "POST", "url": url, "headers": form_headers, "body": body}}

    configuration = {"error": {"code": "configuration"}}
    cases = [token_request(*row) for row in [
        ("token request with api scope", "facts: Authentication (OAuth)", "uae-production", "s3cr3t", "api",
         sent("https://auth.leantech.me/oauth2/token",
              "client_id=app-1234&client_secret=s3cr3t&grant_type=client_credentials&scope=api")),
        ("token request with a customer scope", "facts: Authentication (OAuth)", "ksa-sandbox", "s3cr3t",
         {"customer": CUSTOMER_ID},
         sent("https://auth.sandbox.sa.leantech.me/oauth2/token",
              f"client_id=app-1234&client_secret=s3cr3t&grant_type=client_credentials&scope=customer.{CUSTOMER_ID}")),
        ("token request form-encodes the secret", "RFC 6749 section 2.3.1", "ksa-production", "a+b/c=d&e", "api",
         sent("https://auth.sa.leantech.me/oauth2/token",
              "client_id=app-1234&client_secret=a%2Bb%2Fc%3Dd%26e&grant_type=client_credentials&scope=api")),
        ("token request in the uae sandbox needs a token host", "facts: Hosts", "uae-sandbox", "s3cr3t", "api",
         configuration),
        ("token request with an empty secret", "sdk: credentials", "uae-production", "", "api", configuration),
        ("token request with a blank customer id", "sdk: scopes", "uae-production", "s3cr3t", {"customer": " "},
         {"error": {"code": "validation", "fieldErrors": [{"field": "customer_id", "code": "invalid_format"}]}}),
    ]]

    def token(name, body, expect, checks=None, margin=None, status=200, doc="facts: Authentication (token answer)"):
        case = {"name": name, "doc": doc, "action": "parseToken",
                "response": {"status": status, "body": body}, "receivedAt": 1_700_000_000, "expect": expect}
        if checks is not None:
            case["checks"] = checks
        if margin is not None:
            case["marginSeconds"] = margin
        return case

    documented = {"access_token": "eyJhbGciOi.token", "token_type": "Bearer", "expires_in": 3599, "scope": "api"}
    cases += [
        token("documented token answer", documented,
              {"expiresAt": 1_700_003_599, "scope": "api", "authorization": "Bearer eyJhbGciOi.token"},
              checks=[{"at": 1_700_000_000, "needsRenewal": False},
                      {"at": 1_700_003_538, "needsRenewal": False},
                      {"at": 1_700_003_539, "needsRenewal": True},
                      {"at": 1_700_009_999, "needsRenewal": True}]),
        token("custom renewal margin", documented, {"expiresAt": 1_700_003_599},
              checks=[{"at": 1_700_003_298, "needsRenewal": False},
                      {"at": 1_700_003_299, "needsRenewal": True}], margin=300, doc="sdk: renewal margin"),
        token("short-lived token renews at half its life", {**documented, "expires_in": 60},
              {"expiresAt": 1_700_000_060},
              checks=[{"at": 1_700_000_029, "needsRenewal": False},
                      {"at": 1_700_000_030, "needsRenewal": True}], doc="sdk: renewal margin"),
        token("lower-case bearer accepted", {**documented, "token_type": "bearer"}, {"expiresAt": 1_700_003_599},
              doc="RFC 6749 section 5.1 (case-insensitive)"),
        token("expires_in as text accepted", {**documented, "expires_in": "3599"}, {"expiresAt": 1_700_003_599}),
        token("token without access_token", {"token_type": "Bearer", "expires_in": 3599},
              {"error": {"code": "invalid_response"}}),
        token("token without expires_in", {"access_token": "t", "token_type": "Bearer"},
              {"error": {"code": "invalid_response"}}),
        token("token of another type", {**documented, "token_type": "mac"}, {"error": {"code": "invalid_response"}}),
        token("token endpoint refuses the client", {"error": "invalid_client", "error_description": "bad secret"},
              {"error": {"code": "unauthorized", "status": 401, "message": "invalid_client"}}, status=401,
              doc="RFC 6749 section 5.2"),
        {"name": "app token header", "doc": "facts: Authentication (legacy)", "action": "appToken",
         "token": "app_token_123", "expect": {"headers": {"lean-app-token": "app_token_123"}}},
        {"name": "app token with a space refused", "doc": "sdk: credentials", "action": "appToken",
         "token": "app token", "expect": {"error": {"code": "configuration"}}},
        {"name": "bearer token header", "doc": "facts: Authentication (OAuth)", "action": "bearer",
         "token": "eyJhbGciOi.token", "expect": {"headers": {"authorization": "Bearer eyJhbGciOi.token"}}},
    ]
    return cases


def request_cases():
    def req(name, call, method, path, body=None, headers=None, env=None, auth=None, doc=None, url=None,
            body_contains=None):
        hdrs = headers or (POST if body is not None else GET)
        case = {"name": name, "doc": doc or "facts", "call": call,
                "expect": {"request": {"method": method, "url": url or UAE_SANDBOX + path,
                                       "headers": hdrs, "body": body}}}
        if body_contains:
            case["expect"]["request"]["bodyContains"] = body_contains
        if env:
            case["environment"] = env
        if auth:
            case["auth"] = auth
        return case

    return [
        req("create customer", {"operation": "createCustomer", "input": {"app_user_id": "user-42"}},
            "POST", "/customers/v1/", {"app_user_id": "user-42"}, doc="facts: Customers"),
        req("create customer with an emirates id",
            {"operation": "createCustomer", "input": {"app_user_id": "user-42", "government_identifiers": [
                {"type": "emirates_id", "value": "784-1990-1234567-1"}]}},
            "POST", "/customers/v1/",
            {"app_user_id": "user-42", "government_identifiers": [{"type": "EMIRATES_ID", "value": "784-1990-1234567-1"}]},
            doc="facts: Customers (government identifiers)"),
        req("create customer with 255 characters", {"operation": "createCustomer", "input": {"app_user_id": "u" * 255}},
            "POST", "/customers/v1/", {"app_user_id": "u" * 255}, doc="facts: app_user_id 1-255 chars"),
        req("get customer", {"operation": "getCustomer", "customerId": CUSTOMER_ID},
            "GET", f"/customers/v1/{CUSTOMER_ID}"),
        req("get customer by app user id encodes the segment",
            {"operation": "getCustomerByAppUserId", "appUserId": "user/42 é?#%"},
            "GET", "/customers/v1/app-user-id/user%2F42%20%C3%A9%3F%23%25"),
        req("list customers without paging", {"operation": "listCustomers"}, "GET", "/customers/v1"),
        req("list customers with paging", {"operation": "listCustomers", "pageNumber": 0, "pageSize": 50},
            "GET", "/customers/v1?page_number=0&page_size=50"),
        req("list customers page size only", {"operation": "listCustomers", "pageSize": 10},
            "GET", "/customers/v1?page_size=10"),
        req("list entities", {"operation": "listEntities", "customerId": CUSTOMER_ID},
            "GET", f"/customers/v1/{CUSTOMER_ID}/entities", doc="facts: Customers and entities"),
        req("get entity", {"operation": "getEntity", "customerId": CUSTOMER_ID, "entityId": ENTITY_ID},
            "GET", f"/customers/v1/{CUSTOMER_ID}/entities/{ENTITY_ID}"),
        req("identity", {"operation": "getIdentity", "input": {"entity_id": ENTITY_ID}},
            "POST", "/data/v1/identity", {"entity_id": ENTITY_ID, "async": False}, doc="facts: Data API"),
        req("accounts asynchronously", {"operation": "getAccounts", "input": {"entity_id": ENTITY_ID, "async": True}},
            "POST", "/data/v1/accounts", {"entity_id": ENTITY_ID, "async": True}),
        req("balance", {"operation": "getBalance", "input": {"entity_id": ENTITY_ID, "account_id": ACCOUNT_ID}},
            "POST", "/data/v1/balance", {"entity_id": ENTITY_ID, "account_id": ACCOUNT_ID, "async": False}),
        req("transactions", {"operation": "getTransactions",
                             "input": {"entity_id": ENTITY_ID, "account_id": ACCOUNT_ID, "async": True}},
            "POST", "/data/v1/transactions", {"entity_id": ENTITY_ID, "account_id": ACCOUNT_ID, "async": True}),
        req("data results", {"operation": "getDataResults", "resultsId": RESULTS_ID},
            "GET", f"/data/v2/results/{RESULTS_ID}", doc="facts: Asynchronous results"),
        req("create payment intent", {"operation": "createPaymentIntent", "input": {
            "customer_id": CUSTOMER_ID, "amount": "100.5", "currency": "aed", "description": " Rent "}},
            "POST", "/payments/v1/intents",
            {"customer_id": CUSTOMER_ID, "amount": 100.50, "currency": "AED", "description": "Rent"},
            doc="facts: Payments", body_contains='"amount":100.50,'),
        req("create payment intent with every field", {"operation": "createPaymentIntent", "input": {
            "customer_id": CUSTOMER_ID, "amount": 250, "currency": "SAR", "payment_destination_id": "dest-1",
            "purpose_code": "ACM"}},
            "POST", "/payments/v1/intents",
            {"customer_id": CUSTOMER_ID, "amount": 250.0, "currency": "SAR", "payment_destination_id": "dest-1",
             "purpose_code": "ACM"}, body_contains='"amount":250.00,'),
        req("get payment intent", {"operation": "getPaymentIntent", "paymentIntentId": INTENT_ID},
            "GET", f"/payments/v1/intents/{INTENT_ID}"),
        req("create payment destination", {"operation": "createPaymentDestination", "input": {
            "display_name": "Acme Rent", "name": "Acme LLC", "bank_identifier": "ENBD_UAE",
            "iban": "ae07 0331 2345 6789 0123 456", "swift_code": "ebilaead", "city": "Dubai", "country": "ARE",
            "account_number": "1234567890123456", "address": "1 Main St"}},
            "POST", "/payments/v1/destinations",
            {"display_name": "Acme Rent", "name": "Acme LLC", "bank_identifier": "ENBD_UAE", "iban": IBAN,
             "account_number": "1234567890123456", "swift_code": "EBILAEAD", "address": "1 Main St",
             "city": "Dubai", "country": "ARE"}, doc="facts: Payments (destinations)"),
        req("list payment destinations", {"operation": "listPaymentDestinations"}, "GET", "/payments/v1/destinations"),
        req("list banks", {"operation": "listBanks"}, "GET", "/banks/v1/", doc="vendor facts: banks"),
        req("list banks of an account type", {"operation": "listBanks", "accountTypes": "PERSONAL"},
            "GET", "/banks/v1/?account_types=PERSONAL", doc="vendor facts: banks"),
        req("get payment", {"operation": "getPayment", "paymentId": PAYMENT_ID},
            "GET", f"/payments/v1/{PAYMENT_ID}", doc="vendor facts: payment by id"),
        req("transactions in a date range with insights", {"operation": "getTransactions", "input": {
            "entity_id": ENTITY_ID, "account_id": ACCOUNT_ID, "start_date": "2026-01-01", "end_date": "2026-03-31",
            "insights": True}},
            "POST", "/data/v1/transactions",
            {"entity_id": ENTITY_ID, "account_id": ACCOUNT_ID, "async": False, "start_date": "2026-01-01",
             "end_date": "2026-03-31", "insights": True}, doc="vendor facts: transactions with insights"),
        req("create payment destination as the vendor's example", {"operation": "createPaymentDestination",
            "input": {"bank_type": "retail", "government_identifier": {"type": "EMIRATES_ID",
                                                                      "value": "784-1990-1234567-1"},
                      "name": "Acme LLC", "iban": IBAN, "display_name": "Acme", "address": "1 Main St",
                      "city": "Dubai", "country": "ARE"}},
            "POST", "/payments/v1/destinations",
            {"display_name": "Acme", "name": "Acme LLC", "iban": IBAN, "bank_type": "RETAIL",
             "government_identifier": {"type": "EMIRATES_ID", "value": "784-1990-1234567-1"},
             "address": "1 Main St", "city": "Dubai", "country": "ARE"},
            doc="vendor facts: payment destination (no bank_identifier)"),
        req("list payment intents", {"operation": "listPaymentIntents"}, "GET", "/payments/v1/intents",
            doc="vendor facts: list intents"),
        req("list entities by date", {"operation": "listEntitiesByDate", "startDate": "2026-01-01",
                                      "endDate": "2026-01-31", "pageNumber": 0, "pageSize": 20},
            "GET", "/customers/v1/entities?page_number=0&page_size=20&start_date=2026-01-01&end_date=2026-01-31",
            doc="vendor facts: entities in a date range"),
        *[req(f"{name} page", {"operation": name, "entityId": ENTITY_ID,
                               **({"accountId": ACCOUNT_ID} if per_account else {}), "pageNumber": 1, "pageSize": 25},
              "GET", (f"/data/v2/accounts/{ACCOUNT_ID}/{path}" if per_account else f"/data/v2/{path}")
              + f"?entity_id={ENTITY_ID}&page=1&size=25", doc="vendor facts: data v2")
          for name, path, per_account in DATA_PAGES],
        req("accounts without paging", {"operation": "listAccounts", "entityId": ENTITY_ID},
            "GET", f"/data/v2/accounts?entity_id={ENTITY_ID}", doc="vendor facts: data v2"),
        req("create data refresh", {"operation": "createDataRefresh", "entityId": ENTITY_ID},
            "POST", "/data/v2/refreshes", {"entity_id": ENTITY_ID}, doc="vendor facts: data refreshes"),
        req("get data refresh", {"operation": "getDataRefresh", "refreshId": REFRESH_ID},
            "GET", f"/data/v2/refreshes/{REFRESH_ID}", doc="vendor facts: data refreshes"),
        req("list data refreshes", {"operation": "listDataRefreshes", "entityId": ENTITY_ID, "pageSize": 5},
            "GET", f"/data/v2/refreshes?entity_id={ENTITY_ID}&size=5", doc="vendor facts: data refreshes"),
        req("ksa production host", {"operation": "getCustomer", "customerId": CUSTOMER_ID}, "GET",
            f"/customers/v1/{CUSTOMER_ID}", env="ksa-production", url=f"{KSA_PRODUCTION}/customers/v1/{CUSTOMER_ID}"),
        req("bearer authentication", {"operation": "listPaymentDestinations"}, "GET", "/payments/v1/destinations",
            auth={"bearer": "eyJhbGciOi.token"},
            headers={"authorization": "Bearer eyJhbGciOi.token", "accept": "application/json"},
            doc="facts: Authentication (OAuth)"),
    ]


def validation_cases():
    def bad(name, call, fields, doc="sdk: validation"):
        return {"name": name, "doc": doc, "call": call,
                "expect": {"error": {"code": "validation",
                                     "fieldErrors": [{"field": f, "code": c} for f, c in fields]}}}

    return [
        bad("create customer without app_user_id", {"operation": "createCustomer", "input": {}},
            [("app_user_id", "required")], "facts: app_user_id required"),
        bad("create customer with 256 characters", {"operation": "createCustomer", "input": {"app_user_id": "u" * 256}},
            [("app_user_id", "too_long")], "facts: app_user_id 1-255 chars"),
        bad("create customer with a control character",
            {"operation": "createCustomer", "input": {"app_user_id": "a\u0000b"}},
            [("app_user_id", "invalid_characters")]),
        bad("create customer with a misspelt field", {"operation": "createCustomer", "input": {"appUserId": "x"}},
            [("appUserId", "unknown_field"), ("app_user_id", "required")]),
        bad("create customer with a number", {"operation": "createCustomer", "input": {"app_user_id": 42}},
            [("app_user_id", "invalid_type")]),
        bad("emirates id of the wrong shape",
            {"operation": "createCustomer", "input": {"app_user_id": "u1", "government_identifiers": [
                {"type": "EMIRATES_ID", "value": "123"}]}},
            [("government_identifiers[0].value", "invalid_format")]),
        bad("government identifier without type",
            {"operation": "createCustomer", "input": {"app_user_id": "u1", "government_identifiers": [
                {"value": "X1"}]}},
            [("government_identifiers[0].type", "required")]),
        bad("government identifiers not a list",
            {"operation": "createCustomer", "input": {"app_user_id": "u1", "government_identifiers": "784"}},
            [("government_identifiers", "invalid_type")]),
        bad("get customer without id", {"operation": "getCustomer"}, [("customer_id", "required")]),
        bad("get customer with the id '..'", {"operation": "getCustomer", "customerId": ".."},
            [("customer_id", "invalid_value")], "sdk: path segments refuse '.' and '..'"),
        bad("get entity with the id '.'", {"operation": "getEntity", "customerId": "c-1", "entityId": "."},
            [("entity_id", "invalid_value")], "sdk: path segments refuse '.' and '..'"),
        bad("customer with the app_user_id '..'", {"operation": "createCustomer", "input": {"app_user_id": ".."}},
            [("app_user_id", "invalid_value")], "sdk: an app_user_id becomes a path segment of its lookup"),
        bad("payment intent with an amount of a thousand digits", {"operation": "createPaymentIntent", "input": {
            "amount": "1" * 1000, "currency": "AED", "customer_id": "c-1", "payment_destination_id": "d-1"}},
            [("amount", "too_long")], "sdk: amounts are checked by length before they are read"),
        bad("get entity without ids", {"operation": "getEntity"},
            [("customer_id", "required"), ("entity_id", "required")]),
        bad("list customers with page size zero", {"operation": "listCustomers", "pageSize": 0},
            [("page_size", "out_of_range")]),
        bad("list customers with a negative page", {"operation": "listCustomers", "pageNumber": -1},
            [("pageNumber", "invalid_type")]),
        bad("balance without account", {"operation": "getBalance", "input": {"entity_id": ENTITY_ID}},
            [("account_id", "required")], "facts: Data API (account_id for balance)"),
        bad("identity with an account", {"operation": "getIdentity",
                                         "input": {"entity_id": ENTITY_ID, "account_id": ACCOUNT_ID}},
            [("account_id", "unknown_field")]),
        bad("transactions without anything", {"operation": "getTransactions", "input": {}},
            [("entity_id", "required"), ("account_id", "required")]),
        bad("accounts with async as text", {"operation": "getAccounts",
                                            "input": {"entity_id": ENTITY_ID, "async": "yes"}},
            [("async", "invalid_type")]),
        bad("payment intent without anything", {"operation": "createPaymentIntent", "input": {}},
            [("customer_id", "required"), ("amount", "required"), ("currency", "required")]),
        bad("payment intent with a float amount", {"operation": "createPaymentIntent", "input": {
            "customer_id": CUSTOMER_ID, "amount": 10.5, "currency": "AED"}}, [("amount", "invalid_type")],
            "sdk: money is decimal"),
        bad("payment intent with three decimals", {"operation": "createPaymentIntent", "input": {
            "customer_id": CUSTOMER_ID, "amount": "10.005", "currency": "AED"}}, [("amount", "too_many_decimals")]),
        bad("payment intent of zero", {"operation": "createPaymentIntent", "input": {
            "customer_id": CUSTOMER_ID, "amount": "0.00", "currency": "AED"}}, [("amount", "out_of_range")]),
        bad("payment intent with a negative amount", {"operation": "createPaymentIntent", "input": {
            "customer_id": CUSTOMER_ID, "amount": "-5", "currency": "AED"}}, [("amount", "out_of_range")]),
        bad("payment intent with a bad currency", {"operation": "createPaymentIntent", "input": {
            "customer_id": CUSTOMER_ID, "amount": "5", "currency": "DIRHAM"}}, [("currency", "invalid_format")],
            "facts: currency (3 letters)"),
        bad("payment intent with a currency of digits", {"operation": "createPaymentIntent", "input": {
            "customer_id": CUSTOMER_ID, "amount": "5", "currency": "784"}}, [("currency", "invalid_format")]),
        bad("payment intent with an amount in words", {"operation": "createPaymentIntent", "input": {
            "customer_id": CUSTOMER_ID, "amount": "ten", "currency": "AED"}}, [("amount", "invalid_format")]),
        bad("destination without anything", {"operation": "createPaymentDestination", "input": {}},
            [("display_name", "required"), ("name", "required"), ("iban", "required")],
            "vendor facts: bank_identifier optional"),
        bad("destination with a bad government identifier", {"operation": "createPaymentDestination", "input": {
            "display_name": "A", "name": "A", "iban": IBAN, "bank_type": "RETAIL BANK",
            "government_identifier": {"type": "EMIRATES_ID", "value": "12"}}},
            [("bank_type", "invalid_format"), ("government_identifier.value", "invalid_format")]),
        bad("transactions with a backwards range", {"operation": "getTransactions", "input": {
            "entity_id": ENTITY_ID, "account_id": ACCOUNT_ID, "start_date": "2026-02-01", "end_date": "2026-01-01"}},
            [("end_date", "out_of_range")]),
        bad("transactions with a bad date and insights as text", {"operation": "getTransactions", "input": {
            "entity_id": ENTITY_ID, "account_id": ACCOUNT_ID, "start_date": "2026-02-30", "insights": "yes"}},
            [("insights", "invalid_type"), ("start_date", "invalid_date")]),
        bad("balance with a date range", {"operation": "getBalance", "input": {
            "entity_id": ENTITY_ID, "account_id": ACCOUNT_ID, "start_date": "2026-01-01"}},
            [("start_date", "unknown_field")]),
        bad("entities by date without dates", {"operation": "listEntitiesByDate"},
            [("start_date", "required"), ("end_date", "required")]),
        bad("entities by date backwards", {"operation": "listEntitiesByDate", "startDate": "2026-02-01",
                                           "endDate": "2026-01-01"}, [("end_date", "out_of_range")]),
        bad("account balances without account", {"operation": "listAccountBalances", "entityId": ENTITY_ID},
            [("account_id", "required")]),
        bad("accounts page of size zero", {"operation": "listAccounts", "entityId": ENTITY_ID, "pageSize": 0},
            [("page_size", "out_of_range")]),
        bad("accounts page without entity", {"operation": "listAccounts"}, [("entity_id", "required")]),
        bad("data refresh with the id '..'", {"operation": "getDataRefresh", "refreshId": ".."},
            [("refresh_id", "invalid_value")], "sdk: path segments refuse '.' and '..'"),
        bad("destination with a mistyped iban", {"operation": "createPaymentDestination", "input": {
            "display_name": "A", "name": "A", "bank_identifier": "B", "iban": "AE070331234567890123457"}},
            [("iban", "invalid_format")], "ISO 13616 mod-97"),
        bad("destination with a bad swift code", {"operation": "createPaymentDestination", "input": {
            "display_name": "A", "name": "A", "bank_identifier": "B", "iban": IBAN, "swift_code": "EBIL"}},
            [("swift_code", "invalid_format")]),
        bad("get payment without id", {"operation": "getPayment"}, [("payment_id", "required")]),
        bad("get payment with the id '..'", {"operation": "getPayment", "paymentId": ".."},
            [("payment_id", "invalid_value")], "sdk: path segments refuse '.' and '..'"),
        bad("list banks with an empty account type", {"operation": "listBanks", "accountTypes": " "},
            [("account_types", "required")]),
        bad("list banks with an account type of the wrong type", {"operation": "listBanks", "accountTypes": 1},
            [("accountTypes", "invalid_type")]),
        {"name": "unknown operation", "doc": "sdk", "call": {"operation": "deleteCustomer"},
         "expect": {"error": {"code": "configuration"}}},
    ]


def response_cases():
    def ok(name, op, body, value, status=200, doc="facts"):
        return {"name": name, "doc": doc, "operation": op, "response": {"status": status, "body": body},
                "expect": {"value": value}}

    def err(name, op, status, body, error, doc="facts: Errors", body_text=None):
        response = {"status": status}
        if body_text is not None:
            response["bodyText"] = body_text
        else:
            response["body"] = body
        return {"name": name, "doc": doc, "operation": op, "response": response, "expect": {"error": error}}

    customer = {"app_user_id": "user-42", "customer_id": CUSTOMER_ID}
    entity = {"id": ENTITY_ID, "customer_id": CUSTOMER_ID, "bank_identifier": "ENBD_UAE",
              "permissions": {"identity": True, "accounts": True, "balance": True, "transactions": False}}
    intent = {"payment_intent_id": INTENT_ID, "customer_id": CUSTOMER_ID, "amount": 100.5, "currency": "AED",
              "description": "Rent", "payments": [],
              "payment_destination": {"id": "dest-1", "display_name": "Acme Rent", "iban": IBAN}}
    bank = {"identifier": "LEANMB1", "name": "Lean Mock Bank", "logo": "https://cdn.example/leanmb1.png",
            "main_color": "#1a1a1a", "background_color": "#ffffff", "bank_type": "RETAIL",
            "account_type": "PERSONAL",
            "availability": {"active": {"payments": True, "data": True}, "enabled": {"payments": True, "data": False}}}
    payment = {"id": PAYMENT_ID, "amount": 12.34, "currency": "AED", "status": "ACCEPTED_BY_BANK",
               "intent_id": INTENT_ID, "customer_id": CUSTOMER_ID, "payment_destination_id": "dest-1",
               "bank_transaction_reference": "SBX1234567890", "metadata": {"order": "A-17"}}
    pending = {"status": "PENDING", "results_id": RESULTS_ID, "message": "Results are being processed",
               "timestamp": "2026-11-23T10:00:00Z"}
    return [
        ok("customer created", "createCustomer", customer, customer, doc="facts: Customers"),
        ok("customer with unknown fields kept", "getCustomer", {**customer, "created_at": "2026-01-01", "tier": 2},
           {**customer, "created_at": "2026-01-01", "tier": 2}, doc="sdk: forward compatible"),
        ok("customer page as an array", "listCustomers", [customer], {"customers": [customer]}),
        ok("customer page in content with paging kept", "listCustomers",
           {"content": [customer], "page_number": 0, "total_pages": 3},
           {"customers": [customer], "page_number": 0, "total_pages": 3}, doc="sdk: page shape undocumented"),
        ok("entities", "listEntities", [entity], [entity], doc="facts: entities"),
        ok("entity with a new permission kept", "getEntity",
           {**entity, "permissions": {**entity["permissions"], "standing_orders": True}},
           {**entity, "permissions": {**entity["permissions"], "standing_orders": True}}),
        ok("balance ready", "getBalance",
           {"status": "OK", "payload": {"balance": 1200.5, "currency_code": "AED"}, "results_id": RESULTS_ID,
            "timestamp": "2026-11-23T10:00:00Z"},
           {"status": "OK", "payload": {"balance": "1200.5", "currency_code": "AED"}, "results_id": RESULTS_ID,
            "timestamp": "2026-11-23T10:00:00Z"}, doc="facts: Data API; sdk: bank-data numbers as exact text"),
        {"name": "bank data numbers keep their exact text", "operation": "getTransactions",
         "doc": "sdk: money is decimal (a fraction, an exponent or more than 15 digits becomes a string of its text)",
         "response": {"status": 200, "bodyText": '{"status":"OK","payload":{"transactions":[{"amount":-0.10,'
                      '"balance":12450.75,"rate":1e-2,"id":12345678901234567,"count":2,"note":"1.50"}]}}'},
         "expect": {"value": {"status": "OK", "payload": {"transactions": [
             {"amount": "-0.10", "balance": "12450.75", "rate": "1e-2", "id": "12345678901234567",
              "count": 2, "note": "1.50"}]}}}},
        ok("identity pending", "getIdentity", pending, pending, doc="facts: Asynchronous results"),
        ok("pending answer with http 202", "getTransactions", pending, pending, status=202),
        ok("results ready", "getDataResults", {"status": "ok", "payload": {"accounts": []}},
           {"status": "OK", "payload": {"accounts": []}}, doc="sdk: statuses read in any case"),
        ok("unknown data status kept", "getAccounts", {"status": "PARTIAL", "payload": {"accounts": []}},
           {"status": "PARTIAL", "payload": {"accounts": []}}, doc="sdk: forward compatible"),
        err("data failed with http 200", "getBalance", 200,
            {"status": "FAILED", "granular_status_code": "ACCOUNT_NOT_FOUND", "message": "Account not found"},
            {"code": "api_error", "status": 200, "message": "Account not found (ACCOUNT_NOT_FOUND)",
             "apiCode": "FAILED", "granularStatusCode": "ACCOUNT_NOT_FOUND"},
            doc="facts: Data failures with HTTP 200"),
        ok("pending with an epoch timestamp", "getIdentity", {**pending, "timestamp": 1763892000},
           {**pending, "timestamp": "1763892000"}, doc="sdk: timestamps read as text"),
        err("pending without results id", "getIdentity", 200, {"status": "PENDING"}, {"code": "invalid_response"}),
        ok("payment intent with a fractional amount", "getPaymentIntent", intent,
           # An empty `payments` list is omitted like an absent field.
           {k: v for k, v in {**intent, "amount": "100.50"}.items() if k != "payments"},
           doc="facts: Payments; sdk: amounts exact"),
        ok("payment intent with a string amount and payments", "createPaymentIntent",
           {**intent, "amount": "75.25", "payments": [{"id": "p1", "status": "ACCEPTED_BY_BANK"}]},
           {**intent, "amount": "75.25", "payments": [{"id": "p1", "status": "ACCEPTED_BY_BANK"}]}),
        {"name": "payment intent amounts and unknown numbers read from their text", "operation": "getPaymentIntent",
         "doc": "sdk: money is decimal (no answer's number passes through a binary float)",
         "response": {"status": 200, "bodyText": '{"payment_intent_id":"%s","amount":100.10,"fee":0.30,'
                      '"fx_rate":3.6725000000000001}' % INTENT_ID},
         "expect": {"value": {"payment_intent_id": INTENT_ID, "amount": "100.10", "fee": "0.30",
                              "fx_rate": "3.6725000000000001"}}},
        ok("payment intent with null payments", "getPaymentIntent",
           {"payment_intent_id": INTENT_ID, "amount": 5, "payments": None, "payment_destination": None},
           {"payment_intent_id": INTENT_ID, "amount": "5.00"}, doc="sdk: null read as absent"),
        err("payment intent with three decimals", "getPaymentIntent", 200, {**intent, "amount": "1.005"},
            {"code": "invalid_response"}, doc="sdk: amounts never rounded"),
        ok("destinations", "listPaymentDestinations", {"data": [{"id": "dest-1", "name": "Acme LLC"}]},
           [{"id": "dest-1", "name": "Acme LLC"}]),
        ok("destination created", "createPaymentDestination",
           {"id": "dest-1", "display_name": "Acme Rent", "status": "ACTIVE"},
           {"id": "dest-1", "display_name": "Acme Rent", "status": "ACTIVE"}),
        ok("banks", "listBanks", [bank, {"identifier": "ENBD_UAE", "name": "Emirates NBD"}],
           [bank, {"identifier": "ENBD_UAE", "name": "Emirates NBD"}], doc="vendor facts: banks"),
        ok("banks in data with unknown fields kept", "listBanks",
           {"data": [{**bank, "swift_code": "EBILAEAD", "traits": ["payments"]}]},
           [{**bank, "swift_code": "EBILAEAD", "traits": ["payments"]}], doc="sdk: forward compatible"),
        err("bank without identifier", "listBanks", 200, [{"name": "No id"}], {"code": "invalid_response"}),
        ok("payment", "getPayment", payment, {**payment, "amount": "12.34"},
           doc="vendor facts: payment.created payload; sdk: amounts exact"),
        {"name": "payment amount read from its text", "operation": "getPayment",
         "doc": "sdk: money is decimal (no answer's number passes through a binary float)",
         "response": {"status": 200, "bodyText": '{"id":"%s","amount":25,"status":"FAILED",'
                      '"reason":"the bank refused the payment","fee":0.10}' % PAYMENT_ID},
         "expect": {"value": {"id": PAYMENT_ID, "amount": "25.00", "status": "FAILED",
                              "reason": "the bank refused the payment", "fee": "0.10"}}},
        err("payment with three decimals", "getPayment", 200, {**payment, "amount": 1.005},
            {"code": "invalid_response"}, doc="sdk: amounts never rounded"),
        ok("payment intents", "listPaymentIntents", {"data": [intent]},
           [{k: v for k, v in {**intent, "amount": "100.50"}.items() if k != "payments"}],
           doc="vendor facts: list intents"),
        ok("entities by date", "listEntitiesByDate",
           {"content": [{**entity, "created_at": "2026-01-02T10:00:00Z"}], "total_pages": 1},
           [{**entity, "created_at": "2026-01-02T10:00:00Z"}], doc="vendor facts: entities in a date range"),
        {"name": "accounts page with exact numbers and paging kept", "operation": "listAccounts",
         "doc": "sdk: data v2 records as JSON, money as exact text",
         "response": {"status": 200, "bodyText": '{"status":"OK","data":[{"account_id":"a1","balance":100.10}],'
                      '"page":{"number":0,"size":50,"total_elements":1,"total_pages":1}}'},
         "expect": {"value": {"status": "OK", "data": [{"account_id": "a1", "balance": "100.10"}],
                              "page": {"number": 0, "size": 50, "total_elements": 1, "total_pages": 1}}}},
        err("account transactions failed with http 200", "listAccountTransactions", 200,
            {"status": "FAILED", "granular_status_code": "CONSENT_EXPIRED", "message": "Reconnect the bank"},
            {"code": "api_error", "status": 200, "message": "Reconnect the bank (CONSENT_EXPIRED)",
             "apiCode": "FAILED", "granularStatusCode": "CONSENT_EXPIRED"}, doc="facts: Data failures with HTTP 200"),
        err("accounts page that is a list", "listAccounts", 200, [], {"code": "invalid_response"}),
        ok("data refresh created", "createDataRefresh",
           {"refresh_id": REFRESH_ID, "entity_id": ENTITY_ID, "status": "IN_PROGRESS"},
           {"refresh_id": REFRESH_ID, "entity_id": ENTITY_ID, "status": "IN_PROGRESS"},
           status=201, doc="vendor facts: data refreshes"),
        ok("data refresh completed", "getDataRefresh",
           {"refresh_id": REFRESH_ID, "entity_id": ENTITY_ID, "status": "COMPLETED",
            "data_status": {"accounts": "OK", "identity": "OK", "account_data": [
                {"account_id": ACCOUNT_ID, "balance": "OK", "transactions": "OK", "direct_debits": "UNSUPPORTED",
                 "transaction_availability": {"start": "2025-01-01", "end": "2026-01-01", "complete_months": 12}}]}},
           {"refresh_id": REFRESH_ID, "entity_id": ENTITY_ID, "status": "COMPLETED",
            "data_status": {"accounts": "OK", "identity": "OK", "account_data": [
                {"account_id": ACCOUNT_ID, "balance": "OK", "transactions": "OK", "direct_debits": "UNSUPPORTED",
                 "transaction_availability": {"start": "2025-01-01", "end": "2026-01-01", "complete_months": 12}}]}},
           doc="vendor facts: entity.data.refresh.updated payload"),
        ok("data refreshes", "listDataRefreshes",
           {"data": [{"refresh_id": REFRESH_ID, "entity_id": ENTITY_ID, "status": "IN_PROGRESS"}],
            "page": {"number": 0}},
           [{"refresh_id": REFRESH_ID, "entity_id": ENTITY_ID, "status": "IN_PROGRESS"}]),
        err("data refresh without id", "getDataRefresh", 200, {"entity_id": ENTITY_ID}, {"code": "invalid_response"}),
        ok("destination of the vendor's shape", "createPaymentDestination",
           {"id": "dest-2", "bank_type": "RETAIL", "iban": IBAN,
            "government_identifier": {"type": "EMIRATES_ID", "value": "784-1990-1234567-1"}},
           {"id": "dest-2", "bank_type": "RETAIL", "iban": IBAN,
            "government_identifier": {"type": "EMIRATES_ID", "value": "784-1990-1234567-1"}},
           doc="vendor facts: payment destination"),
        err("payment not found", "getPayment", 404, {"status": "INVALID_URL", "message": "No such payment"},
            {"code": "not_found", "apiCode": "INVALID_URL"}),
        err("customer already exists", "getCustomer", 409,
            {"status": "CUSTOMER_ALREADY_EXISTS", "message": "Customer already exists", "timestamp": "2026-11-23"},
            {"code": "api_error", "status": 409, "message": "Customer already exists",
             "apiCode": "CUSTOMER_ALREADY_EXISTS"}),
        err("invalid parameters", "getCustomer", 400,
            {"status": "INVALID_PARAMETERS", "message": "customer_id is not a UUID"},
            {"code": "bad_request", "status": 400, "message": "customer_id is not a UUID",
             "apiCode": "INVALID_PARAMETERS"}),
        err("missing parameters", "getAccounts", 400, {"status": "MISSING_PARAMETERS", "message": "entity_id"},
            {"code": "bad_request", "apiCode": "MISSING_PARAMETERS"}),
        err("certificate token mismatch", "listEntities", 401,
            {"status": "CERTIFICATE_TOKEN_MISMATCH", "message": "Certificate does not match"},
            {"code": "unauthorized", "apiCode": "CERTIFICATE_TOKEN_MISMATCH"}),
        err("invalid certificate", "listEntities", 403, {"status": "INVALID_CERTIFICATE", "message": "x"},
            {"code": "api_error", "status": 403, "apiCode": "INVALID_CERTIFICATE"}),
        err("insufficient access level", "getPaymentIntent", 403,
            {"status": "INSUFFICIENT_ACCESS_LEVEL", "message": "x"},
            {"code": "api_error", "apiCode": "INSUFFICIENT_ACCESS_LEVEL"}),
        err("invalid url", "getEntity", 404, {"status": "INVALID_URL", "message": "No such path"},
            {"code": "not_found", "apiCode": "INVALID_URL"}),
        err("rate limit exceeded", "listPaymentDestinations", 429,
            {"status": "RATE_LIMIT_EXCEEDED", "message": "Slow down"},
            {"code": "rate_limited", "apiCode": "RATE_LIMIT_EXCEEDED"}),
        err("internal server error", "getDataResults", 500, {"status": "INTERNAL_SERVER_ERROR", "message": "oops"},
            {"code": "server_error", "apiCode": "INTERNAL_SERVER_ERROR"}),
        err("unknown error code kept", "getCustomer", 422, {"status": "BANK_UNAVAILABLE", "message": "Try later"},
            {"code": "api_error", "message": "Try later", "apiCode": "BANK_UNAVAILABLE"},
            doc="sdk: forward compatible"),
        err("error without a body", "getCustomer", 502, None, {"code": "server_error", "status": 502}, body_text=""),
        err("malformed success body", "getCustomer", 200, None, {"code": "invalid_response"}, body_text="{not json"),
        err("customer without id", "getCustomer", 200, {"app_user_id": "x"}, {"code": "invalid_response"}),
    ]


SECRET = "whsec_open_banking_test"
OTHER = "whsec_previous"


def sig_hex(secret, body):
    return "sha512=" + hmac.new(secret.encode(), body.encode(), hashlib.sha512).hexdigest()


def sig_b64(secret, body, alphabet="std", pad=True):
    digest = hmac.new(secret.encode(), body.encode(), hashlib.sha512).digest()
    text = (base64.b64encode if alphabet == "std" else base64.urlsafe_b64encode)(digest).decode()
    return "sha512=" + (text if pad else text.rstrip("="))


def webhook_cases():
    ready = json.dumps({"type": "results.ready", "payload": {"id": RESULTS_ID, "customer_id": CUSTOMER_ID},
                        "message": "Results are ready", "timestamp": "2026-11-23T10:00:00Z",
                        "event_id": "7f3c6c52-0d0b-4a8e-8e0a-1c2d3e4f5a6b"})
    entity = json.dumps({"type": "entity.created", "payload": {"id": ENTITY_ID, "customer_id": CUSTOMER_ID,
                                                                "bank_identifier": "ENBD_UAE"},
                         "message": "Entity created", "timestamp": "2026-11-23T10:00:00Z", "event_id": "e-2"})
    # Lean's published sample: permissions as the array of names granted,
    # with the app user and the bank's details (kept as sent).
    bank_details = {"logo": "https://cdn.leantech.me/img/banks/enbd.png", "name": "Emirates NBD",
                    "bank_type": "RETAIL", "identifier": "ENBD_UAE", "main_color": "#072c5b", "swift_code": None,
                    "account_type": "PERSONAL", "background_color": "#ffffff"}
    vendor_entity = {"id": ENTITY_ID, "app_user_id": "user-1042", "customer_id": CUSTOMER_ID,
                     "permissions": ["identity", "accounts", "balance"], "bank_details": bank_details}
    entity_vendor = json.dumps({"type": "entity.created", "message": "An entity object has been created.",
                                "payload": vendor_entity, "event_id": "e-6",
                                "timestamp": "2026-05-12T15:40:36.398576427Z"})
    entity_vendor_event = json.loads(entity_vendor)
    entity_vendor_event["payload"]["permissions"] = {"identity": True, "accounts": True, "balance": True,
                                                     "transactions": False}
    unknown = json.dumps({"type": "payment.reconciliation.updated", "payload": {"bank": "X", "up": True},
                          "event_id": "e-3", "retry_count": 0})
    # A byte-exact body that re-serialising would change (spacing, key order).
    spaced = '{ "type" : "payment.created", "payload" : {"id": "p-4", "b": 1, "a": 2}, "event_id" : "e-4" }'

    def verify(name, payload, signature, expect, secrets=(SECRET,), doc="facts: Webhooks (signature)"):
        case = {"name": name, "doc": doc, "action": "verify", "secrets": list(secrets), "payload": payload,
                "expect": expect}
        if signature is not None:
            case["signature"] = signature
        return case

    valid = {"valid": True}
    cases = [
        {"name": "sign writes sha512 hex", "doc": "facts: Webhooks", "action": "sign", "secrets": [SECRET],
         "payload": ready, "expect": {"signature": sig_hex(SECRET, ready)}},
        {"name": "sign an empty body", "doc": "facts: Webhooks", "action": "sign", "secrets": [SECRET],
         "payload": "", "expect": {"signature": sig_hex(SECRET, "")}},
        verify("hex digest", ready, sig_hex(SECRET, ready), valid),
        verify("upper-case hex digest", ready, "sha512=" + sig_hex(SECRET, ready)[7:].upper(), valid),
        verify("upper-case prefix", ready, "SHA512=" + sig_hex(SECRET, ready)[7:], valid),
        verify("base64 digest", ready, sig_b64(SECRET, ready), valid, doc="facts: hex or base64 unknown"),
        verify("base64 digest without padding", ready, sig_b64(SECRET, ready, pad=False), valid),
        verify("url-safe base64 digest", spaced, sig_b64(SECRET, spaced, "url"), valid),
        verify("surrounding white space ignored", ready, "  " + sig_hex(SECRET, ready) + " ", valid),
        verify("byte-exact body", spaced, sig_hex(SECRET, spaced), valid),
        verify("rotated secret", ready, sig_hex(OTHER, ready), valid, secrets=(SECRET, OTHER),
               doc="sdk: several secrets"),
        verify("unicode body", '{"type":"x.y","payload":{"name":"محمد"}}',
               sig_hex(SECRET, '{"type":"x.y","payload":{"name":"محمد"}}'), valid),
        verify("large body", {"repeat": "lean ", "times": 200000},
               sig_hex(SECRET, "lean " * 200000), valid),
        verify("missing header", ready, None, {"error": {"code": "signature_missing"}}),
        verify("empty header", ready, " ", {"error": {"code": "signature_missing"}}),
        verify("digest without prefix", ready, sig_hex(SECRET, ready)[7:], {"error": {"code": "signature_malformed"}}),
        verify("sha256 prefix", ready, "sha256=" + sig_hex(SECRET, ready)[7:], {"error": {"code": "signature_malformed"}}),
        verify("truncated hex digest", ready, sig_hex(SECRET, ready)[:-2], {"error": {"code": "signature_malformed"}}),
        verify("hex digest of sha256 length", ready,
               "sha512=" + hmac.new(SECRET.encode(), ready.encode(), hashlib.sha256).hexdigest(),
               {"error": {"code": "signature_malformed"}}),
        verify("not a digest", ready, "sha512=not-a-digest!", {"error": {"code": "signature_malformed"}}),
        verify("wrong secret", ready, sig_hex("whsec_other", ready), {"error": {"code": "signature_mismatch"}}),
        verify("body changed", ready.replace("ready", "READY"), sig_hex(SECRET, ready),
               {"error": {"code": "signature_mismatch"}}),
        verify("re-serialised body", json.dumps(json.loads(spaced)), sig_hex(SECRET, spaced),
               {"error": {"code": "signature_mismatch"}}, doc="sdk: raw body only"),
        verify("one flipped bit in the digest", ready,
               sig_hex(SECRET, ready)[:-1] + ("0" if sig_hex(SECRET, ready)[-1] != "0" else "1"),
               {"error": {"code": "signature_mismatch"}}),
        verify("arbitrary bytes", {"base64": base64.b64encode(bytes(range(256))).decode()},
               "sha512=" + hmac.new(SECRET.encode(), bytes(range(256)), hashlib.sha512).hexdigest(), valid),
        verify("empty secret refused", ready, sig_hex(SECRET, ready), {"error": {"code": "configuration"}},
               secrets=("",)),
    ]

    def event(name, payload, expect, signature=None, doc="facts: Webhooks (envelope)"):
        return {"name": name, "doc": doc, "action": "constructEvent", "secrets": [SECRET], "payload": payload,
                "signature": signature if signature is not None else sig_hex(SECRET, payload), "expect": expect}

    cases += [
        event("results ready event", ready, {"event": json.loads(ready)}),
        *vendor_events(event),
        event("entity created event", entity, {"event": json.loads(entity)}),
        event("entity created as Lean sends it", entity_vendor, {"event": entity_vendor_event},
              doc="vendor facts: entity.created (permissions an array)"),
        event("unknown event kept", unknown, {"event": json.loads(unknown)}, doc="sdk: forward compatible"),
        event("payment event kept byte-exact", spaced, {"event": json.loads(spaced)}),
        event("numeric timestamp kept as sent", '{"type":"x.y","payload":null,"timestamp":1763892000,"event_id":"e-5"}',
              {"event": {"type": "x.y", "payload": None, "timestamp": 1763892000, "event_id": "e-5"}}),
        event("event without type", '{"payload":{}}', {"error": {"code": "invalid_payload"}}),
        event("event that is not json", "hello", {"error": {"code": "invalid_payload"}}),
        event("event that is an array", "[1,2]", {"error": {"code": "invalid_payload"}}),
        event("results ready without id", '{"type":"results.ready","payload":{}}',
              {"error": {"code": "invalid_payload"}}),
        event("event with a bad signature", ready, {"error": {"code": "signature_mismatch"}},
              signature=sig_hex("whsec_other", ready)),
    ]
    return cases


def vendor_events(event):
    """Lean's published sample bodies of the typed webhooks (ids, names and
    amounts replaced), and known types whose payload is not of their shape."""
    stamp = "2026-05-12T15:40:36.398576427Z"

    def body(kind, payload, event_id, message="An event has occurred."):
        return json.dumps({"type": kind, "message": message, "payload": payload, "event_id": event_id,
                           "timestamp": stamp})

    def normalised(text, **payload):
        out = json.loads(text)
        for key, value in payload.items():
            if value is None:
                out["payload"].pop(key, None)
            else:
                out["payload"][key] = value
        return {"event": out}

    doc = "vendor facts: Webhook bodies"
    payment = {"id": PAYMENT_ID, "amount": 25, "status": "ACCEPTED_BY_BANK", "currency": "AED",
               "metadata": {"order": "A-17"}, "intent_id": INTENT_ID, "customer_id": CUSTOMER_ID,
               "payment_destination_id": "d3a1b2c4-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
               "bank_transaction_reference": "FT26133XYZ01"}
    created = body("payment.created", payment, "w-10", "A payment object has been created.")
    updated = body("payment.updated", {**payment, "amount": 12.34, "status": "FAILED",
                                       "reason": "Insufficient funds"}, "w-11")
    intent = body("payment_intent.created", {"intent_id": INTENT_ID, "amount": 100.5, "reason": "Rent",
                                             "status": "INTENT_CREATED", "currency": "AED",
                                             "metadata": {"unit": "4B"}}, "w-12")
    source = {"id": "b7c6d5e4-f3a2-4b1c-9d8e-7f6a5b4c3d2e", "status": "ACTIVE", "bank_name": "Emirates NBD",
              "customer_id": CUSTOMER_ID, "end_user_id": None, "bank_identifier": "ENBD_UAE"}
    source_created = body("payment_source.created", source, "w-13")
    beneficiary = body("payment_source.beneficiary.created",
                       {**source, "status": "AWAITING_BENEFICIARY_COOL_OFF",
                        "payment_destination_id": "d3a1b2c4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"}, "w-14")
    account = {"account_id": ACCOUNT_ID, "balance": "OK", "identity": "OK", "transactions": "OK",
               "beneficiaries": "UNSUPPORTED", "direct_debits": "UNSUPPORTED", "standing_orders": "OK",
               "scheduled_payments": "UNSUPPORTED",
               "transaction_availability": {"start": "2025-05-01", "end": "2026-05-12", "complete_months": 12}}
    refresh = body("entity.data.refresh.updated",
                   {"status": "FINISHED", "entity_id": ENTITY_ID, "refresh_id": "r-5f6a7b8c", "app_user_id": "user-1042",
                    "customer_id": CUSTOMER_ID,
                    "data_status": {"accounts": "OK", "identity": "OK", "account_data": [account]}}, "w-15")
    availability = body("bank.availability.updated",
                        {"identifier": "RIBL_SAU", "availability": {"active": {"payments": True, "data": False},
                                                                    "enabled": {"payments": True, "data": True}}},
                        "w-16")
    refused = {"error": {"code": "invalid_payload"}}
    return [
        event("payment created as Lean sends it", created, normalised(created, amount="25.00"), doc=doc),
        event("payment updated with a fractional amount", updated, normalised(updated, amount="12.34"), doc=doc),
        event("payment intent created as Lean sends it", intent, normalised(intent, amount="100.50"), doc=doc),
        event("payment source created as Lean sends it", source_created,
              normalised(source_created, end_user_id=None), doc=doc),
        event("payment source beneficiary created", beneficiary, normalised(beneficiary, end_user_id=None), doc=doc),
        event("entity data refresh updated as Lean sends it", refresh, normalised(refresh), doc=doc),
        event("bank availability updated as Lean sends it", availability, normalised(availability), doc=doc),
        event("payment event without id", body("payment.updated", {"amount": 1}, "w-17"), refused,
              doc="sdk: a known type must have its documented shape"),
        event("payment amount with three decimals", body("payment.created", {**payment, "amount": 12.345}, "w-18"),
              refused, doc="sdk: amounts are exact, never rounded"),
        event("bank availability with a flag that is text",
              body("bank.availability.updated", {"identifier": "RIBL_SAU",
                                                 "availability": {"active": {"payments": "yes"}}}, "w-19"),
              refused),
    ]


def engine_cases():
    """The shared call engine driving open-banking operations (same format as ../engine.json)."""
    def case(name, call, exchanges, expect, retries=2, doc="sdk: call engine", waits=None):
        out = {"name": name, "doc": doc, "config": {"maxRetries": retries}, "call": call,
               "exchanges": exchanges, "expect": expect}
        if waits is not None:
            out["waitsMs"] = waits
        lookup_id = {"app_user_id": call["input"]["app_user_id"]} if call["operation"] == "createCustomer" else {}
        return with_trace(out, lookup_id)

    def ex(method, path, reply, headers=None):
        request = {"method": method, "path": path}
        if headers:
            request["headers"] = headers
        return {"request": request, "reply": reply}

    def reply_text(status, text, headers=None):
        out = {"status": status, "bodyText": text}
        if headers:
            out["headers"] = headers
        return out

    def reply(status, body=None, headers=None):
        out = {"status": status}
        if body is not None:
            out["body"] = body
        if headers:
            out["headers"] = headers
        return out

    timeout = {"transportError": "timeout"}
    connect = {"transportError": "connect"}
    customer = {"operation": "createCustomer", "input": {"app_user_id": "user-42"}}
    found = {"customer_id": "c-42", "app_user_id": "user-42"}
    exists = {"status": "CUSTOMER_ALREADY_EXISTS", "message": "Customer already exists"}
    intent = {"operation": "createPaymentIntent",
              "input": {"amount": "10.50", "currency": "AED", "payment_destination_id": "dest-1",
                        "customer_id": "c-42"}}
    intent_found = {"payment_intent_id": INTENT_ID, "customer_id": "c-42", "amount": "10.50", "currency": "AED"}
    destination = {"operation": "createPaymentDestination", "input": {
        "display_name": "Acme Rent", "name": "Acme LLC", "bank_identifier": "ENBD_UAE", "iban": IBAN,
        "account_number": "1234567890123456", "swift_code": "EBILAEAD", "address": "1 Main St",
        "city": "Dubai", "country": "ARE"}}
    balance = {"operation": "getBalance", "input": {"entity_id": "e-1", "account_id": "a-1"}}
    return [
        case("read succeeds at once", {"operation": "getCustomer", "customerId": "c-42"},
             [ex("GET", "/customers/v1/c-42", reply(200, found))], {"value": found}),
        case("data calls are reads: a 503 is retried", balance,
             [ex("POST", "/data/v1/balance", reply(503, {"status": "INTERNAL_SERVER_ERROR", "message": "busy"})),
              ex("POST", "/data/v1/balance", timeout),
              ex("POST", "/data/v1/balance", reply(200, {"status": "OK", "payload": {"balance": 1.5}}))],
             {"value": {"status": "OK", "payload": {"balance": "1.5"}}}),
        case("a FAILED data answer is not retried", balance,
             [ex("POST", "/data/v1/balance",
                 reply(200, {"status": "FAILED", "granular_status_code": "ACCOUNT_NOT_FOUND",
                             "message": "Account not found"}))],
             {"error": {"code": "api_error", "status": 200, "apiCode": "FAILED",
                        "message": "Account not found (ACCOUNT_NOT_FOUND)"}}),
        case("retry-after of a 429 is honoured", {"operation": "listPaymentDestinations"},
             [ex("GET", "/payments/v1/destinations",
                 reply(429, {"status": "RATE_LIMIT_EXCEEDED", "message": "Slow down"}, {"retry-after": "1"})),
              ex("GET", "/payments/v1/destinations", reply(200, []))],
             {"value": []}, waits=[1000]),
        case("an existing customer is found, not created twice", customer,
             [ex("POST", "/customers/v1/", reply(409, exists)),
              ex("GET", "/customers/v1/app-user-id/user-42", reply(200, found))],
             {"value": found}, doc="facts: Errors (CUSTOMER_ALREADY_EXISTS); sdk: creates are idempotent by app_user_id"),
        case("a customer created by a lost attempt is found", customer,
             [ex("POST", "/customers/v1/", timeout),
              ex("GET", "/customers/v1/app-user-id/user-42", reply(200, found))],
             {"value": found}, doc="sdk: a lost create is looked up by app_user_id before anything is sent again"),
        case("a customer whose answer was lost and not found is sent again", customer,
             [ex("POST", "/customers/v1/", {"transportError": "other"}),
              ex("GET", "/customers/v1/app-user-id/user-42", reply(404, {"status": "INVALID_URL", "message": "no"})),
              ex("POST", "/customers/v1/", reply(200, found))],
             {"value": found}, doc="sdk: a lookup 404 means nothing was made, so sending again is safe"),
        case("retries spent on a customer: the lookup says nothing was created", customer,
             [ex("POST", "/customers/v1/", timeout),
              ex("GET", "/customers/v1/app-user-id/user-42", reply(404, {"status": "INVALID_URL", "message": "no"}))] * 2,
             {"error": {"code": "transport", "outcomeUnknown": False, "sentIds": {"app_user_id": "user-42"}}},
             retries=1),
        case("a lookup that finds another user's record is a conflict", customer,
             [ex("POST", "/customers/v1/", reply(409, exists)),
              ex("GET", "/customers/v1/app-user-id/user-42", reply(200, {"customer_id": "c-9", "app_user_id": "user-43"}))],
             {"error": {"code": "conflict"}}),
        case("a lookup that does not show the app_user_id is no match", customer,
             [ex("POST", "/customers/v1/", timeout),
              ex("GET", "/customers/v1/app-user-id/user-42", reply(200, {"customer_id": "c-42"}))],
             {"error": {"code": "transport", "outcomeUnknown": True, "sentIds": {"app_user_id": "user-42"}}},
             doc="sdk: a missing field is an unknown outcome, not a match"),
        case("a lost payment intent is reported, never sent again", intent,
             [ex("POST", "/payments/v1/intents", timeout)],
             {"error": {"code": "transport", "outcomeUnknown": True, "sentIds": {}}},
             doc="sdk: a payment intent carries no id or key, so an uncertain one is never re-sent"),
        case("a payment intent answered 503 is reported, never sent again", intent,
             [ex("POST", "/payments/v1/intents", reply(503, {"status": "INTERNAL_SERVER_ERROR", "message": "busy"}))],
             {"error": {"code": "transport", "outcomeUnknown": True}},
             doc="sdk: a 503 may come after the request was applied (engine docs)"),
        case("a rate limited payment intent is sent again", intent,
             [ex("POST", "/payments/v1/intents",
                 reply(429, {"status": "RATE_LIMIT_EXCEEDED", "message": "Slow down"}, {"retry-after": "0"})),
              ex("POST", "/payments/v1/intents", reply(200, intent_found))],
             {"value": intent_found}, waits=[0],
             doc="facts: Errors (RATE_LIMIT_EXCEEDED); sdk: a 429 means nothing was processed (engine docs)"),
        case("a lost payment destination is reported, never sent again", destination,
             [ex("POST", "/payments/v1/destinations", {"transportError": "other"})],
             {"error": {"code": "transport", "outcomeUnknown": True, "sentIds": {}}}),
        case("an unreadable 2xx of a customer was applied", customer,
             [ex("POST", "/customers/v1/", reply_text(200, "{"))],
             {"error": {"code": "invalid_response", "status": 200, "applied": True,
                        "sentIds": {"app_user_id": "user-42"}}}, doc="sdk: a 2xx of a write was applied"),
        case("an unreadable 2xx of a payment intent was applied", intent,
             [ex("POST", "/payments/v1/intents", reply(200, {"payment_intent_id": INTENT_ID, "amount": []}))],
             {"error": {"code": "invalid_response", "status": 200, "applied": True, "sentIds": {}}},
             doc="sdk: a 2xx of a write was applied"),
        case("an unreadable 2xx of a payment destination was applied", destination,
             [ex("POST", "/payments/v1/destinations", reply_text(200, "<html>"))],
             {"error": {"code": "invalid_response", "status": 200, "applied": True}},
             doc="sdk: a 2xx of a write was applied"),
        case("an unreadable 2xx of a read applied nothing", {"operation": "getCustomer", "customerId": "c-42"},
             [ex("GET", "/customers/v1/c-42", reply_text(200, "{"))],
             {"error": {"code": "invalid_response", "status": 200, "applied": False}}),
        case("a redirect to another origin is an error", {"operation": "getCustomer", "customerId": "c-42"},
             [ex("GET", "/customers/v1/c-42", reply_text(307, "", {"location": "https://elsewhere.example/customers/v1/c-42"}))],
             {"error": {"code": "redirect", "status": 307, "location": "https://elsewhere.example/customers/v1/c-42"}},
             doc="sdk: redirects are answers; lean-app-token never leaves the configured origin"),
        case("a redirect on the same origin is an error", intent,
             [ex("POST", "/payments/v1/intents", reply_text(303, "", {"location": "/payments/v1/intents/x"}))],
             {"error": {"code": "redirect", "status": 303, "location": "/payments/v1/intents/x"}},
             doc="sdk: redirects are answers"),
        case("a payment intent interrupted in flight is unknown", intent,
             [ex("POST", "/payments/v1/intents", {"interrupt": "cancelled"})],
             {"error": {"code": "transport", "outcomeUnknown": True}}, doc="sdk: interrupt reports what was sent"),
        case("a customer interrupted in flight reports its app_user_id", customer,
             [ex("POST", "/customers/v1/", {"interrupt": "the transport threw"})],
             {"error": {"code": "transport", "outcomeUnknown": True, "sentIds": {"app_user_id": "user-42"}}},
             doc="sdk: interrupt reports what was sent"),
        case("a refused connection is known not applied", intent,
             [ex("POST", "/payments/v1/intents", connect), ex("POST", "/payments/v1/intents", connect)],
             {"error": {"code": "transport", "outcomeUnknown": False}}, retries=1),
        case("client errors are never retried", {"operation": "getEntity", "customerId": "c-42", "entityId": "e-1"},
             [ex("GET", "/customers/v1/c-42/entities/e-1",
                 reply(403, {"status": "INSUFFICIENT_ACCESS_LEVEL", "message": "scope"}))],
             {"error": {"code": "api_error", "status": 403, "apiCode": "INSUFFICIENT_ACCESS_LEVEL"}}),
    ]


def token_cases():
    """The OAuth token policy (`TokenPolicy`): steps of concurrent callers."""
    def answer(token, expires_in=3600):
        return {"status": 200, "body": {"access_token": token, "token_type": "Bearer",
                                        "expires_in": expires_in}}

    def poll(caller, at, **expect):
        return {"caller": caller, "at": at, "action": "poll", "expect": expect}

    def respond(caller, at, response, error=None):
        step = {"caller": caller, "at": at, "action": "tokenResponse", "response": response}
        if error:
            step["expect"] = {"error": error}
        return step

    def unauthorized(caller, expect):
        return {"caller": caller, "action": "unauthorized", "expect": expect}

    def case(name, doc, steps, **extra):
        return {"name": name, "doc": doc, "environment": "ksa-sandbox", "clientId": "app-1234",
                "clientSecret": "s3cr3t", **extra, "steps": with_token_events(steps)}

    def with_token_events(steps):
        """Each step with the policy events it reports (keys to check), read off the steps: a
        fetch a poll starts is a renewal when a token is held; an answer or failure ends the
        caller's fetch; a 401 forgets the token that caller used, unless a newer one replaced it."""
        out, fetching, used = [], {}, {}
        holding, generation = False, 0
        for step in steps:
            caller, expect, events = step["caller"], step.get("expect"), []
            if step["action"] == "poll" and "fetch" in expect:
                fetching[caller] = expect["fetch"]
                events.append({"event": "token_fetch_started", "fetch": expect["fetch"],
                               "reason": "renewal" if holding else "no_token"})
            elif step["action"] == "poll" and "use" in expect:
                used[caller] = generation
            elif step["action"] in ("tokenResponse", "tokenTransportError"):
                fetch = fetching.pop(caller)
                if expect and "error" in expect:
                    events.append({"event": "token_fetch_failed", "fetch": fetch, "code": expect["error"]["code"]})
                else:
                    holding, generation = True, generation + 1
                    events.append({"event": "token_fetched", "fetch": fetch})
            elif step["action"] == "unauthorized":
                events.append({"event": "token_rejected", "retry": expect == "renewAndRetry"})
                if expect == "renewAndRetry" and used.pop(caller, None) == generation:
                    holding = False
            out.append({**step, "events": events})
        return out

    refused = {"status": 401, "body": {"status": "UNAUTHORIZED", "message": "invalid client"}}
    return [
        case("the first call fetches a token, then uses it", "sdk: token policy", [
            poll("a", 0, fetch=1),
            respond("a", 1, answer("t1")),
            poll("a", 1, use="t1"),
            poll("b", 100, use="t1"),
        ]),
        case("concurrent callers share one fetch", "sdk: token policy (one shared fetch)", [
            poll("a", 0, fetch=1),
            poll("b", 0, wait=1),
            poll("c", 1, wait=1),
            poll("b", 1, wait=1),
            respond("a", 2, answer("t1")),
            poll("b", 2, use="t1"),
            poll("c", 2, use="t1"),
            poll("a", 2, use="t1"),
        ]),
        case("a token is renewed its margin before expiry", "sdk: token policy (renewal margin)", [
            poll("a", 0, fetch=1),
            respond("a", 0, answer("t1", 600)),
            poll("a", 539, use="t1"),
            poll("a", 540, fetch=2),
            poll("b", 541, use="t1"),
            poll("c", 600, wait=2),
            respond("a", 601, answer("t2", 600)),
            poll("c", 601, use="t2"),
            poll("a", 601, use="t2"),
        ], marginSeconds=60),
        case("the margin is never more than half the lifetime", "sdk: token policy (renewal margin)", [
            poll("a", 0, fetch=1),
            respond("a", 0, answer("t1", 60)),
            poll("a", 29, use="t1"),
            poll("a", 30, fetch=2),
        ]),
        case("a failed fetch fails its waiters with the same error", "sdk: token policy (one shared fetch)", [
            poll("a", 0, fetch=1),
            poll("b", 0, wait=1),
            {"caller": "a", "action": "tokenTransportError", "kind": "timeout", "message": "no answer",
             "expect": {"error": {"code": "transport"}}},
            poll("b", 1, error={"code": "transport"}),
            poll("b", 2, fetch=2),
            respond("b", 3, answer("t1")),
            poll("a", 3, use="t1"),
        ]),
        case("a refused token request is the API's error, for waiters too", "facts: Authentication (OAuth)", [
            poll("a", 0, fetch=1),
            poll("b", 0, wait=1),
            respond("a", 1, refused, error={"code": "unauthorized", "status": 401}),
            poll("b", 1, error={"code": "unauthorized", "status": 401}),
            poll("a", 2, fetch=2),
        ]),
        case("an answer without a token fails the fetch", "facts: Authentication (OAuth)", [
            poll("a", 0, fetch=1),
            respond("a", 1, {"status": 200, "body": {"token_type": "Bearer", "expires_in": 3600}},
                    error={"code": "invalid_response"}),
            poll("a", 1, fetch=2),
        ]),
        case("a 401 renews the token and retries once", "sdk: token policy (401)", [
            poll("a", 0, fetch=1),
            respond("a", 0, answer("t1")),
            poll("a", 1, use="t1"),
            unauthorized("a", "renewAndRetry"),
            poll("a", 1, fetch=2),
            respond("a", 2, answer("t2")),
            poll("a", 2, use="t2"),
            unauthorized("a", "fail"),
        ]),
        case("a 401 after another call renewed keeps the new token", "sdk: token policy (401)", [
            poll("a", 0, fetch=1),
            respond("a", 0, answer("t1")),
            poll("a", 1, use="t1"),
            poll("b", 1, use="t1"),
            unauthorized("a", "renewAndRetry"),
            poll("a", 2, fetch=2),
            respond("a", 3, answer("t2")),
            poll("a", 3, use="t2"),
            unauthorized("b", "renewAndRetry"),
            poll("b", 3, use="t2"),
        ]),
        case("callers that arrive during a 401 renewal wait for it", "sdk: token policy (401)", [
            poll("a", 0, fetch=1),
            respond("a", 0, answer("t1")),
            poll("a", 1, use="t1"),
            unauthorized("a", "renewAndRetry"),
            poll("a", 1, fetch=2),
            poll("b", 1, wait=2),
            respond("a", 2, answer("t2")),
            poll("b", 2, use="t2"),
        ]),
        case("polling a fetch before reporting it is a misuse", "sdk: token policy (contract)", [
            poll("a", 0, fetch=1),
            poll("a", 0, error={"code": "internal"}),
        ]),
    ]


FILES = {
    "environments.json": environment_cases,
    "auth.json": auth_cases,
    "requests.json": request_cases,
    "validation.json": validation_cases,
    "responses.json": response_cases,
    "webhooks.json": webhook_cases,
    "engine.json": engine_cases,
    "tokens.json": token_cases,
}


if __name__ == "__main__":
    vector_files.main(HERE, FILES, "tests/vectors/openbanking/generate.py")
