#!/usr/bin/env python3
"""Writes the shared conformance vectors, tests/vectors/*.json.

The cases are data: this script only spells them out without repetition and
computes every webhook signature with Python's own `hmac`, never with the
SDK. Edit the cases here, then run

    python3 tests/vectors/generate.py          # rewrite the JSON files
    python3 tests/vectors/generate.py --check  # fail if they are stale

The Rust test suite runs `--check`, so the JSON files and this script never
drift apart. The format is documented in README.md beside this file.
"""

import base64
import copy
import hashlib
import hmac
import json
from pathlib import Path

import vector_files
from engine_events import with_trace

HERE = Path(__file__).resolve().parent

SANDBOX = "https://app.staging.withlean.com/api"
PRODUCTION = "https://app.withlean.com/api"
AUTH = "Basic dGVzdF9rZXlfMTIzOg=="
GET_HEADERS = {"authorization": AUTH, "accept": "application/json"}
POST_HEADERS = {**GET_HEADERS, "content-type": "application/json"}

# ---------------------------------------------------------------------------
# The documents' own examples.

CUSTOMER = {  # reference: Customer / Create a customer (request)
    "firstName": "Jane",
    "lastName": "Doe",
    "birthday": "1980-12-31",
    "phoneNumber": "4085008000",
    "email": "janedoe@gmail.com",
    "street": "700 Treehouse Drive",
    "city": "San Jose",
    "state": "CA",
    "postalCode": "95101",
    "partnerUserId": "uid_847834395730535",
    "registrationDate": "2020-01-01",
}
CUSTOMER_OBJECT = {  # reference: Customer (example object)
    "firstName": "Jane",
    "middleName": None,
    "lastName": "Doe",
    "birthday": "1980-01-01",
    "phoneNumber": "4088888888",
    "email": "janedoesit@example.com",
    "street": "45 Merryweather Lane",
    "street2": None,
    "city": "San Francisco",
    "state": "CA",
    "postalCode": "94110",
    "partnerUserId": "uid_444444444",
    "registrationDate": "2020-06-30",
    "createdAt": "2021-04-01T18:01:50.739Z",
    "updatedAt": "2021-04-04T22:06:01.766Z",
    "status": "ACTIVE",
}
CUSTOMER_RESPONSE = {  # reference: Create a customer / Retrieve a customer (response)
    "firstName": "Jane",
    "middleName": None,
    "lastName": "Doe",
    "birthday": "1980-12-31",
    "phoneNumber": "4085008000",
    "email": "janedoe@gmail.com",
    "street": "700 Treehouse Drive",
    "street2": None,
    "city": "San Jose",
    "state": "CA",
    "postalCode": "95101",
    "partnerUserId": "uid_847834395730535",
    "registrationDate": "2020-01-01",
    "status": "PENDING",
    "createdAt": "2021-04-01T19:53:36.869Z",
    "updatedAt": "2021-04-01T19:53:36.869Z",
}
APPLICATION_OBJECT = {"partnerUserId": "uid_847834395730535", "status": "submitted"}
GIG = {  # reference: Gig / Create a gig (request)
    "partnerUserId": "uid_847834395730535",
    "totalAmount": "15.00",
    "description": "Gig Payout",
    "gigId": "gigId_94792357823953532",
    "startTime": "2021-03-01T21:04:04",
    "endTime": "2021-03-01T21:31:05",
    "tips": "3.00",
    "expenses": "2.00",
}
GUIDE_GIG = {  # guide: Activate Lean payouts / Making a gig payout
    **GIG,
    "totalAmount": "30.00",
    "description": "Job #481254",
}
GIG_RESPONSE = {  # reference: Create a gig (response)
    "id": "uid_847834395730535",
    "description": "Gig Payout",
    "totalAmount": "15.00",
    "startTime": "2021-03-01T21:04:04",
    "endTime": "2021-03-01T21:31:05",
    "gigId": "gigId_94792357823953532",
    "expenses": "2.00",
    "tips": "3.00",
    "status": "PENDING",
    "invoiceId": "invoice_5dSpWwt5aX2nAR8kBA0Xs",
    "createdAt": "2021-04-01T19:58:11.651Z",
    "updatedAt": "2021-04-01T19:58:11.651Z",
}
PAYMENT = {  # reference: Special Payment / Create a special payment (request)
    "partnerUserId": "uid_847834395730535",
    "amount": "4.56",
    "type": "reimbursement",
    "gigId": "gigId_94792357823953532",
    "description": "Parking receipt from 3/1/2021",
    "userdata": {"receiptId": "receipt_4242551"},
}
PAYMENT_RESPONSE = {  # reference: Create a special payment (response)
    "id": "special_payment_9384127512",
    "type": "reimbursement",
    "invoiceId": "invoice_3957103571",
    "description": "Parking receipt from 3/1/2021",
    "amount": "4.56",
    "createdAt": "2021-04-13T02:53:37.341Z",
    "updatedAt": "2021-04-13T02:53:37.341Z",
    "partnerUserId": "uid_847834395730535",
    "gigId": "gigId_94792357823953532",
    "userdata": {"receiptId": "receipt_4242551"},
    "status": "PENDING",
}

PAYMENT_TYPES = ["bonus", "reimbursement", "cancellation", "wait time", "correction", "flagged", "other"]


def without_nulls(obj):
    """A response value as the SDK gives it back: absent and null omitted."""
    return {k: v for k, v in obj.items() if v is not None}


def with_(base, **changes):
    """A copy of `base` with fields changed; a value of `...` removes it."""
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if value is ...:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def basic(key):
    return "Basic " + base64.b64encode(f"{key}:".encode()).decode()


# ---------------------------------------------------------------------------
# requests.json: valid input and the exact request it becomes.

def request(name, doc, call, method, path, body=None, config=None, headers=None, base=SANDBOX, generated_key=False):
    expect = {
        "method": method,
        "url": base + path,
        "headers": headers or (POST_HEADERS if body is not None else GET_HEADERS),
        "body": body,
    }
    if generated_key:
        expect["generatedIdempotencyKey"] = True
    case = {"name": name, "doc": doc}
    if config:
        case["config"] = config
    case.update({"call": call, "expect": {"request": expect}})
    return case


def create_customer(name, doc, sent, wire=None, **kw):
    return request(name, doc, {"operation": "createCustomer", "input": sent}, "POST", "/customer", wire or sent, **kw)


def create_gig(name, doc, sent, wire=None, **kw):
    return request(name, doc, {"operation": "createGig", "input": sent}, "POST", "/gig", wire or sent, **kw)


def create_payment(name, doc, sent, wire=None, key=None, **kw):
    call = {"operation": "createSpecialPayment", "input": sent}
    if key is not None:
        call["idempotencyKey"] = key
        kw["headers"] = {**POST_HEADERS, "idempotency-key": key}
    else:
        kw["generated_key"] = True
    return request(name, doc, call, "POST", "/specialpayment", wire or sent, **kw)


def requests_cases():
    c = []
    # Every request example of the two documents.
    c.append(create_customer("reference: create a customer", "reference: Customer / Create a customer", CUSTOMER))
    c.append(create_customer(
        "guide: create a customer in production", "guide: Tell Lean about worker details (production URL)",
        CUSTOMER, config={"environment": "production"}, base=PRODUCTION))
    c.append(request(
        "reference: retrieve a customer", "reference: Customer / Retrieve a customer",
        {"operation": "getCustomer", "partnerUserId": "uid_847834395730535"}, "GET", "/customer/uid_847834395730535"))
    c.append(request(
        "reference: submit an application", "reference: Submit an application; notes: send partnerUserId, not partnerUserID",
        {"operation": "submitApplication", "partnerUserId": "uid_847834395730535"}, "POST", "/application",
        {"partnerUserId": "uid_847834395730535"}))
    c.append(create_gig("reference: create a gig", "reference: Gig / Create a gig", GIG))
    c.append(create_gig(
        "guide: making a gig payout", "guide: Activate Lean payouts / Making a gig payout (production URL)",
        GUIDE_GIG, config={"environment": "production"}, base=PRODUCTION))
    c.append(request(
        "reference: get a gig", "reference: Gig / Get a gig",
        {"operation": "getGig", "gigId": "gigId_94792357823953532"}, "GET", "/gig/gigId_94792357823953532"))
    c.append(request("reference: list gigs", "reference: Gig / List gigs", {"operation": "listGigs"}, "GET", "/gig"))
    c.append(create_payment(
        "reference: create a special payment with a generated idempotency key",
        "reference: Special Payment / Create a special payment; Idempotency Header", PAYMENT))
    c.append(create_payment(
        "guide: making a special payment payout", "guide: Making a special payment payout (production URL)",
        PAYMENT, config={"environment": "production"}, base=PRODUCTION))
    c.append(create_payment(
        "special payment with the caller's idempotency key", "reference: Idempotency Header",
        PAYMENT, key="payout-2021-03-01-0001"))
    c.append(create_payment(
        "idempotency key of 255 characters", "core: idempotency keys are 1 to 255 printable ASCII characters",
        PAYMENT, key="k" * 255))
    c.append(request(
        "reference: get a special payment", "reference: Special Payment / Get a special payment",
        {"operation": "getSpecialPayment", "id": "special_payment_9384127512"}, "GET",
        "/specialpayment/special_payment_9384127512"))
    c.append(request(
        "reference: list special payments", "reference: Special Payment / List special payments",
        {"operation": "listSpecialPayments"}, "GET", "/specialpayment"))

    # Configuration as seen in requests.
    c.append(request(
        "production base url", "reference: Schema (production)", {"operation": "listGigs"}, "GET", "/gig",
        config={"environment": "production"}, base=PRODUCTION))
    c.append(request(
        "loopback base url for the local sandbox", "notes: custom base URL, http only on loopback",
        {"operation": "listGigs"}, "GET", "/gig", config={"baseUrl": "http://127.0.0.1:8080"},
        base="http://127.0.0.1:8080"))
    c.append(request(
        "base url with a path and a trailing slash", "core: the base URL is used without its trailing slash",
        {"operation": "getGig", "gigId": "g1"}, "GET", "/gig/g1", config={"baseUrl": "http://localhost:9000/api/"},
        base="http://localhost:9000/api"))
    c.append(request(
        "another api key in basic auth", "reference: Authentication (key as user name, empty password)",
        {"operation": "listSpecialPayments"}, "GET", "/specialpayment", config={"apiKey": "sk_live_9f8e7d"},
        headers={"authorization": basic("sk_live_9f8e7d"), "accept": "application/json"}))

    # Path segments.
    c.append(request(
        "get a customer with a path segment that needs escaping", "core: path segments are percent-encoded",
        {"operation": "getCustomer", "partnerUserId": "uid/1 2?x#y%"}, "GET",
        "/customer/uid%2F1%202%3Fx%23y%25"))
    c.append(request(
        "non-ASCII path segment is UTF-8 percent-encoded", "core: path segments are percent-encoded",
        {"operation": "getGig", "gigId": "José-☕"}, "GET", "/gig/Jos%C3%A9-%E2%98%95"))
    c.append(request(
        "path id of 255 characters", "core: identifiers are 1 to 255 characters",
        {"operation": "getSpecialPayment", "id": "p" * 255}, "GET", "/specialpayment/" + "p" * 255))

    # updateCustomer (PATCH, notes: older docs).
    c.append(request(
        "update a pending customer", "notes: PATCH /customer/:partnerUserId",
        {"operation": "updateCustomer", "partnerUserId": "uid_847834395730535",
         "input": {"street": "1 Infinite Loop", "city": "Cupertino", "state": "ca", "postalCode": "950141234"}},
        "PATCH", "/customer/uid_847834395730535",
        {"street": "1 Infinite Loop", "city": "Cupertino", "state": "CA", "postalCode": "95014-1234"}))
    c.append(request(
        "update one field, normalised", "notes: PATCH /customer; core: phone normalisation",
        {"operation": "updateCustomer", "partnerUserId": "uid_1", "input": {"phoneNumber": "(408) 500-8001"}},
        "PATCH", "/customer/uid_1", {"phoneNumber": "4085008001"}))

    # Customer fields: boundaries on the valid side and normalisations.
    def customer(name, doc, **changes):
        wire = changes.pop("_wire", None)
        sent = with_(CUSTOMER, **changes)
        return create_customer(name, doc, sent, with_(sent, **wire) if wire else sent)

    c.append(customer("first name of 40 characters", "reference: Customer / firstName (at most 40)", firstName="A" * 40))
    c.append(customer("last name of 40 characters", "reference: Customer / lastName (at most 40)", lastName="B" * 40))
    c.append(customer(
        "names with the allowed punctuation", "reference: Customer / names (simple punctuation: ' - . ,)",
        firstName="Mary-Jane", middleName="St. Clair", lastName="O'Brien, Jr."))
    c.append(customer(
        "names with digits and inner spaces", "reference: Customer / names (alphanumeric, space)",
        firstName="Jean Paul", lastName="Doe 3rd"))
    c.append(customer(
        "names are trimmed", "core: surrounding white space is trimmed from free text",
        firstName="  Jane ", lastName="\tDoe", _wire={"firstName": "Jane", "lastName": "Doe"}))
    c.append(customer("middle name given", "reference: Customer / middleName (optional)", middleName="Quinn"))
    c.append(customer(
        "null optional fields are omitted", "core: null is the same as absent",
        middleName=None, street2=None, _wire={"middleName": ..., "street2": ...}))
    c.append(customer(
        "blank optional fields are omitted", "core: blank optional text means not given",
        middleName="  ", _wire={"middleName": ...}))
    c.append(customer(
        "email of 50 characters", "reference: Customer / email (at most 50)",
        email="a" * 38 + "@example.com"))
    c.append(customer(
        "email with plus, dots and subdomain", "core: email per the HTML standard, dotted domain",
        email="jane.doe+payouts@mail.example.co"))
    c.append(customer(
        "email is trimmed", "core: surrounding white space is trimmed",
        email=" janedoe@gmail.com ", _wire={"email": "janedoe@gmail.com"}))
    c.append(customer("street of 35 characters", "reference: Customer / street (maximum 35)", street="S" * 35))
    c.append(customer("street2 of 35 characters", "reference: Customer / street2 (maximum 35)", street2="Apt " + "9" * 31))
    c.append(customer("street with punctuation", "core: street is printable ASCII", street="700 Treehouse Dr. #4, (rear)"))
    c.append(customer("city of 21 characters", "reference: Customer / city (maximum 21)", city="C" * 21))
    for given, sent in [("ca", "CA"), (" ny ", "NY"), ("Dc", "DC"), ("PR", "PR"), ("ae", "AE")]:
        c.append(customer(
            f"state {given.strip()!r} is sent as {sent}", "reference: Customer / state; core: any case, sent upper-cased",
            state=given, _wire={"state": sent}))
    c.append(customer("zip+4 with hyphen", "reference: Customer / postalCode (5+4)", postalCode="95101-1234"))
    c.append(customer(
        "zip+4 without hyphen gains it", "core: nine-digit ZIP codes gain their hyphen",
        postalCode="951011234", _wire={"postalCode": "95101-1234"}))
    for given in ["(408) 500-8000", "408.500.8000", "408-500-8000", "+1 408 500 8000", "1-408-500-8000", " 408 500 8000 ", "+14085008000"]:
        c.append(customer(
            f"phone {given.strip()!r} is sent as ten digits", "core: phone numbers normalised to the reference's form",
            phoneNumber=given, _wire={"phoneNumber": "4085008000"}))
    c.append(customer("birthday on a leap day", "core: real calendar dates (2000 is a leap year)", birthday="2000-02-29"))
    c.append(customer("birthday on 2024-02-29", "core: real calendar dates (leap year)", birthday="2024-02-29"))
    c.append(customer("earliest accepted date", "core: dates between 1900 and 2099", birthday="1900-01-01"))
    c.append(customer("latest accepted date", "core: dates between 1900 and 2099", registrationDate="2099-12-31"))

    # Gig fields: amounts, times.
    def gig(name, doc, **changes):
        wire = changes.pop("_wire", None)
        sent = with_(GIG, **changes)
        return create_gig(name, doc, sent, with_(sent, **wire) if wire else sent)

    c.append(gig(
        "whole amounts are sent with two decimals", "reference: Gig / totalAmount (two decimal precision)",
        totalAmount="15", tips="3", expenses="2", _wire={"totalAmount": "15.00", "tips": "3.00", "expenses": "2.00"}))
    c.append(gig(
        "one decimal gains a second", "reference: two decimal precision",
        totalAmount="15.5", _wire={"totalAmount": "15.50"}))
    c.append(gig(
        "trailing zeros beyond two decimals are exact", "core: 1.500 is exactly 1.50, nothing rounded",
        totalAmount="15.500", _wire={"totalAmount": "15.50"}))
    c.append(gig(
        "leading zeros are dropped", "core: amounts normalised",
        totalAmount="0015.00", _wire={"totalAmount": "15.00"}))
    c.append(gig(
        "JSON integers are accepted as amounts", "core: a JSON integer is exact",
        totalAmount=15, tips=3, expenses=0, _wire={"totalAmount": "15.00", "tips": "3.00", "expenses": "0.00"}))
    c.append(gig("zero tips and expenses", "reference: tips, expenses >= 0", tips="0.00", expenses="0.00"))
    c.append(gig(
        "total equal to tips plus expenses", "notes: totalAmount >= tips + expenses (boundary)",
        totalAmount="5.00"))
    c.append(gig("smallest positive total", "reference: totalAmount positive", totalAmount="0.01", tips="0.00", expenses="0.00"))
    c.append(gig(
        "largest accepted total", "core: amounts up to 999,999,999,999.99",
        totalAmount="999999999999.99"))
    c.append(gig(
        "times in UTC with Z", "reference: Gig / startTime (YYYY-MM-DDTHH:mm:ss.sssZ)",
        startTime="2021-03-01T21:04:04Z", endTime="2021-03-01T21:31:05.123Z"))
    c.append(gig(
        "times with +00:00 are kept", "notes: gig times (UTC offset kept as written)",
        startTime="2021-03-01T21:04:04+00:00", endTime="2021-03-01T21:31:05+00:00"))
    c.append(gig(
        "times with an offset are converted to UTC", "notes: gig times; reference: Use UTC standard",
        startTime="2021-03-01T13:04:04-08:00", endTime="2021-03-01T23:51:05.5+02:30",
        _wire={"startTime": "2021-03-01T21:04:04Z", "endTime": "2021-03-01T21:21:05.5Z"}))
    c.append(gig(
        "offset conversion crosses midnight and a leap day", "notes: gig times converted to UTC",
        startTime="2024-02-29T20:00:00-05:00", endTime="2024-03-01T03:00:00+02:00",
        _wire={"startTime": "2024-03-01T01:00:00Z", "endTime": "2024-03-01T01:00:00Z"}))
    c.append(gig(
        "end equal to start", "notes: endTime must not precede startTime (boundary)",
        startTime="2021-03-01T21:04:04", endTime="2021-03-01T21:04:04"))
    c.append(gig(
        "end after start once offsets are applied", "notes: times compared as instants",
        startTime="2021-03-01T21:00:00+01:00", endTime="2021-03-01T20:30:00Z",
        _wire={"startTime": "2021-03-01T20:00:00Z"}))
    c.append(gig(
        "description is trimmed", "core: surrounding white space is trimmed",
        description="  SFO Airport to 410 Market Street ", _wire={"description": "SFO Airport to 410 Market Street"}))
    c.append(gig(
        "non-ASCII description is kept", "reference: description shown in the app (no charset limit)",
        description="Café ☕ → 410 Market St"))

    # Special payment fields.
    def payment(name, doc, **changes):
        wire = changes.pop("_wire", None)
        sent = with_(PAYMENT, **changes)
        return create_payment(name, doc, sent, with_(sent, **wire) if wire else sent)

    for t in PAYMENT_TYPES:
        c.append(payment(f"special payment type {t!r}", "reference: Special Payment / type (seven values)", type=t))
    for given in ["WAIT TIME", "wait_time", "Bonus"]:
        c.append(payment(
            f"type {given!r} is sent in the reference's spelling", "core: any case, '_' for the space",
            type=given, _wire={"type": given.lower().replace("_", " ")}))
    c.append(payment(
        "negative special payment (a deduction)", "reference: Special Payment / amount (negative deducts)",
        type="correction", amount="-4.56"))
    c.append(payment(
        "negative amount gains a second decimal", "reference: amount two decimal precision",
        type="correction", amount="-4.5", _wire={"amount": "-4.50"}))
    c.append(payment(
        "special payment without the optional fields", "notes: special payment gigId optional; reference: description, userdata optional",
        gigId=..., description=..., userdata=...))
    c.append(payment(
        "null optional fields are omitted from a payment", "core: null is the same as absent",
        gigId=None, description=None, userdata=None, _wire={"gigId": ..., "description": ..., "userdata": ...}))
    c.append(payment(
        "userdata nested object kept as given", "reference: userdata (JSON object)",
        userdata={"receipt": {"id": "r1", "lines": [1, 2.5, None, True]}, "note": "ü"}))
    c.append(payment("empty userdata object", "reference: userdata (JSON object)", userdata={}))
    return c


# ---------------------------------------------------------------------------
# validation.json: refused input, with every field error.

def invalid(name, doc, call, errors, config=None):
    case = {"name": name, "doc": doc}
    if config:
        case["config"] = config
    expect = {"code": "validation", "fieldErrors": [{"field": f, "code": code} for f, code in errors]}
    case.update({"call": call, "expect": {"error": expect}})
    return case


def refused(name, doc, call, config=None):
    case = {"name": name, "doc": doc}
    if config:
        case["config"] = config
    case.update({"call": call, "expect": {"error": {"code": "configuration"}}})
    return case


def validation_cases():
    c = []

    def customer(name, doc, errors, **changes):
        return invalid(name, doc, {"operation": "createCustomer", "input": with_(CUSTOMER, **changes)}, errors)

    def gig(name, doc, errors, **changes):
        return invalid(name, doc, {"operation": "createGig", "input": with_(GIG, **changes)}, errors)

    def payment(name, doc, errors, key=None, **changes):
        call = {"operation": "createSpecialPayment", "input": with_(PAYMENT, **changes)}
        if key is not None:
            call["idempotencyKey"] = key
        return invalid(name, doc, call, errors)

    # Required fields.
    c.append(invalid(
        "customer: every required field missing", "reference: Customer / Parameters (Required)",
        {"operation": "createCustomer", "input": {}},
        [(f, "required") for f in ["firstName", "lastName", "birthday", "phoneNumber", "email", "street", "city",
                                   "state", "postalCode", "partnerUserId", "registrationDate"]]))
    c.append(invalid(
        "gig: every required field missing", "reference: Gig / Parameters; notes: totalAmount required",
        {"operation": "createGig", "input": {}},
        [(f, "required") for f in ["partnerUserId", "totalAmount", "tips", "expenses", "description", "gigId",
                                   "startTime", "endTime"]]))
    c.append(invalid(
        "special payment: every required field missing", "reference: Special Payment / Parameters",
        {"operation": "createSpecialPayment", "input": {}},
        [("partnerUserId", "required"), ("amount", "required"), ("type", "required")]))
    c.append(customer("blank first name", "core: blank text is missing", [("firstName", "required")], firstName="   "))
    c.append(customer("null last name", "core: null is missing", [("lastName", "required")], lastName=None))

    # Names.
    c.append(customer("first name of 41 characters", "reference: Customer / firstName (at most 40)",
                      [("firstName", "too_long")], firstName="A" * 41))
    c.append(customer("last name of 41 characters", "reference: Customer / lastName (at most 40)",
                      [("lastName", "too_long")], lastName="B" * 41))
    c.append(customer("middle name of 41 characters", "reference: Customer / middleName (at most 40)",
                      [("middleName", "too_long")], middleName="M" * 41))
    c.append(customer("41 characters after trimming is still too long", "core: length counted after trimming",
                      [("firstName", "too_long")], firstName=" " + "A" * 41 + " "))
    c.append(customer("non-ASCII letter in a name", "reference: names are printable ASCII",
                      [("firstName", "invalid_characters")], firstName="Zoë"))
    for bad in [";", "@", "!", "/", "_"]:
        c.append(customer(f"punctuation {bad!r} in a name", "reference: names (simple punctuation only: ' - . ,)",
                          [("lastName", "invalid_characters")], lastName=f"Doe{bad}Smith"))
    c.append(customer("tab inside a name", "reference: names are printable ASCII",
                      [("firstName", "invalid_characters")], firstName="Ja\tne"))
    c.append(customer("name given as a number", "core: wrong JSON type",
                      [("firstName", "invalid_type")], firstName=42))

    # Email.
    c.append(customer("email of 51 characters", "reference: Customer / email (at most 50)",
                      [("email", "too_long")], email="a" * 39 + "@example.com"))
    for bad in ["janedoe", "janedoe@", "@example.com", "jane@localhost", "jane doe@example.com", "jane@-example.com",
                "jane@example..com", "jane@ex@ample.com", "jané@example.com", "jane@example.com."]:
        c.append(customer(f"email {bad!r}", "core: email well-formed (HTML standard, dotted domain)",
                          [("email", "invalid_format")], email=bad))

    # Address.
    c.append(customer("street of 36 characters", "reference: Customer / street (maximum 35)",
                      [("street", "too_long")], street="S" * 36))
    c.append(customer("street2 of 36 characters", "reference: Customer / street2 (maximum 35)",
                      [("street2", "too_long")], street2="S" * 36))
    c.append(customer("city of 22 characters", "reference: Customer / city (maximum 21)",
                      [("city", "too_long")], city="C" * 22))
    c.append(customer("non-ASCII street", "core: street is printable ASCII",
                      [("street", "invalid_characters")], street="1 Königstraße"))
    c.append(customer("non-ASCII city", "core: city is printable ASCII",
                      [("city", "invalid_characters")], city="San José"))
    for bad in ["XX", "California", "C", "C A", "ZZ"]:
        c.append(customer(f"state {bad!r}", "reference: Customer / state (two letter abbreviation)",
                          [("state", "invalid_value")], state=bad))
    for bad in ["9510", "951011", "95101-123", "95101 1234", "ABCDE", "95101-12345", "9510-11234"]:
        c.append(customer(f"postal code {bad!r}", "reference: Customer / postalCode (5-digit or 5+4)",
                          [("postalCode", "invalid_format")], postalCode=bad))
    c.append(customer("postal code as a number", "core: wrong JSON type",
                      [("postalCode", "invalid_type")], postalCode=95101))

    # Phone.
    for bad in ["408500800", "40850080000", "+44 20 7946 0958", "0085008000", "1085008000", "4080508000",
                "4081008000", "408-500-800O", "408/500/8000", "+2 408 500 8000"]:
        c.append(customer(f"phone {bad!r}", "core: 10-digit US (NANP) phone number",
                          [("phoneNumber", "invalid_format")], phoneNumber=bad))

    # Dates.
    for bad, code in [("1980-02-30", "invalid_date"), ("2021-02-29", "invalid_date"), ("1900-02-29", "invalid_date"),
                      ("1980-13-01", "invalid_date"), ("1980-00-10", "invalid_date"), ("1980-04-31", "invalid_date"),
                      ("1980-12-00", "invalid_date"), ("1980-12-31T00:00:00", "invalid_format"),
                      ("31/12/1980", "invalid_format"), ("1980-1-31", "invalid_format"), ("19801231", "invalid_format"),
                      ("1899-12-31", "out_of_range"), ("2100-01-01", "out_of_range")]:
        c.append(customer(f"birthday {bad!r}", "reference: birthday ISO 8601 YYYY-MM-DD; core: real calendar dates",
                          [("birthday", code)], birthday=bad))
    c.append(customer("registration date not a real date", "reference: registrationDate YYYY-MM-DD",
                      [("registrationDate", "invalid_date")], registrationDate="2019-02-29"))

    # Identifiers.
    c.append(customer("partner user id with a leading space", "core: identifiers are never trimmed",
                      [("partnerUserId", "invalid_characters")], partnerUserId=" uid_1"))
    c.append(customer("partner user id of 256 characters", "core: identifiers are 1 to 255 characters",
                      [("partnerUserId", "too_long")], partnerUserId="u" * 256))
    c.append(gig("gig id with a control character", "core: identifiers have no control characters",
                 [("gigId", "invalid_characters")], gigId="gig\u0000id"))

    # Several at once.
    c.append(customer(
        "every invalid field reported at once", "core: all field errors in one pass",
        [("firstName", "too_long"), ("email", "invalid_format"), ("state", "invalid_value"), ("postalCode", "invalid_format")],
        firstName="A" * 41, email="nope", state="XX", postalCode="1"))

    # Unknown fields.
    c.append(customer("misspelt field with did-you-mean", "core: unknown_field (message suggests firstName)",
                      [("firstname", "unknown_field")], firstname="Jane"))
    c.append(customer("snake_case field name", "core: unknown_field (wire names are camelCase)",
                      [("postal_code", "unknown_field")], postal_code="95101"))
    c.append(gig("unknown gig field", "core: unknown_field",
                 [("currency", "unknown_field")], currency="USD"))
    c.append(gig("snake_case gig field replaces a required one", "core: unknown_field plus the missing field",
                 [("gig_id", "unknown_field"), ("gigId", "required")], gigId=..., gig_id="g1"))
    c.append(payment("status is not an input field", "core: unknown_field (response-only field)",
                     [("status", "unknown_field")], status="PENDING"))

    # Input shape.
    for value, label in [([], "an array"), ("text", "a string"), (None, "null")]:
        c.append(invalid(f"gig input given as {label}", "core: input must be a JSON object",
                         {"operation": "createGig", "input": value}, [("$", "invalid_type")]))
    c.append(invalid("customer input missing entirely", "core: input must be a JSON object",
                     {"operation": "createCustomer"}, [("$", "invalid_type")]))

    # Amounts.
    for field in ["totalAmount", "tips", "expenses"]:
        c.append(gig(f"{field} with three decimals", "reference: two decimal precision; core: nothing rounded",
                     [(field, "too_many_decimals")], **{field: "1.001"}))
        c.append(gig(f"{field} as a JSON float", "core: binary floats never touch an amount",
                     [(field, "invalid_type")], **{field: 1.5}))
    for bad in ["1e3", "+15.00", ".50", "15.", "1,000.00", "15.00 USD", "$15.00", "--1", "NaN", "0x10", "１５"]:
        c.append(gig(f"total {bad!r}", "core: amounts are digits, optional '-', at most two decimals",
                     [("totalAmount", "invalid_format")], totalAmount=bad))
    c.append(gig("total of zero", "reference: totalAmount positive", [("totalAmount", "out_of_range")],
                 totalAmount="0.00", tips="0.00", expenses="0.00"))
    c.append(gig("negative total", "reference: totalAmount positive", [("totalAmount", "out_of_range")],
                 totalAmount="-15.00"))
    c.append(gig("negative tips", "reference: tips >= 0", [("tips", "out_of_range")], tips="-0.01"))
    c.append(gig("negative expenses", "reference: expenses >= 0", [("expenses", "out_of_range")], expenses="-2.00"))
    c.append(gig("total below tips plus expenses by a cent", "notes: totalAmount >= tips + expenses",
                 [("totalAmount", "inconsistent")], totalAmount="4.99"))
    c.append(gig("total too large", "core: amounts up to 999,999,999,999.99",
                 [("totalAmount", "out_of_range")], totalAmount="1000000000000.00"))
    c.append(gig("total as a boolean", "core: wrong JSON type", [("totalAmount", "invalid_type")], totalAmount=True))
    c.append(gig("total of a thousand digits", "core: amounts are checked by length before they are read",
                 [("totalAmount", "too_long")], totalAmount="0" * 997 + "1.00"))
    c.append(gig("total with a huge exponent", "core: no exponent is ever expanded",
                 [("totalAmount", "invalid_format")], totalAmount="1e900000000"))
    c.append(payment("special payment of zero", "notes: amount non-zero", [("amount", "out_of_range")], amount="0.00"))
    c.append(payment("special payment of minus zero", "notes: amount non-zero", [("amount", "out_of_range")], amount="-0"))
    c.append(payment("special payment with three decimals", "notes: at most two decimals",
                     [("amount", "too_many_decimals")], amount="-4.567"))
    c.append(payment("special payment amount as a JSON float", "core: binary floats never touch an amount",
                     [("amount", "invalid_type")], amount=4.56))

    # Times.
    for bad, code in [("2021-03-01", "invalid_format"), ("2021-03-01 21:04:04", "invalid_format"),
                      ("2021-03-01T21:04", "invalid_format"), ("2021-03-01T21:04:04+0800", "invalid_format"),
                      ("2021-03-01T21:04:04.Z", "invalid_format"), ("2021-03-01T21:04:04 PST", "invalid_format"),
                      ("2021-03-01T21:04:04+24:00", "invalid_format"), ("March 1, 2021", "invalid_format"),
                      ("2021-03-01T24:00:00Z", "invalid_date"), ("2021-03-01T21:60:00Z", "invalid_date"),
                      ("2021-02-29T10:00:00Z", "invalid_date"), ("2021-03-01T21:04:60Z", "invalid_date"),
                      ("1899-12-31T23:59:59Z", "out_of_range"), ("1900-01-01T00:30:00+01:00", "out_of_range"),
                      ("0000-01-01T00:00:00+01:00", "out_of_range")]:
        c.append(gig(f"start time {bad!r}", "reference: startTime ISO 8601; notes: gig times",
                     [("startTime", code)], startTime=bad))
    c.append(gig("end before start", "notes: endTime must not precede startTime",
                 [("endTime", "inconsistent")], endTime="2021-03-01T21:04:03"))
    c.append(gig("end before start once offsets are applied", "notes: times compared as instants",
                 [("endTime", "inconsistent")], startTime="2021-03-01T21:00:00Z", endTime="2021-03-01T21:30:00+01:00"))

    # Descriptions.
    c.append(gig("description of 501 characters", "core: descriptions at most 500 characters",
                 [("description", "too_long")], description="d" * 501))
    c.append(gig("description with a control character", "core: descriptions have no control characters",
                 [("description", "invalid_characters")], description="line\u0007bell"))

    # Special payment type and userdata.
    for bad in ["tip", "waittime", "wait-time", "refund", "BONUSES"]:
        c.append(payment(f"special payment type {bad!r}", "reference: type is one of seven values",
                         [("type", "invalid_value")], type=bad))
    for value, label in [("receipt_4242551", "a string"), ([1, 2], "an array"), (5, "a number"), (True, "a boolean")]:
        c.append(payment(f"userdata given as {label}", "reference: userdata is a JSON object",
                         [("userdata", "invalid_type")], userdata=value))

    # Idempotency keys.
    c.append(payment("empty idempotency key", "core: idempotency keys are 1 to 255 printable ASCII characters",
                     [("idempotencyKey", "required")], key=""))
    for bad, label in [("has space", "with a space"), ("k" * 256, "of 256 characters"), ("clé-1", "non-ASCII"),
                       ("key\n1", "with a newline")]:
        c.append(payment(f"idempotency key {label}", "core: idempotency keys are 1 to 255 printable ASCII characters",
                         [("idempotencyKey", "invalid_format")], key=bad))
    c.append(invalid("idempotency key as a number", "core: wrong JSON type",
                     {"operation": "createSpecialPayment", "input": PAYMENT, "idempotencyKey": 42},
                     [("idempotencyKey", "invalid_type")]))
    c.append(invalid("bad idempotency key and bad payment together", "core: all field errors in one pass",
                     {"operation": "createSpecialPayment", "input": with_(PAYMENT, amount="0"), "idempotencyKey": "a b"},
                     [("idempotencyKey", "invalid_format"), ("amount", "out_of_range")]))

    # Path ids.
    c.append(invalid("get gig without an id", "core: path ids are required",
                     {"operation": "getGig"}, [("gigId", "required")]))
    c.append(invalid("get gig with an empty id", "core: path ids are required",
                     {"operation": "getGig", "gigId": ""}, [("gigId", "required")]))
    for dots in [".", ".."]:
        c.append(invalid(f"get gig with the id {dots!r}", "core: path segments refuse '.' and '..' (URL resolution would drop them)",
                         {"operation": "getGig", "gigId": dots}, [("gigId", "invalid_value")]))
        c.append(invalid(f"get customer with the id {dots!r}", "core: path segments refuse '.' and '..'",
                         {"operation": "getCustomer", "partnerUserId": dots}, [("partnerUserId", "invalid_value")]))
        c.append(invalid(f"get special payment with the id {dots!r}", "core: path segments refuse '.' and '..'",
                         {"operation": "getSpecialPayment", "id": dots}, [("id", "invalid_value")]))
    c.append(gig("create gig with the id '..'", "core: a gigId becomes a path segment of its lookup",
                 [("gigId", "invalid_value")], gigId=".."))
    c.append(invalid("get customer id with surrounding space", "core: identifiers are never trimmed",
                     {"operation": "getCustomer", "partnerUserId": "uid_1 "}, [("partnerUserId", "invalid_characters")]))
    c.append(invalid("get special payment id of 256 characters", "core: identifiers are 1 to 255 characters",
                     {"operation": "getSpecialPayment", "id": "p" * 256}, [("id", "too_long")]))
    c.append(invalid("get special payment id with a newline", "core: identifiers have no control characters",
                     {"operation": "getSpecialPayment", "id": "p\n1"}, [("id", "invalid_characters")]))
    c.append(invalid("gig id as a number", "core: wrong JSON type",
                     {"operation": "getGig", "gigId": 7}, [("gigId", "invalid_type")]))
    c.append(invalid("submit application without a partner user id", "reference: Submit an application (partnerUserId required)",
                     {"operation": "submitApplication"}, [("partnerUserId", "required")]))

    # updateCustomer.
    c.append(invalid("update with nothing to change", "notes: PATCH /customer; core: at least one field",
                     {"operation": "updateCustomer", "partnerUserId": "uid_1", "input": {}}, [("$", "required")]))
    c.append(invalid("update with only nulls", "core: null is the same as absent",
                     {"operation": "updateCustomer", "partnerUserId": "uid_1", "input": {"firstName": None}},
                     [("$", "required")]))
    c.append(invalid("update with an invalid email", "reference: Customer / email",
                     {"operation": "updateCustomer", "partnerUserId": "uid_1", "input": {"email": "nope"}},
                     [("email", "invalid_format")]))
    c.append(invalid("update cannot change the partner user id", "core: partnerUserId is the identity, not a field",
                     {"operation": "updateCustomer", "partnerUserId": "uid_1", "input": {"partnerUserId": "uid_2", "city": "Reno"}},
                     [("partnerUserId", "unknown_field")]))
    c.append(invalid("update without a partner user id", "core: path ids are required",
                     {"operation": "updateCustomer", "input": {"city": "Reno"}}, [("partnerUserId", "required")]))
    c.append(invalid("update with a bad id and a bad field", "core: all field errors in one pass",
                     {"operation": "updateCustomer", "partnerUserId": "", "input": {"state": "XX"}},
                     [("partnerUserId", "required"), ("state", "invalid_value")]))

    # Refused by configuration.
    c.append(refused("application refused in production", "reference: Application (staging only)",
                     {"operation": "submitApplication", "partnerUserId": "uid_1"}, config={"environment": "production"}))
    c.append(refused("unknown operation", "core: operations are the ten camelCase names",
                     {"operation": "deleteGig", "gigId": "g1"}))
    return c


# ---------------------------------------------------------------------------
# responses.json: answers and what they become.

def answer(name, doc, operation, status, body=..., headers=None, text=None, value=..., error=None):
    response = {"status": status}
    if headers:
        response["headers"] = headers
    if text is not None:
        response["bodyText"] = text
    elif body is not ...:
        response["body"] = body
    expect = {"error": error} if error is not None else {"value": value}
    return {"name": name, "doc": doc, "operation": operation, "response": response, "expect": expect}


def responses_cases():
    c = []
    ok = lambda name, doc, op, body, value=..., status=200: answer(
        name, doc, op, status, body, value=without_nulls(body) if value is ... else value)

    # Every response example of the reference.
    c.append(ok("reference: customer object", "reference: Customer (example object)", "getCustomer", CUSTOMER_OBJECT))
    c.append(ok("reference: create customer response", "reference: Create a customer (response)", "createCustomer",
                CUSTOMER_RESPONSE))
    c.append(ok("reference: retrieve customer response", "reference: Retrieve a customer (response)", "getCustomer",
                CUSTOMER_RESPONSE))
    c.append(ok("reference: application object", "reference: Application (example object)", "submitApplication",
                APPLICATION_OBJECT))
    c.append(ok("reference: submit application response", "reference: Submit an application (response)",
                "submitApplication", {"status": "submitted", "partnerUserId": "uid_847834395730535"}))
    c.append(ok("reference: gig response", "reference: Create a gig (response)", "createGig", GIG_RESPONSE))
    c.append(ok("reference: get gig response", "reference: Get a gig", "getGig", GIG_RESPONSE))
    c.append(ok("reference: special payment response", "reference: Create a special payment (response)",
                "createSpecialPayment", PAYMENT_RESPONSE))
    c.append(ok("reference: get special payment response", "reference: Get a special payment",
                "getSpecialPayment", PAYMENT_RESPONSE))
    c.append(ok("list of gigs", "reference: List gigs (JSON array); notes: GET /gig returns gigs", "listGigs",
                [GIG_RESPONSE, with_(GIG_RESPONSE, gigId="gigId_2", status="SUCCESS")],
                value=[GIG_RESPONSE, with_(GIG_RESPONSE, gigId="gigId_2", status="SUCCESS")]))
    c.append(ok("empty list of gigs", "reference: List gigs", "listGigs", [], value=[]))
    c.append(ok("list of special payments", "reference: List special payments", "listSpecialPayments",
                [PAYMENT_RESPONSE], value=[PAYMENT_RESPONSE]))
    c.append(ok("list wrapped in data", "core: lists wrapped in {\"data\": [...]} are accepted", "listSpecialPayments",
                {"data": [PAYMENT_RESPONSE], "hasMore": False}, value=[PAYMENT_RESPONSE]))
    c.append(ok("201 is a success", "core: any 2xx is a success", "createGig", GIG_RESPONSE, status=201))

    # Statuses: any case, unknown kept.
    for op, body, given, canonical in [
        ("getGig", GIG_RESPONSE, "pending", "PENDING"), ("getGig", GIG_RESPONSE, "Success", "SUCCESS"),
        ("getSpecialPayment", PAYMENT_RESPONSE, "failed", "FAILED"),
        ("getCustomer", CUSTOMER_RESPONSE, "active", "ACTIVE"), ("getCustomer", CUSTOMER_RESPONSE, "inactive", "INACTIVE"),
        ("getCustomer", CUSTOMER_RESPONSE, "pending_registration", "PENDING_REGISTRATION"),
        ("getCustomer", CUSTOMER_RESPONSE, "CREATED", "CREATED"),
        ("submitApplication", APPLICATION_OBJECT, "APPROVED", "approved"),
        ("submitApplication", APPLICATION_OBJECT, "Rejected", "rejected"),
    ]:
        c.append(ok(f"{op} status {given!r} reads as {canonical}", "notes: status casing (parse case-insensitively)",
                    op, with_(body, status=given), value=without_nulls(with_(body, status=canonical))))
    for op, body, status in [("getGig", GIG_RESPONSE, "REFUNDED"), ("getCustomer", CUSTOMER_RESPONSE, "suspended"),
                             ("getSpecialPayment", PAYMENT_RESPONSE, "on_hold"), ("submitApplication", APPLICATION_OBJECT, "in_review")]:
        c.append(ok(f"{op} unknown status {status!r} kept", "notes: keep unknown statuses as sent", op,
                    with_(body, status=status)))
    c.append(ok("unknown special payment type kept", "notes: forward compatible", "getSpecialPayment",
                with_(PAYMENT_RESPONSE, type="tip")))
    c.append(ok("special payment type in another case", "core: wire enums read in any case", "getSpecialPayment",
                with_(PAYMENT_RESPONSE, type="WAIT TIME"), value=with_(PAYMENT_RESPONSE, type="wait time")))

    # Unknown fields, amounts, nulls.
    extra = {"currency": "USD", "payout": {"method": "instant", "fees": ["0.00"]}, "tags": None}
    c.append(ok("unknown gig fields kept", "notes: unknown fields tolerated and kept", "getGig",
                {**GIG_RESPONSE, **extra}, value={**GIG_RESPONSE, "currency": "USD", "payout": extra["payout"], "tags": None}))
    c.append(ok("unknown customer fields kept", "notes: unknown fields tolerated and kept", "getCustomer",
                {**CUSTOMER_RESPONSE, "kycLevel": 2}))
    c.append(ok("gig with only its gigId", "core: response fields are optional but gigId", "getGig",
                {"gigId": "g1"}))
    c.append(ok("amounts normalised to two decimals", "core: amounts read exactly, written with two decimals",
                "getGig", with_(GIG_RESPONSE, totalAmount="15", tips="3.5", expenses=2),
                value=with_(GIG_RESPONSE, totalAmount="15.00", tips="3.50", expenses="2.00")))
    c.append(ok("negative special payment amount", "reference: amount may be negative", "getSpecialPayment",
                with_(PAYMENT_RESPONSE, amount="-4.56", type="correction")))
    c.append(ok("non-ASCII text kept", "core: text fields kept as sent", "getGig",
                with_(GIG_RESPONSE, description="Café ☕ 💸")))

    # Malformed 2xx bodies.
    for name, text in [("malformed 200 body", "{\"gigId\": "), ("empty 200 body", ""), ("HTML 200 body", "<html>oops</html>"),
                       ("200 body null", "null"), ("200 body is an array for one gig", "[]"),
                       ("200 body is a string", "\"ok\"")]:
        c.append(answer(name, "core: malformed bodies give invalid_response", "getGig", 200, text=text,
                        error={"code": "invalid_response", "status": 200}))
    c.append(answer("gig without gigId", "core: a gig must carry its gigId", "getGig", 200,
                    with_(GIG_RESPONSE, gigId=...), error={"code": "invalid_response", "status": 200}))
    c.append(answer("customer without partnerUserId", "core: a customer must carry its partnerUserId", "getCustomer",
                    200, with_(CUSTOMER_RESPONSE, partnerUserId=...), error={"code": "invalid_response", "status": 200}))
    c.append(answer("amount as a JSON float in a response", "core: binary floats never touch an amount", "getGig",
                    200, with_(GIG_RESPONSE, totalAmount=15.5), error={"code": "invalid_response"}))
    c.append(answer("amount with three decimals in a response", "core: amounts are never rounded", "getSpecialPayment",
                    200, with_(PAYMENT_RESPONSE, amount="4.567"), error={"code": "invalid_response"}))
    c.append(answer("list that is an object", "reference: lists are JSON arrays", "listGigs", 200,
                    {"gigs": []}, error={"code": "invalid_response"}))
    c.append(answer("list with a bad item", "core: every list item must parse", "listGigs", 200,
                    [GIG_RESPONSE, {"status": "PENDING"}], error={"code": "invalid_response"}))

    # Error statuses and bodies.
    def error(name, doc, status, code, body=..., text=None, headers=None, op="getGig", **want):
        return answer(name, doc, op, status, body, headers=headers, text=text,
                      error={"code": code, "status": status, **want})

    c.append(error("400 with a JSON message", "reference: Response 400; notes: error bodies (message)", 400,
                   "bad_request", {"message": "gigId already exists"}, message="gigId already exists"))
    c.append(error("400 with an error string", "notes: error bodies (error)", 400, "bad_request",
                   {"error": "Invalid partnerUserId"}, message="Invalid partnerUserId"))
    c.append(error("400 with an error object", "notes: error bodies (error.message)", 400, "bad_request",
                   {"error": {"message": "Customer is not active", "type": "invalid_request"}},
                   message="Customer is not active"))
    c.append(error("400 with field errors", "notes: error bodies (errors list)", 400, "bad_request",
                   {"errors": [{"field": "email", "code": "invalid_format", "message": "must be an email address"},
                               {"field": "state", "code": "invalid_value", "message": "must be a state code"}]},
                   message="email: must be an email address; state: must be a state code",
                   fieldErrors=[{"field": "email", "code": "invalid_format"}, {"field": "state", "code": "invalid_value"}]))
    c.append(error("400 field error with an unknown code", "core: unknown field error codes read as invalid_value",
                   400, "bad_request", {"errors": [{"field": "gigId", "code": "duplicate", "message": "already used"}]},
                   message="gigId: already used", fieldErrors=[{"field": "gigId", "code": "invalid_value"}]))
    c.append(error("400 with a list of strings", "notes: error bodies (errors list)", 400, "bad_request",
                   {"errors": ["amount is required", "type is invalid"]}, message="amount is required; type is invalid"))
    c.append(error("400 message preferred over errors", "core: message, then error, then errors", 400, "bad_request",
                   {"message": "Validation failed", "errors": [{"field": "tips", "code": "out_of_range", "message": "negative"}]},
                   message="Validation failed", fieldErrors=[{"field": "tips", "code": "out_of_range"}]))
    c.append(error("400 with a plain text body", "notes: the sample reads error bodies as text", 400, "bad_request",
                   text="Bad Request"))
    c.append(error("401 with an empty body", "reference: Response 401", 401, "unauthorized", text=""))
    c.append(error("401 with a JSON message", "reference: Response 401", 401, "unauthorized",
                   {"message": "Unauthorized"}, message="Unauthorized"))
    c.append(error("404 with a JSON message", "reference: Response 404", 404, "not_found", {"message": "Gig not found"},
                   headers={"X-Request-Id": "req_1"}, message="Gig not found", requestId="req_1"))
    c.append(error("404 on a list", "reference: Response 404", 404, "not_found", text="Not Found", op="listSpecialPayments"))
    c.append(error("request id from Request-Id", "core: request id headers", 404, "not_found", text="",
                   headers={"Request-Id": "req_2"}, requestId="req_2"))
    c.append(error("request id from x-lean-request-id", "core: request id headers (any case)", 404, "not_found", text="",
                   headers={"x-lean-request-id": "req_3"}, requestId="req_3"))
    c.append(error("429 with Retry-After in seconds", "notes: rate limits (Retry-After)", 429, "rate_limited", text="",
                   headers={"Retry-After": "7"}, retryAfterMs=7000))
    c.append(error("429 with Retry-After as an HTTP date", "notes: Retry-After HTTP-date against the Date header", 429,
                   "rate_limited", text="", headers={"Retry-After": "Wed, 21 Oct 2015 07:28:30 GMT",
                                                     "Date": "Wed, 21 Oct 2015 07:28:00 GMT"}, retryAfterMs=30000))
    c.append(error("429 with a Retry-After date in the past", "core: a past date means no wait", 429, "rate_limited",
                   text="", headers={"Retry-After": "Wed, 21 Oct 2015 07:27:00 GMT",
                                     "Date": "Wed, 21 Oct 2015 07:28:00 GMT"}, retryAfterMs=0))
    c.append(error("429 with a Retry-After date but no Date header", "core: no clock in the core; no wait known", 429,
                   "rate_limited", text="", headers={"Retry-After": "Wed, 21 Oct 2015 07:28:30 GMT"}, retryAfterMs=None))
    c.append(error("429 with fractional Retry-After", "core: Retry-After seconds may have a fraction", 429,
                   "rate_limited", text="", headers={"retry-after": "1.5"}, retryAfterMs=1500))
    c.append(error("429 with a meaningless Retry-After", "core: an unreadable Retry-After is ignored", 429,
                   "rate_limited", text="", headers={"Retry-After": "soon"}, retryAfterMs=None))
    c.append(error("429 with a negative Retry-After", "core: an unreadable Retry-After is ignored", 429,
                   "rate_limited", text="", headers={"Retry-After": "-5"}, retryAfterMs=None))
    c.append(error("503 with Retry-After", "reference: Response 503", 503, "service_unavailable",
                   {"message": "Maintenance"}, headers={"Retry-After": "120"}, message="Maintenance", retryAfterMs=120000))
    c.append(error("503 without a body", "reference: Response 503", 503, "service_unavailable", text=""))
    c.append(error("500", "core: other 5xx", 500, "server_error", {"error": "Internal Server Error"},
                   message="Internal Server Error"))
    c.append(error("502 with an HTML body", "core: other 5xx", 502, "server_error", text="<html>Bad Gateway</html>"))
    c.append(error("418 is another API error", "core: any other status", 418, "api_error", {"message": "teapot"},
                   message="teapot"))
    c.append(error("409 is another API error", "core: any other status", 409, "api_error", text="conflict"))
    c.append(error("302 is a redirect, never followed", "design: redirects are answers", 302, "redirect", text="",
                   headers={"Location": "https://example.com/login"}, location="https://example.com/login"))
    c.append(error("error body that is not UTF-8 JSON", "core: malformed error bodies keep their text", 500,
                   "server_error", text="{\"message\": "))
    return c


# ---------------------------------------------------------------------------
# webhooks.json: signatures computed here with Python's hmac.

def signature(secret, body):
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha1).digest()).decode()


def payload_bytes(payload):
    if isinstance(payload, str):
        return payload.encode()
    if "base64" in payload:
        return base64.b64decode(payload["base64"])
    return (payload["repeat"] * payload["times"]).encode()


def envelope(event, data):
    return json.dumps({"event": event, "data": data}, separators=(",", ":"), ensure_ascii=False)


def webhooks_cases():
    c = []
    secret = "whsec_test"
    gig_body = envelope("gig.completed", with_(GIG_RESPONSE, status="SUCCESS"))

    def case(name, doc, action, payload, secrets=(secret,), sig=..., signed_with=None, expect=None):
        if sig is ...:
            sig = signature(signed_with or secrets[0], payload_bytes(payload))
        out = {"name": name, "doc": doc, "action": action, "secrets": list(secrets), "payload": payload}
        if action != "sign":
            out["signature"] = sig
        out["expect"] = expect if expect is not None else {"valid": True}
        return out

    def sign(name, doc, payload, key=secret):
        return case(name, doc, "sign", payload, secrets=(key,),
                    expect={"signature": signature(key, payload_bytes(payload))})

    def bad(name, doc, payload, sig, code, **kw):
        return case(name, doc, "verify", payload, sig=sig, expect={"error": {"code": code}}, **kw)

    good = signature(secret, gig_body.encode())
    c.append(sign("sign an empty body", "reference: Webhooks / Verification (HMAC-SHA1, base64)", ""))
    c.append(sign("sign a gig.completed body", "reference: Webhooks / Verification", gig_body))
    c.append(sign("sign a non-ASCII body", "notes: HMAC over the raw UTF-8 bytes", envelope("gig.completed", {"gigId": "Café ☕ 💸"})))
    c.append(sign("sign raw non-UTF-8 bytes", "notes: HMAC over the raw bytes",
                  {"base64": base64.b64encode(b"\xff\xfe\x00\x80raw").decode()}))
    c.append(sign("sign with the API key as the secret", "reference: the key is the API key (older integrations)",
                  gig_body, key="test_key_123"))
    c.append(case("verify a good signature", "reference: Webhooks / Verification", "verify", gig_body))
    c.append(case("verify an empty body", "notes: raw bytes, even none", "verify", ""))
    c.append(case("verify a non-ASCII body", "notes: HMAC over the raw UTF-8 bytes", "verify",
                  envelope("customer.active", {"partnerUserId": "ü-ñ-☃-💸", "firstName": "Zoë"})))
    c.append(case("verify raw non-UTF-8 bytes", "notes: HMAC over the raw bytes", "verify",
                  {"base64": base64.b64encode(bytes(range(256))).decode()}))
    c.append(case("1 MiB body", "core: large bodies verify", "verify", {"repeat": "a", "times": 1048576}))
    c.append(case("1 MiB non-ASCII body", "core: large bodies verify", "verify", {"repeat": "é☃", "times": 209716}))
    c.append(case("header without padding", "core: base64 padding optional", "verify", gig_body,
                  sig=good.rstrip("=")))
    c.append(case("header with surrounding white space", "core: the header value is trimmed", "verify", gig_body,
                  sig=f"  {good}\t"))
    c.append(case("rotation: signed with the old secret", "notes: several secrets at once, for rotation", "verify",
                  gig_body, secrets=("whsec_new", "whsec_old"), signed_with="whsec_old"))
    c.append(case("rotation: signed with the new secret", "notes: several secrets at once, for rotation", "verify",
                  gig_body, secrets=("whsec_new", "whsec_old"), signed_with="whsec_new"))
    c.append(bad("rotation: signed with neither secret", "notes: several secrets at once", gig_body,
                 signature("whsec_other", gig_body.encode()), "signature_mismatch", secrets=("whsec_new", "whsec_old")))
    c.append(bad("tampered body", "notes: verify the raw body exactly as received",
                 gig_body.replace("15.00", "95.00"), good, "signature_mismatch"))
    c.append(bad("re-serialised JSON body", "notes: never re-serialise the body before verifying",
                 json.dumps(json.loads(gig_body), indent=1), good, "signature_mismatch"))
    c.append(bad("body with a trailing newline", "notes: raw bytes, exactly", gig_body + "\n", good, "signature_mismatch"))
    c.append(bad("wrong secret", "reference: Webhooks / Verification", gig_body,
                 signature("whsec_wrong", gig_body.encode()), "signature_mismatch"))
    c.append(bad("signature of an empty body for a real body", "reference: the Node example's mistake", gig_body,
                 signature(secret, b""), "signature_mismatch"))
    c.append(bad("missing header", "core: signature_missing", gig_body, None, "signature_missing"))
    c.append(bad("empty header", "core: an empty header is missing", gig_body, "", "signature_missing"))
    c.append(bad("blank header", "core: a blank header is missing", gig_body, "   ", "signature_missing"))
    c.append(bad("header is not base64", "core: signature_malformed", gig_body, "not base64!", "signature_malformed"))
    c.append(bad("header is a hex digest", "core: base64, not hex", gig_body,
                 hmac.new(secret.encode(), gig_body.encode(), hashlib.sha1).hexdigest(), "signature_malformed"))
    c.append(bad("header in URL-safe base64", "core: standard base64 alphabet", gig_body,
                 base64.urlsafe_b64encode(hmac.new(secret.encode(), gig_body.encode(), hashlib.sha1).digest()).decode(),
                 "signature_malformed"))
    c.append(bad("header of 19 bytes", "core: an HMAC-SHA1 is 20 bytes", gig_body,
                 base64.b64encode(b"\x01" * 19).decode(), "signature_malformed"))
    c.append(bad("header of 32 bytes (SHA-256)", "core: an HMAC-SHA1 is 20 bytes", gig_body,
                 base64.b64encode(hmac.new(secret.encode(), gig_body.encode(), hashlib.sha256).digest()).decode(),
                 "signature_malformed"))
    c.append(bad("header prefixed with an algorithm", "core: the header is the bare digest", gig_body,
                 "sha1=" + good, "signature_malformed"))
    c.append(bad("no secret at all", "core: at least one secret", gig_body, good, "configuration", secrets=()))
    c.append(bad("empty secret", "core: an empty secret would accept forged signatures", gig_body, good, "configuration",
                 secrets=("",)))

    # Events. Each carries its dedupKey (payouts webhooks have no id).
    def event(name, doc, body, want, secrets=(secret,)):
        return case(name, doc, "constructEvent", body, secrets=secrets, expect=with_dedup_key(want))

    customer_active = with_(CUSTOMER_OBJECT)
    customer_inactive = with_(CUSTOMER_OBJECT, status="INACTIVE")
    gig_failed = with_(GIG_RESPONSE, status="FAILED")
    payment_done = with_(PAYMENT_RESPONSE, status="SUCCESS")
    payment_failed = with_(PAYMENT_RESPONSE, status="FAILED")
    for name, data in [("customer.active", customer_active), ("customer.inactive", customer_inactive),
                       ("gig.completed", with_(GIG_RESPONSE, status="SUCCESS")), ("gig.failed", gig_failed),
                       ("specialpayment.completed", payment_done), ("specialpayment.failed", payment_failed)]:
        c.append(event(f"construct a {name} event", "reference: Webhooks (supported events); notes: webhook body",
                       envelope(name, data), {"event": {"event": name, "data": without_nulls(data)}}))
    c.append(event("event data with lower-case status", "notes: status casing", envelope("gig.completed", with_(GIG_RESPONSE, status="success")),
                   {"event": {"event": "gig.completed", "data": with_(GIG_RESPONSE, status="SUCCESS")}}))
    c.append(event("event name in upper case", "core: event names read in any case",
                   envelope("GIG.COMPLETED", with_(GIG_RESPONSE, status="SUCCESS")),
                   {"event": {"event": "gig.completed", "data": with_(GIG_RESPONSE, status="SUCCESS")}}))
    c.append(event("unknown event of a known object is typed", "notes: unknown event names kept",
                   envelope("gig.refunded", with_(GIG_RESPONSE, totalAmount="15")),
                   {"event": {"event": "gig.refunded", "data": GIG_RESPONSE}}))
    c.append(event("unknown event of an unknown object is kept raw", "notes: unknown event names kept",
                   envelope("payout.created", {"id": "po_1", "amount": 12.5}),
                   {"event": {"event": "payout.created", "data": {"id": "po_1", "amount": 12.5}}}))
    c.append(event("unknown event whose data does not fit is kept raw", "notes: forward compatible",
                   envelope("gig.archived", {"ids": ["g1", "g2"]}),
                   {"event": {"event": "gig.archived", "data": {"ids": ["g1", "g2"]}}}))
    c.append(event("extra envelope fields are ignored", "notes: webhook body {event, data}",
                   json.dumps({"id": "evt_1", "event": "gig.failed", "data": gig_failed, "createdAt": "2021-04-01T00:00:00Z"},
                              separators=(",", ":")),
                   {"event": {"event": "gig.failed", "data": gig_failed}}))
    c.append(event("event with non-ASCII data", "notes: HMAC over the raw UTF-8 bytes",
                   envelope("specialpayment.completed", with_(payment_done, description="Prime ☕ für Zoë")),
                   {"event": {"event": "specialpayment.completed", "data": with_(payment_done, description="Prime ☕ für Zoë")}}))
    payload_error = {"error": {"code": "invalid_payload"}}
    c.append(event("known event with data that is not an object", "core: invalid_payload",
                   envelope("gig.completed", "gigId_1"), payload_error))
    c.append(event("known event without data", "core: invalid_payload",
                   json.dumps({"event": "customer.active"}), payload_error))
    c.append(event("known event with data of the wrong shape", "core: invalid_payload",
                   envelope("gig.completed", {"totalAmount": "15.00"}), payload_error))
    c.append(event("body that is not JSON", "core: invalid_payload", "event=gig.completed", payload_error))
    c.append(event("empty body", "core: invalid_payload", "", payload_error))
    c.append(event("body that is a JSON array", "core: invalid_payload", "[]", payload_error))
    c.append(event("no event name", "notes: the event name is required", json.dumps({"data": GIG_RESPONSE}), payload_error))
    c.append(event("blank event name", "notes: the event name is required", envelope(" ", GIG_RESPONSE), payload_error))
    c.append(event("event name that is not text", "notes: the event name is required",
                   json.dumps({"event": 3, "data": {}}), payload_error))
    c.append(case("a bad signature is reported before the body is read", "notes: verify before parsing",
                  "constructEvent", "not json at all", sig=signature("whsec_wrong", b"not json at all"),
                  expect={"error": {"code": "signature_mismatch"}}))
    c.append(case("construct without a header", "notes: verify before parsing", "constructEvent", gig_body, sig=None,
                  expect={"error": {"code": "signature_missing"}}))
    c.append(case("construct with rotated secrets", "notes: several secrets", "constructEvent", gig_body,
                  secrets=("whsec_new", secret), signed_with=secret,
                  expect=with_dedup_key({"event": {"event": "gig.completed",
                                                   "data": with_(GIG_RESPONSE, status="SUCCESS")}})))
    c.append(event("dedup key escapes ':' and '%' in ids", "core: dedupKey parts never run together",
                   envelope("gig.completed", with_(GIG_RESPONSE, gigId="a:b%c", status="SUCCESS")),
                   {"event": {"event": "gig.completed", "data": with_(GIG_RESPONSE, gigId="a:b%c", status="SUCCESS")}}))
    return c


def with_dedup_key(expect):
    """The expected event with its dedupKey, `event:objectId:status`: the
    object's own id (gigId, partnerUserId, a special payment's id; for data
    of an unknown shape the first of those present), its status, ':' and '%'
    escaped in each part."""
    if "event" not in expect:
        return expect
    event = dict(expect["event"])
    name, data = event["event"], event["data"]
    own_id = {"customer": "partnerUserId", "gig": "gigId", "specialpayment": "id"}.get(name.split(".")[0].lower())
    data = data if isinstance(data, dict) else {}
    if own_id and own_id in data:
        object_id = data[own_id]
    else:
        object_id = next((data[k] for k in ("gigId", "partnerUserId", "id") if isinstance(data.get(k), str) and data[k]), "")
    status = data.get("status") if isinstance(data.get("status"), str) else ""
    part = lambda text: text.replace("%", "%25").replace(":", "%3A")
    event["dedupKey"] = ":".join(part(p) for p in (name, object_id, status))
    return {**expect, "event": event}


# ---------------------------------------------------------------------------
# engine.json: the call engine against a scripted transport.

def ex(method, path, status=None, body=..., headers=None, text=None, transport=None, sent=None, interrupt=None):
    if interrupt:
        reply = {"interrupt": interrupt}
    elif transport:
        reply = {"transportError": transport}
    else:
        reply = {"status": status}
        if headers:
            reply["headers"] = headers
        if text is not None:
            reply["bodyText"] = text
        elif body is not ...:
            reply["body"] = body
    req = {"method": method, "path": path}
    if sent:
        req["headers"] = sent
    return {"request": req, "reply": reply}


def engine_cases():
    c = []

    def case(name, doc, call, exchanges, expect, retries=2, waits=None, config=None):
        out = {"name": name, "doc": doc, "config": {"maxRetries": retries, **(config or {})}, "call": call,
               "exchanges": exchanges}
        if waits is not None:
            out["waitsMs"] = waits
        out["expect"] = expect
        id_field = {"createGig": "gigId", "createCustomer": "partnerUserId"}.get(call["operation"])
        return with_trace(out, {id_field: call["input"][id_field]} if id_field else {})

    get_gig = {"operation": "getGig", "gigId": "gigId_94792357823953532"}
    gig_path = "/gig/gigId_94792357823953532"
    create_gig = {"operation": "createGig", "input": GIG}
    # A lookup matches only when it shows every field sent: the reference's
    # example answer omits partnerUserId, so the lookups here carry it.
    gig_found = with_(GIG_RESPONSE, partnerUserId=GIG["partnerUserId"])
    gig_ok = {"value": GIG_RESPONSE}
    found_ok = {"value": gig_found}
    gig_ids = {"gigId": GIG["gigId"]}
    customer_ids = {"partnerUserId": CUSTOMER["partnerUserId"]}
    keyed_payment = {"operation": "createSpecialPayment", "input": PAYMENT, "idempotencyKey": "payout-0001"}
    payment = {"operation": "createSpecialPayment", "input": PAYMENT}
    create_customer = {"operation": "createCustomer", "input": CUSTOMER}
    key = {"idempotency-key": "payout-0001"}
    customer_path = "/customer/uid_847834395730535"

    def err(code, **more):
        return {"error": {"code": code, **more}}

    # Retries of reads.
    c.append(case("503 then success", "reference: 503; design: retries", get_gig,
                  [ex("GET", gig_path, 503), ex("GET", gig_path, 200, GIG_RESPONSE)], gig_ok))
    c.append(case("429 with Retry-After", "notes: rate limits", {"operation": "listGigs"},
                  [ex("GET", "/gig", 429, headers={"Retry-After": "0"}), ex("GET", "/gig", 200, [])],
                  {"value": []}, waits=[0]))
    c.append(case("Retry-After of one second is honoured", "notes: Retry-After honoured", {"operation": "listGigs"},
                  [ex("GET", "/gig", 429, text="", headers={"Retry-After": "1"}), ex("GET", "/gig", 200, [])],
                  {"value": []}, waits=[1000]))
    c.append(case("Retry-After as an HTTP date is honoured", "notes: Retry-After HTTP-date against Date",
                  {"operation": "listSpecialPayments"},
                  [ex("GET", "/specialpayment", 503, text="", headers={"Retry-After": "Wed, 21 Oct 2015 07:28:01 GMT",
                                                                      "Date": "Wed, 21 Oct 2015 07:28:00 GMT"}),
                   ex("GET", "/specialpayment", 200, [])], {"value": []}, waits=[1000]))
    c.append(case("Retry-After beyond the limit ends the call", "design: max_retry_after (60 s)", {"operation": "listGigs"},
                  [ex("GET", "/gig", 429, {"message": "slow down"}, headers={"Retry-After": "3600"})],
                  err("rate_limited", status=429, retryAfterMs=3600000, message="slow down"), waits=[]))
    c.append(case("500 then success", "core: other 5xx retried", get_gig,
                  [ex("GET", gig_path, 500), ex("GET", gig_path, 200, GIG_RESPONSE)], gig_ok))
    c.append(case("408 then success", "core: request timeout retried", get_gig,
                  [ex("GET", gig_path, 408, text=""), ex("GET", gig_path, 200, GIG_RESPONSE)], gig_ok))
    c.append(case("transport errors of each kind then success", "design: transport failures retried", get_gig,
                  [ex("GET", gig_path, transport="connect"), ex("GET", gig_path, transport="timeout"),
                   ex("GET", gig_path, 200, GIG_RESPONSE)], gig_ok))
    c.append(case("a status no server sends is retried like a server error",
                  "core: a status outside 100-599 is not an answer", get_gig,
                  [ex("GET", gig_path, 700, text=""), ex("GET", gig_path, 200, GIG_RESPONSE)], gig_ok))
    c.append(case("a create answered with no HTTP status is looked up",
                  "core: a status outside 100-599 may come after the request was applied", create_gig,
                  [ex("POST", "/gig", 0, text=""), ex("GET", gig_path, 200, gig_found)], found_ok))
    c.append(case("reset connection then success", "design: transport failures retried", get_gig,
                  [ex("GET", gig_path, transport="other"), ex("GET", gig_path, 200, GIG_RESPONSE)], gig_ok, retries=1))
    c.append(case("503 retries exhausted", "design: bounded retries", get_gig,
                  [ex("GET", gig_path, 503, {"message": "down"})] * 3,
                  err("service_unavailable", status=503, message="down")))
    c.append(case("500 retries exhausted with one retry", "design: maxRetries", {"operation": "listGigs"},
                  [ex("GET", "/gig", 500, text="")] * 2, err("server_error", status=500), retries=1))
    c.append(case("no retries configured", "design: maxRetries 0", get_gig, [ex("GET", gig_path, 503, text="")],
                  err("service_unavailable", status=503), retries=0))
    c.append(case("429 retries exhausted", "notes: rate limits", {"operation": "listGigs"},
                  [ex("GET", "/gig", 429, text="", headers={"Retry-After": "0"})] * 3, err("rate_limited", status=429)))
    c.append(case("connect failures exhausted on a read", "design: transport errors", get_gig,
                  [ex("GET", gig_path, transport="connect")] * 3, err("transport", outcomeUnknown=False)))
    c.append(case("timeouts exhausted on a read", "design: a read changes nothing", get_gig,
                  [ex("GET", gig_path, transport="timeout")] * 3, err("transport", outcomeUnknown=False)))
    c.append(case("malformed success is not retried", "core: invalid_response", get_gig,
                  [ex("GET", gig_path, 200, text="{")], err("invalid_response", status=200)))

    # Never retried.
    for status, code in [(400, "bad_request"), (401, "unauthorized"), (404, "not_found")]:
        c.append(case(f"{status} is never retried", "design: never retry 400/401/404", get_gig,
                      [ex("GET", gig_path, status, {"message": f"no {status}"})],
                      err(code, status=status, message=f"no {status}")))
    c.append(case("401 on a create is not retried or looked up", "design: never retry 401", create_gig,
                  [ex("POST", "/gig", 401, text="")], err("unauthorized", status=401)))
    c.append(case("418 is not retried", "core: other statuses are answers", {"operation": "listGigs"},
                  [ex("GET", "/gig", 418, text="")], err("api_error", status=418)))

    # Special payments: idempotency.
    c.append(case("special payment retried after a timeout", "reference: Idempotency Header (same key on every attempt)",
                  keyed_payment, [ex("POST", "/specialpayment", transport="timeout", sent=key),
                                  ex("POST", "/specialpayment", 503, text="", sent=key),
                                  ex("POST", "/specialpayment", 200, PAYMENT_RESPONSE, sent=key)],
                  {"value": PAYMENT_RESPONSE}))
    c.append(case("special payment with a generated key retried after 503", "reference: Idempotency Header", payment,
                  [ex("POST", "/specialpayment", 503, text=""), ex("POST", "/specialpayment", 200, PAYMENT_RESPONSE)],
                  {"value": PAYMENT_RESPONSE}))
    c.append(case("special payment outcome unknown after timeouts", "design: no lookup exists for special payments",
                  keyed_payment, [ex("POST", "/specialpayment", transport="timeout", sent=key)] * 3,
                  err("transport", outcomeUnknown=True)))
    c.append(case("special payment outcome unknown after 500s", "design: a 5xx may come after the payment was made",
                  payment, [ex("POST", "/specialpayment", 500, text="")] * 3, err("transport", outcomeUnknown=True)))
    c.append(case("special payment never sent after connect failures", "design: connect failures reach nothing",
                  keyed_payment, [ex("POST", "/specialpayment", transport="connect")] * 3,
                  err("transport", outcomeUnknown=False)))
    c.append(case("special payment rate limited is not unknown", "core: 429 means not processed", keyed_payment,
                  [ex("POST", "/specialpayment", 429, text="", headers={"Retry-After": "0"})] * 3,
                  err("rate_limited", status=429)))
    c.append(case("special payment 400 is not looked up", "design: never retry 400", keyed_payment,
                  [ex("POST", "/specialpayment", 400, {"message": "gigId does not exist"})],
                  err("bad_request", status=400, message="gigId does not exist")))

    # Gig reconciliation: an attempt that may have been applied is looked up
    # by its gigId before anything is sent again.
    c.append(case("gig created once: timeout, then lookup matches", "design: re-sending (lookup first)",
                  create_gig, [ex("POST", "/gig", transport="timeout"), ex("GET", gig_path, 200, gig_found)], found_ok))
    c.append(case("gig answer lost: lookup 404, then sent again", "design: re-sending (404: nothing was made)",
                  create_gig, [ex("POST", "/gig", transport="other"), ex("GET", gig_path, 404, text=""),
                               ex("POST", "/gig", 200, GIG_RESPONSE)], gig_ok))
    c.append(case("gig lookup matches with times and amounts spelt differently", "design: compare as instants and exact amounts",
                  create_gig, [ex("POST", "/gig", transport="other"),
                               ex("GET", gig_path, 200, with_(gig_found, startTime="2021-03-01T21:04:04.000Z",
                                                              endTime="2021-03-01T13:31:05-08:00", totalAmount="15"))],
                  {"value": with_(gig_found, startTime="2021-03-01T21:04:04.000Z",
                                  endTime="2021-03-01T13:31:05-08:00")}))
    c.append(case("gig conflict: the id holds another payout", "design: gig reconciliation (conflict)", create_gig,
                  [ex("POST", "/gig", transport="timeout"),
                   ex("GET", gig_path, 200, with_(gig_found, totalAmount="25.00"))], err("conflict")))
    c.append(case("gig conflict on a first 400 (an earlier run used the id)", "design: gig reconciliation (conflict)",
                  create_gig, [ex("POST", "/gig", 400, {"message": "gigId already exists"}),
                               ex("GET", gig_path, 200, with_(gig_found, description="Another job"))],
                  err("conflict")))
    c.append(case("gig already created by an earlier run", "design: gig reconciliation (same gig)", create_gig,
                  [ex("POST", "/gig", 400, {"message": "gigId already exists"}), ex("GET", gig_path, 200, gig_found)],
                  found_ok))
    c.append(case("gig lookup without the fields sent is no match", "design: a missing field is an unknown outcome",
                  create_gig, [ex("POST", "/gig", 400, {"message": "gigId already exists"}),
                               ex("GET", gig_path, 200, {"gigId": GIG["gigId"]})],
                  err("transport", outcomeUnknown=True, sentIds=gig_ids)))
    c.append(case("gig lookup after a lost answer without partnerUserId is no match",
                  "design: a missing field is an unknown outcome", create_gig,
                  [ex("POST", "/gig", transport="timeout"), ex("GET", gig_path, 200, GIG_RESPONSE)],
                  err("transport", outcomeUnknown=True, sentIds=gig_ids)))
    c.append(case("gig 400 and lookup 404: the 400 stands", "design: gig reconciliation (404)", create_gig,
                  [ex("POST", "/gig", 400, {"message": "Customer is not active"}), ex("GET", gig_path, 404, text="")],
                  err("bad_request", status=400, message="Customer is not active")))
    c.append(case("gig timeouts, each lookup 404: nothing was created", "design: re-sending within the budget",
                  create_gig, [ex("POST", "/gig", transport="timeout"), ex("GET", gig_path, 404, text="")] * 3,
                  err("transport", outcomeUnknown=False, sentIds=gig_ids)))
    c.append(case("gig timeout, lookup 404, timeout, lookup finds it", "design: re-sending (lookup first)", create_gig,
                  [ex("POST", "/gig", transport="timeout"), ex("GET", gig_path, 404, text=""),
                   ex("POST", "/gig", transport="timeout"), ex("GET", gig_path, 200, gig_found)], found_ok))
    c.append(case("gig 503, lookup 404, then sent again", "design: a 5xx may come after the gig was made; re-sending (404)",
                  create_gig, [ex("POST", "/gig", 503, text=""), ex("GET", gig_path, 404, text=""),
                               ex("POST", "/gig", 200, GIG_RESPONSE)], gig_ok))
    c.append(case("gig 503 then lookup finds it", "design: a 5xx may come after the gig was made", create_gig,
                  [ex("POST", "/gig", 503, text=""), ex("GET", gig_path, 200, gig_found)], found_ok, retries=1))
    c.append(case("gig lookup unavailable: outcome unknown", "design: lookup retries bounded", create_gig,
                  [ex("POST", "/gig", transport="timeout")] + [ex("GET", gig_path, 503, text="")] * 2,
                  err("transport", outcomeUnknown=True, sentIds=gig_ids), retries=1))
    c.append(case("gig lookup fails below HTTP: outcome unknown", "design: lookup retries bounded", create_gig,
                  [ex("POST", "/gig", transport="other"), ex("GET", gig_path, transport="connect")],
                  err("transport", outcomeUnknown=True, sentIds=gig_ids), retries=0))
    c.append(case("gig never sent: connect failures, no lookup", "design: connect failures reach nothing", create_gig,
                  [ex("POST", "/gig", transport="connect")] * 3, err("transport", outcomeUnknown=False)))
    c.append(case("gig rate limited is retried without a lookup", "engine docs: 429 means not processed", create_gig,
                  [ex("POST", "/gig", 429, text="", headers={"Retry-After": "0"}), ex("POST", "/gig", 200, GIG_RESPONSE)],
                  gig_ok, waits=[0]))

    # Customer reconciliation.
    c.append(case("customer created once: timeout, lookup matches", "design: customer reconciliation",
                  create_customer, [ex("POST", "/customer", transport="timeout"),
                                    ex("GET", customer_path, 200, CUSTOMER_RESPONSE)],
                  {"value": without_nulls(CUSTOMER_RESPONSE)}))
    c.append(case("customer answer lost: lookup 404, then sent again", "design: re-sending (404: nothing was made)",
                  create_customer, [ex("POST", "/customer", transport="other"), ex("GET", customer_path, 404, text=""),
                                    ex("POST", "/customer", 200, CUSTOMER_RESPONSE)],
                  {"value": without_nulls(CUSTOMER_RESPONSE)}))
    c.append(case("customer lookup matches another spelling of the phone", "design: customer reconciliation",
                  create_customer, [ex("POST", "/customer", 400, text=""),
                                    ex("GET", customer_path, 200, with_(CUSTOMER_RESPONSE, phoneNumber="(408) 500-8000",
                                                                        email="JaneDoe@Gmail.com"))],
                  {"value": without_nulls(with_(CUSTOMER_RESPONSE, phoneNumber="(408) 500-8000", email="JaneDoe@Gmail.com"))}))
    c.append(case("customer conflict: the id belongs to someone else", "design: customer reconciliation (conflict)",
                  create_customer, [ex("POST", "/customer", 400, {"message": "partnerUserId must be unique"}),
                                    ex("GET", customer_path, 200, with_(CUSTOMER_RESPONSE, firstName="John"))],
                  err("conflict")))
    c.append(case("customer lookup without the birthday is no match", "design: a missing field is an unknown outcome",
                  create_customer, [ex("POST", "/customer", transport="timeout"),
                                    ex("GET", customer_path, 200, with_(CUSTOMER_RESPONSE, birthday=None))],
                  err("transport", outcomeUnknown=True, sentIds=customer_ids)))
    c.append(case("customer 400 and lookup 404", "design: customer reconciliation (404)", create_customer,
                  [ex("POST", "/customer", 400, {"message": "email must be unique"}), ex("GET", customer_path, 404, text="")],
                  err("bad_request", status=400, message="email must be unique")))

    # Special payments carry a key, so a lost answer is sent again with it.
    c.append(case("special payment answer lost: sent again with the same key", "reference: Idempotency Header",
                  keyed_payment, [ex("POST", "/specialpayment", transport="other", sent=key),
                                  ex("POST", "/specialpayment", 200, PAYMENT_RESPONSE, sent=key)],
                  {"value": PAYMENT_RESPONSE}))
    c.append(case("special payment refused after a lost answer: the refusal stands", "reference: Idempotency Header (same key, same result)",
                  keyed_payment, [ex("POST", "/specialpayment", transport="timeout", sent=key),
                                  ex("POST", "/specialpayment", 400, {"message": "gigId does not exist"}, sent=key)],
                  err("bad_request", status=400, message="gigId does not exist")))
    c.append(case("update refused after a lost answer: outcome unknown", "engine docs: the refusal may be of the repeat",
                  {"operation": "updateCustomer", "partnerUserId": "uid_1", "input": {"city": "Reno"}},
                  [ex("PATCH", "/customer/uid_1", transport="timeout"),
                   ex("PATCH", "/customer/uid_1", 400, {"message": "customer is not PENDING"})],
                  err("transport", outcomeUnknown=True, sentIds={"partnerUserId": "uid_1"})))
    c.append(case("special payment outcome unknown names its key", "design: errors say what was sent", keyed_payment,
                  [ex("POST", "/specialpayment", transport="timeout", sent=key)] * 2,
                  err("transport", outcomeUnknown=True, idempotencyKey="payout-0001", sentIds={}), retries=1))

    # A 2xx whose body cannot be read: applied, and the error says what was sent.
    unreadable_gig = {"gigId": GIG["gigId"], "totalAmount": []}
    c.append(case("unreadable 2xx of a gig: applied", "design: a 2xx of a write was applied", create_gig,
                  [ex("POST", "/gig", 200, unreadable_gig)],
                  err("invalid_response", status=200, applied=True, sentIds=gig_ids)))
    c.append(case("unreadable 2xx of a customer: applied", "design: a 2xx of a write was applied", create_customer,
                  [ex("POST", "/customer", 200, text="{")],
                  err("invalid_response", status=200, applied=True, sentIds=customer_ids)))
    c.append(case("unreadable 2xx of a special payment: applied, with its key", "design: a 2xx of a write was applied",
                  keyed_payment, [ex("POST", "/specialpayment", 200, {"id": "sp_1", "amount": []}, sent=key)],
                  err("invalid_response", status=200, applied=True, idempotencyKey="payout-0001", sentIds={})))
    c.append(case("unreadable 2xx of an application: applied", "design: a 2xx of a write was applied",
                  {"operation": "submitApplication", "partnerUserId": "uid_1"},
                  [ex("POST", "/application", 200, text="<html>")],
                  err("invalid_response", status=200, applied=True, sentIds={"partnerUserId": "uid_1"})))
    c.append(case("unreadable 2xx of an update: applied", "design: a 2xx of a write was applied",
                  {"operation": "updateCustomer", "partnerUserId": "uid_1", "input": {"city": "Reno"}},
                  [ex("PATCH", "/customer/uid_1", 200, text="")],
                  err("invalid_response", status=200, applied=True, sentIds={"partnerUserId": "uid_1"})))
    c.append(case("unreadable 2xx of a read: nothing applied", "design: a read applies nothing", get_gig,
                  [ex("GET", gig_path, 200, {"totalAmount": []})],
                  err("invalid_response", status=200, applied=False)))

    # Redirects are answers: never followed, never retried, never looked up.
    elsewhere = "https://elsewhere.example/api/gig/gigId_94792357823953532"
    c.append(case("redirect to another origin is an error", "design: redirects are answers", get_gig,
                  [ex("GET", gig_path, 307, text="", headers={"Location": elsewhere})],
                  err("redirect", status=307, location=elsewhere)))
    c.append(case("redirect on the same origin is an error", "design: redirects are answers", get_gig,
                  [ex("GET", gig_path, 301, text="", headers={"Location": "/api/v2" + gig_path})],
                  err("redirect", status=301, location="/api/v2" + gig_path)))
    c.append(case("redirect of a create is not followed or looked up", "design: redirects are answers", create_gig,
                  [ex("POST", "/gig", 308, text="", headers={"Location": "https://elsewhere.example/api/gig"})],
                  err("redirect", status=308, location="https://elsewhere.example/api/gig")))
    c.append(case("redirect without a Location", "design: redirects are answers", {"operation": "listGigs"},
                  [ex("GET", "/gig", 302, text="")], err("redirect", status=302, location=None)))

    # Interrupted calls (cancelled, or the host's transport threw).
    c.append(case("gig interrupted in flight: outcome unknown", "design: interrupt reports what was sent", create_gig,
                  [ex("POST", "/gig", interrupt="cancelled")],
                  err("transport", outcomeUnknown=True, sentIds=gig_ids)))
    c.append(case("special payment interrupted in flight: its key is reported", "design: interrupt reports what was sent",
                  keyed_payment, [ex("POST", "/specialpayment", interrupt="the transport threw", sent=key)],
                  err("transport", outcomeUnknown=True, idempotencyKey="payout-0001")))
    c.append(case("read interrupted in flight: nothing applied", "design: a read applies nothing", get_gig,
                  [ex("GET", gig_path, interrupt="cancelled")], err("transport", outcomeUnknown=False)))

    # Other writes.
    c.append(case("application answer lost: not sent again", "engine docs: an application carries no key and has no lookup",
                  {"operation": "submitApplication", "partnerUserId": "uid_1"},
                  [ex("POST", "/application", transport="timeout")],
                  err("transport", outcomeUnknown=True, sentIds={"partnerUserId": "uid_1"})))
    c.append(case("application 503: not sent again", "engine docs: a 503 may come after the request was applied",
                  {"operation": "submitApplication", "partnerUserId": "uid_1"},
                  [ex("POST", "/application", 503, text="")],
                  err("transport", outcomeUnknown=True, sentIds={"partnerUserId": "uid_1"})))
    c.append(case("update retried after 503", "engine docs: an update sets values, so it is repeatable",
                  {"operation": "updateCustomer", "partnerUserId": "uid_1", "input": {"city": "Reno"}},
                  [ex("PATCH", "/customer/uid_1", 503, text=""),
                   ex("PATCH", "/customer/uid_1", 200, with_(CUSTOMER_RESPONSE, city="Reno"))],
                  {"value": without_nulls(with_(CUSTOMER_RESPONSE, city="Reno"))}))
    c.append(case("update answer lost: sent again", "engine docs: an update sets values, so it is repeatable",
                  {"operation": "updateCustomer", "partnerUserId": "uid_1", "input": {"city": "Reno"}},
                  [ex("PATCH", "/customer/uid_1", transport="timeout"),
                   ex("PATCH", "/customer/uid_1", 200, with_(CUSTOMER_RESPONSE, city="Reno"))],
                  {"value": without_nulls(with_(CUSTOMER_RESPONSE, city="Reno"))}))
    return c


# ---------------------------------------------------------------------------
# config.json

def config_cases():
    ok = {"ok": True}
    bad = {"error": {"code": "configuration"}}
    rows = [
        ("default sandbox configuration", "reference: Schema (sandbox)", {}, ok),
        ("production", "reference: Schema (production)", {"environment": "production"}, ok),
        ("environment in another case", "core: environment names read in any case", {"environment": "Production"}, ok),
        ("unknown environment", "core: sandbox or production", {"environment": "prod-eu"}, bad),
        ("https base url", "notes: any base URL can be configured", {"baseUrl": "https://app.sandbox.withlean.com/api"}, ok),
        ("loopback http base url", "notes: http only for the local sandbox", {"baseUrl": "http://127.0.0.1:8080"}, ok),
        ("loopback http with another 127 address", "core: 127.0.0.0/8 is loopback", {"baseUrl": "http://127.1.2.3:80"}, ok),
        ("localhost http base url", "core: localhost is loopback", {"baseUrl": "http://localhost:3000/api"}, ok),
        ("IPv6 loopback http base url", "core: [::1] is loopback", {"baseUrl": "http://[::1]:9000"}, ok),
        ("plain http to a remote host is refused", "core: the API key never travels in clear text",
         {"baseUrl": "http://example.com/api"}, bad),
        ("http to a name that starts like loopback", "core: loopback means the address, not a prefix",
         {"baseUrl": "http://127.0.0.1.example.com"}, bad),
        ("http to localhost as a subdomain", "core: loopback means the address, not a prefix",
         {"baseUrl": "http://localhost.example.com"}, bad),
        ("http to 0.0.0.0", "core: only loopback may use http", {"baseUrl": "http://0.0.0.0:8080"}, bad),
        ("base url with credentials", "core: no credentials in the URL", {"baseUrl": "https://user:pass@example.com"}, bad),
        ("base url with a query", "core: the base URL has no query", {"baseUrl": "https://example.com/api?x=1"}, bad),
        ("base url without a scheme", "core: https:// or loopback http://", {"baseUrl": "app.withlean.com/api"}, bad),
        ("base url with another scheme", "core: https:// or loopback http://", {"baseUrl": "ftp://example.com"}, bad),
        ("base url without a host", "core: the base URL names a host", {"baseUrl": "https://"}, bad),
        ("empty api key", "reference: Authentication (API key required)", {"apiKey": ""}, bad),
        ("api key with a colon", "reference: Authentication (key as the Basic user name)", {"apiKey": "key:secret"}, bad),
        ("api key with white space", "core: a key copied with white space is refused", {"apiKey": "test_key_123 "}, bad),
        ("api key with a newline", "core: a key copied with white space is refused", {"apiKey": "test\nkey"}, bad),
    ]
    return [{"name": n, "doc": d, "config": cfg, "expect": e} for n, d, cfg, e in rows]


FILES = {
    "requests.json": requests_cases,
    "validation.json": validation_cases,
    "responses.json": responses_cases,
    "webhooks.json": webhooks_cases,
    "engine.json": engine_cases,
    "config.json": config_cases,
}


if __name__ == "__main__":
    vector_files.main(HERE, FILES, "tests/vectors/generate.py")
