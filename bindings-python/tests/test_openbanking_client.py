"""The open-banking clients with scripted transports: OAuth (one fetch for
concurrent callers, renewal by the host's clock, one retry after a 401),
configuration errors, TLS arguments, and secrets kept out of every printed
form."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import pytest

import lean_sdk
from lean_sdk import openbanking

from _support import Canned, in_threads

SECRET = "client-s3cret-value"
TOKENS = ["tok-first-abc", "tok-second-def", "tok-third-ghi"]
TOKEN_BASE = "https://auth.example.test"


class Api:
    """A scripted Lean: the token endpoint issues TOKENS in turn; API calls
    answer ``answer(request)`` (default: an empty destination list)."""

    def __init__(self, lifetime: int = 3600, answer: Optional[Callable[[lean_sdk.HttpRequest], lean_sdk.HttpResponse]] = None, token_delay: float = 0.0) -> None:
        self.lifetime = lifetime
        self.answer = answer or (lambda request: lean_sdk.HttpResponse(200, {}, b"[]"))
        self.token_delay = token_delay
        self.requests: List[lean_sdk.HttpRequest] = []
        self.issued = 0
        self.lock = threading.Lock()

    def token_requests(self) -> List[lean_sdk.HttpRequest]:
        return [r for r in self.requests if r.url.endswith("/oauth2/token")]

    def __call__(self, request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        with self.lock:
            self.requests.append(request)
        if request.url.endswith("/oauth2/token"):
            if self.token_delay:
                time.sleep(self.token_delay)
            with self.lock:
                token = TOKENS[self.issued]
                self.issued += 1
            body = {"access_token": token, "token_type": "Bearer", "expires_in": self.lifetime, "scope": "api"}
            return lean_sdk.HttpResponse(200, {"content-type": "application/json"}, json.dumps(body).encode())
        return self.answer(request)


def oauth(api: Any, **kwargs: Any) -> openbanking.OpenBankingClient:
    return openbanking.OpenBankingClient(
        client_id="app-1", client_secret=SECRET, environment="uae-sandbox", token_base_url=TOKEN_BASE,
        transport=api, initial_backoff=0.001, max_backoff=0.002, **kwargs,
    )


def bearer(request: lean_sdk.HttpRequest) -> str:
    return request.headers["authorization"]


def test_oauth_fetches_once_and_reuses_the_token() -> None:
    api = Api()
    client = oauth(api)
    assert client.list_payment_destinations() == []
    assert client.list_payment_destinations() == []
    token_request, first, second = api.requests
    assert token_request.url == TOKEN_BASE + "/oauth2/token" and token_request.method == "POST"
    assert b"client_secret=" + SECRET.encode() in (token_request.body or b"")
    assert bearer(first) == bearer(second) == "Bearer " + TOKENS[0]
    assert "lean-app-token" not in first.headers


def test_oauth_renews_before_expiry_by_the_host_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1_700_000_000.0]
    monkeypatch.setattr(time, "time", lambda: now[0])
    api = Api(lifetime=3600)
    client = oauth(api, token_renewal_margin=300)
    client.list_payment_destinations()
    now[0] += 3600 - 301  # just before the renewal point
    client.list_payment_destinations()
    assert len(api.token_requests()) == 1
    now[0] += 1  # 300 s before expiry: renewed first
    client.list_payment_destinations()
    assert len(api.token_requests()) == 2
    assert bearer(api.requests[-1]) == "Bearer " + TOKENS[1]


def test_concurrent_callers_share_one_token_fetch() -> None:
    api = Api(token_delay=0.2)
    client = oauth(api)
    assert in_threads(client.list_payment_destinations, 8) == []
    assert len(api.token_requests()) == 1
    assert {bearer(r) for r in api.requests if "authorization" in r.headers} == {"Bearer " + TOKENS[0]}


def test_async_concurrent_callers_share_one_token_fetch() -> None:
    api = Api()

    async def transport(request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        if request.url.endswith("/oauth2/token"):
            await asyncio.sleep(0.05)  # every caller is waiting meanwhile
        return api(request)

    async def main() -> None:
        async with openbanking.AsyncOpenBankingClient(
            client_id="app-1", client_secret=SECRET, token_base_url=TOKEN_BASE, transport=transport
        ) as client:
            results = await asyncio.gather(*(client.list_payment_destinations() for _ in range(8)))
            assert results == [[]] * 8

    asyncio.run(main())
    assert len(api.token_requests()) == 1


def refuse_first(request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
    if bearer(request) == "Bearer " + TOKENS[0]:
        return lean_sdk.HttpResponse(401, {}, b'{"status":"UNAUTHORIZED","message":"token revoked"}')
    return lean_sdk.HttpResponse(200, {}, b'[{"id":"dest-1"}]')


def test_a_401_fetches_a_fresh_token_and_retries_once() -> None:
    api = Api(answer=refuse_first)
    client = oauth(api)
    [destination] = client.list_payment_destinations()
    assert destination.id == "dest-1"
    assert [r.url.rsplit("/", 1)[-1] for r in api.requests] == ["token", "destinations", "token", "destinations"]
    assert bearer(api.requests[-1]) == "Bearer " + TOKENS[1]


def test_async_401_fetches_a_fresh_token_and_retries_once() -> None:
    api = Api(answer=refuse_first)

    async def transport(request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        return api(request)

    async def main() -> Any:
        async with openbanking.AsyncOpenBankingClient(client_id="app-1", client_secret=SECRET, token_base_url=TOKEN_BASE, transport=transport) as client:
            return await client.list_payment_destinations()

    assert [d.id for d in asyncio.run(main())] == ["dest-1"]
    assert len(api.token_requests()) == 2


def test_a_second_401_is_raised_not_retried_again() -> None:
    api = Api(answer=lambda request: lean_sdk.HttpResponse(401, {}, b'{"status":"UNAUTHORIZED","message":"no"}'))
    client = oauth(api)
    with pytest.raises(lean_sdk.AuthenticationError) as raised:
        client.list_payment_destinations()
    assert raised.value.status == 401 and raised.value.api_code == "UNAUTHORIZED"
    assert len(api.token_requests()) == 2 and len(api.requests) == 4


def test_an_app_token_401_is_not_retried() -> None:
    transport = Canned(lean_sdk.HttpResponse(401, {}, b'{"status":"UNAUTHORIZED","message":"bad token"}'))
    with pytest.raises(lean_sdk.AuthenticationError):
        openbanking.OpenBankingClient("app-token-x", transport=transport).list_payment_destinations()
    assert len(transport.requests) == 1


def test_a_refused_client_is_an_authentication_error_without_the_secret() -> None:
    def transport(request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        return lean_sdk.HttpResponse(401, {}, b'{"error":"invalid_client","error_description":"bad secret"}')

    with pytest.raises(lean_sdk.AuthenticationError) as raised:
        oauth(transport).get_customer("c-1")
    assert SECRET not in str(raised.value) + repr(raised.value) + raised.value.body


def test_a_token_answer_that_is_no_token_never_shows_it() -> None:
    def transport(request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        return lean_sdk.HttpResponse(200, {}, b'{"access_token":"leaked-token-123","token_type":"mac","expires_in":60}')

    with pytest.raises(lean_sdk.InvalidResponseError) as raised:
        oauth(transport).get_customer("c-1")
    error = raised.value
    assert "leaked-token-123" not in str(error) + repr(error) + error.body
    assert "leaked-token-123" not in repr(lean_sdk.HttpResponse(200, {}, b'{"access_token":"leaked-token-123"}'))


def test_a_failed_token_fetch_is_a_transport_error() -> None:
    def transport(request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        raise ConnectionRefusedError("refused")

    with pytest.raises(lean_sdk.TransportError, match="OAuth token request"):
        oauth(transport).get_customer("c-1")


def test_a_refused_token_request_is_raised_without_a_second_fetch() -> None:
    transport = Canned(lean_sdk.HttpResponse(401, {}, b'{"error":"invalid_client"}'))
    with pytest.raises(lean_sdk.AuthenticationError):
        oauth(transport).get_customer("c-1")
    assert len(transport.requests) == 1 and transport.requests[0].url.endswith("/oauth2/token")


def test_secrets_never_printed() -> None:
    api = Api()
    client = oauth(api)
    client.list_payment_destinations()
    printed = " ".join(repr(x) for x in (client, client._tokens, client.environment, *api.requests))
    for secret in (SECRET, *TOKENS[:1]):
        assert secret not in printed, printed
    app = openbanking.OpenBankingClient("app-token-secret", transport=api)
    assert "app-token-secret" not in repr(app) + repr(app._fixed)
    token = openbanking.parse_token(lean_sdk.HttpResponse(200, {}, b'{"access_token":"abc.def","expires_in":60}'), 0)
    assert "abc.def" not in repr(token) and token.access_token == "abc.def"


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({}, "app_token="),
        ({"app_token": "a", "client_id": "b", "client_secret": "c"}, "got app_token and client_id"),
        ({"client_id": "b"}, "client_secret="),
        ({"app_token": "a", "customer_scope": "c-1"}, "customer_scope="),
        ({"app_token": "a b"}, "white space"),
        ({"client_id": "b", "client_secret": "c", "environment": "uae-sandbox"}, "token host"),
        ({"app_token": "a", "environment": "uae-staging"}, "unknown open-banking environment"),
        ({"app_token": "a", "environment": "uae-production"}, "requires mutual TLS: pass"),
        ({"app_token": "a", "environment": "uae-production", "base_url": "https://proxy.example.test"}, "requires mutual TLS"),
        ({"app_token": "a", "environment": "ksa-production", "cert": "/no/such/client.pem"}, "no such file"),
        ({"app_token": "a", "base_url": "http://api.leantech.me"}, "base URL"),
        ({"app_token": "a", "cert": b"not a pem"}, "PEM"),
        ({"app_token": "a", "cert": ("x.pem",), "transport": lambda r: r}, "custom transport"),
        ({"app_token": "a", "max_retries": -1}, "max_retries"),
    ],
)
def test_configuration_errors_say_what_to_pass(kwargs: Dict[str, Any], words: str) -> None:
    with pytest.raises(lean_sdk.ConfigurationError) as raised:
        openbanking.OpenBankingClient(**kwargs)
    assert words in str(raised.value), str(raised.value)


def test_a_blank_customer_scope_names_the_field() -> None:
    with pytest.raises(lean_sdk.ValidationError) as raised:
        openbanking.OpenBankingClient(client_id="a", client_secret="b", token_base_url=TOKEN_BASE, customer_scope=" ")
    assert [e.field for e in raised.value.errors] == ["customer_id"]


def test_a_customer_scope_is_asked_for() -> None:
    api = Api()
    oauth(api, customer_scope="c-42").list_payment_destinations()
    assert b"scope=customer.c-42" in (api.requests[0].body or b"")


def test_a_customer_token_is_minted_apart_from_the_clients_own() -> None:
    api = Api()
    client = oauth(api)
    client.list_payment_destinations()
    token = client.customer_token("c-42")
    assert token.access_token == TOKENS[1] and token.expires_at > time.time()
    assert b"scope=customer.c-42" in (api.requests[-1].body or b"") and TOKENS[1] not in repr(token)
    client.list_payment_destinations()  # still the client's own token
    assert bearer(api.requests[-1]) == "Bearer " + TOKENS[0]
    with pytest.raises(lean_sdk.ValidationError):
        client.customer_token(" ")
    with pytest.raises(lean_sdk.ConfigurationError, match="client_id="):
        openbanking.OpenBankingClient("app-token", transport=api).customer_token("c-42")


def test_custom_environments_and_token_hosts() -> None:
    env = openbanking.Environment.custom("http://127.0.0.1:9/", token_base_url="http://127.0.0.1:9")
    client = openbanking.OpenBankingClient(client_id="a", client_secret="b", environment=env)
    assert client.environment.api_base_url == "http://127.0.0.1:9" and "custom" in repr(client)
    assert openbanking.OpenBankingClient("t", base_url="http://127.0.0.1:9").environment.name == "custom"
    with pytest.raises(lean_sdk.ConfigurationError):
        openbanking.OpenBankingClient("t", environment=42)  # type: ignore[arg-type]


def test_an_encrypted_key_without_a_password_fails_instead_of_prompting(tmp_path: Path) -> None:
    import subprocess

    key, cert = tmp_path / "k.pem", tmp_path / "c.pem"
    made = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-keyout", str(key), "-out", str(cert), "-days", "1",
         "-subj", "/CN=test", "-passout", "pass:pw"], capture_output=True,
    )
    if made.returncode != 0:
        pytest.skip("no openssl command to make an encrypted key")
    with pytest.raises(lean_sdk.ConfigurationError, match="cert_password"):
        openbanking.OpenBankingClient("t", cert=(str(cert), str(key)))
    assert openbanking.OpenBankingClient("t", cert=(cert.read_bytes(), key.read_bytes()), cert_password="pw")


def test_results_are_typed_and_decimal() -> None:
    answers = {
        "/data/v1/balance": {"status": "OK", "payload": {"balance": 1200.10, "currency_code": "AED"}},
        "/payments/v1/intents/p-1": {"payment_intent_id": "p-1", "amount": 100.5, "currency": "AED",
                                     "payment_destination": {"id": "d-1", "name": "Acme"}, "payments": [{"id": "x"}]},
        "/customers/v1/c-1/entities/e-1": {"id": "e-1", "permissions": {"balance": True}},
    }

    def transport(request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        path = request.url.split("leantech.me", 1)[1]
        return lean_sdk.HttpResponse(200, {}, json.dumps(answers[path]).encode())

    client = openbanking.OpenBankingClient("t", transport=transport)
    balance = client.get_balance("e-1", "a-1")
    # Bank data is untyped JSON: its amounts come as their exact text.
    assert balance.payload["balance"] == "1200.1" and Decimal(balance.payload["balance"]) == Decimal("1200.10")
    assert not balance.is_pending
    intent = client.get_payment_intent("p-1")
    assert intent.amount == Decimal("100.50") and str(intent.amount) == "100.50"
    assert intent.payment_destination is not None and intent.payment_destination.name == "Acme"
    assert intent.payments == [{"id": "x"}]
    entity = client.get_entity("c-1", "e-1")
    assert entity.permissions is not None and entity.permissions.balance is True and entity.permissions.identity is None


def test_a_failed_data_answer_raises_with_its_api_code() -> None:
    body = b'{"status":"FAILED","granular_status_code":"ACCOUNT_NOT_FOUND","message":"Account not found"}'
    client = openbanking.OpenBankingClient("t", transport=lambda request: lean_sdk.HttpResponse(200, {}, body))
    with pytest.raises(lean_sdk.ApiError) as raised:
        client.get_balance("e-1", "a-1")
    assert (raised.value.api_code, raised.value.status, raised.value.code) == ("FAILED", 200, "api_error")
    assert "ACCOUNT_NOT_FOUND" in raised.value.message


def test_validate_without_sending() -> None:
    body = openbanking.validate("create_payment_intent", customer_id="c-1", amount=Decimal("10.5"), currency="aed")
    assert json.loads(body, parse_float=Decimal) == {"customer_id": "c-1", "amount": Decimal("10.50"), "currency": "AED"}
    with pytest.raises(lean_sdk.ValidationError) as raised:
        openbanking.validate("createPaymentIntent", {"amount": 10.5})
    assert {e.field for e in raised.value.errors} == {"customer_id", "amount", "currency"}
    assert any("float" in e.message for e in raised.value.errors if e.field == "amount")


def test_no_input_escapes_as_anything_but_a_lean_error() -> None:
    """Seeded random inputs for every operation, token answers and webhook
    bodies: each is accepted or refused with a LeanError, never a crash."""
    import random

    rng = random.Random(7)
    atoms: List[Any] = [None, True, 0, -1, 2**70, 1.5, float("nan"), "", " ", "x" * 300, "\u0000", "é", Decimal("1.005"), [], {}]

    def value(depth: int = 0) -> Any:
        roll = rng.random()
        if depth < 3 and roll < 0.15:
            return [value(depth + 1) for _ in range(rng.randrange(3))]
        if depth < 3 and roll < 0.3:
            return {rng.choice(["app_user_id", "amount", "iban", "type", "value", "x"]): value(depth + 1) for _ in range(rng.randrange(3))}
        return rng.choice(atoms)

    operations = ["createCustomer", "createPaymentIntent", "createPaymentDestination", "getBalance", "getIdentity", "listCustomers", "nope"]
    for _ in range(400):
        try:
            openbanking.validate(rng.choice(operations), {k: value() for k in rng.sample(
                ["app_user_id", "government_identifiers", "customer_id", "amount", "currency", "iban", "entity_id", "account_id", "async", "name"], 3)})
        except lean_sdk.LeanError:
            pass
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(40)))
        envelope = json.dumps({"type": value(), "payload": value(), "event_id": value()}, default=str).encode()
        for attempt in (
            lambda: openbanking.parse_token(lean_sdk.HttpResponse(rng.choice([200, 401, 500]), {}, body), rng.random() * 2e9),
            lambda: openbanking.webhooks.construct_event(body, "sha512=" + body.hex(), "s"),
            lambda: openbanking.webhooks.construct_event(envelope, openbanking.webhooks.sign(envelope, "s"), "s"),
        ):
            try:
                attempt()
            except lean_sdk.LeanError:
                pass
    signed = json.dumps({"type": "results.ready", "payload": {"id": 5}}).encode()
    with pytest.raises(lean_sdk.WebhookPayloadError):
        openbanking.webhooks.construct_event(signed, openbanking.webhooks.sign(signed, "s"), "s")


def test_huge_or_float_amounts_are_refused_naming_the_field() -> None:
    for amount, code in ((Decimal("1e900000000"), "out_of_range"), (10**100, "out_of_range"), (15.0, "invalid_type")):
        with pytest.raises(lean_sdk.ValidationError) as raised:
            openbanking.validate("create_payment_intent", customer_id="c-1", amount=amount, currency="AED")
        assert [(e.field, e.code) for e in raised.value.errors] == [("amount", code)], amount
    assert "Decimal" in raised.value.errors[0].message and "str" in raised.value.errors[0].message


def test_the_async_client_offers_every_method_with_the_same_parameters() -> None:
    import inspect

    for name, method in vars(openbanking.OpenBankingClient).items():
        if name.startswith("_") or not callable(method) or name == "close":  # the async client's is aclose
            continue
        twin = getattr(openbanking.AsyncOpenBankingClient, name)
        assert inspect.iscoroutinefunction(twin), name
        assert inspect.signature(twin) == inspect.signature(method), name


def test_data_pages_are_typed_iterable_and_exact() -> None:
    body = b'{"status":"OK","data":[{"account_id":"a-1","amount":12.10},{"account_id":"a-2","amount":3}],"page":{"number":0,"total_pages":2}}'
    transport = Canned(lean_sdk.HttpResponse(200, {}, body))
    sent = transport.requests
    client = openbanking.OpenBankingClient("t", transport=transport)
    page = client.list_account_balances("e-1", "a-1", page_number=1, page_size=2)
    assert isinstance(page, openbanking.DataPage) and page.status == "OK" and len(page) == 2
    assert [r["amount"] for r in page] == ["12.10", 3] and Decimal(page.data[0]["amount"]) == Decimal("12.10")
    assert page.page == {"number": 0, "total_pages": 2} and page.to_dict()["page"] == page.page
    assert sent[0].url.endswith("/data/v2/accounts/a-1/balances?entity_id=e-1&page=1&size=2")
    assert client.list_accounts("e-1").attempts[0].status == 200
    assert sent[-1].url.endswith("/data/v2/accounts?entity_id=e-1")


def test_a_failed_data_page_carries_its_granular_status_code() -> None:
    body = b'{"status":"FAILED","granular_status_code":"CONSENT_EXPIRED","message":"Reconnect"}'
    client = openbanking.OpenBankingClient("t", transport=lambda request: lean_sdk.HttpResponse(200, {}, body))
    with pytest.raises(lean_sdk.ApiError) as raised:
        client.list_account_transactions("e-1", "a-1")
    assert (raised.value.api_code, raised.value.granular_status_code) == ("FAILED", "CONSENT_EXPIRED")
    other = openbanking.OpenBankingClient("t", transport=lambda request: lean_sdk.HttpResponse(404, {}, b'{"status":"NOT_FOUND"}'))
    with pytest.raises(lean_sdk.NotFoundError) as missing:
        other.list_accounts("e-1")
    assert missing.value.granular_status_code is None


def test_dates_may_be_date_objects_and_are_checked_by_the_core() -> None:
    import datetime

    transport = Canned(lean_sdk.HttpResponse(200, {}, b'{"content": []}'))
    recorder = transport.requests
    client = openbanking.OpenBankingClient("t", transport=transport)
    assert client.list_entities_by_date(datetime.date(2026, 1, 1), "2026-01-31", page_size=5) == []
    assert recorder[0].url.endswith("/customers/v1/entities?page_size=5&start_date=2026-01-01&end_date=2026-01-31")
    with pytest.raises(lean_sdk.ValidationError) as raised:
        client.get_transactions("e-1", "a-1", start_date=datetime.date(2026, 3, 1), end_date=datetime.date(2026, 2, 1))
    assert [(e.field, e.code) for e in raised.value.errors] == [("end_date", "out_of_range")]
    with pytest.raises(lean_sdk.ValidationError):
        client.list_entities_by_date(datetime.datetime(2026, 1, 1, 12, 0), "2026-01-31")
    assert len(recorder) == 1


def test_refreshes_and_intents_are_typed() -> None:
    answers = {
        "/data/v2/refreshes": {"refresh_id": "r-1", "entity_id": "e-1", "status": "IN_PROGRESS"},
        "/data/v2/refreshes?entity_id=e-1&page=0": [{"refresh_id": "r-1", "entity_id": "e-1", "status": "COMPLETED"}],
        "/payments/v1/intents": [{"payment_intent_id": "p-1", "amount": 100.5, "currency": "AED"}],
    }
    sent: List[lean_sdk.HttpRequest] = []

    def transport(request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        sent.append(request)
        return lean_sdk.HttpResponse(201 if request.method == "POST" else 200, {}, json.dumps(answers[request.url.split("leantech.me", 1)[1]]).encode())

    client = openbanking.OpenBankingClient("t", transport=transport, max_retries=0)
    refresh = client.create_data_refresh("e-1")
    assert isinstance(refresh, openbanking.DataRefresh) and (refresh.refresh_id, refresh.status) == ("r-1", "IN_PROGRESS")
    assert json.loads(sent[0].body or b"") == {"entity_id": "e-1"}
    [listed] = client.list_data_refreshes("e-1", page_number=0)
    assert isinstance(listed, openbanking.DataRefresh) and listed.status == "COMPLETED"
    [intent] = client.list_payment_intents()
    assert isinstance(intent, openbanking.PaymentIntent) and intent.amount == Decimal("100.50")


def test_a_lost_refresh_is_reported_not_sent_again() -> None:
    transport = Canned(ConnectionResetError("reset by peer"))
    sent = transport.requests
    client = openbanking.OpenBankingClient("t", transport=transport, initial_backoff=0.001, max_backoff=0.002)
    with pytest.raises(lean_sdk.TransportError) as raised:
        client.create_data_refresh("e-1")
    assert raised.value.outcome_unknown is True and len(sent) == 1
    with pytest.raises(lean_sdk.TransportError):
        client.get_data_refresh("r-1")
    assert len(sent) == 4  # a read is retried: 1 + max_retries
