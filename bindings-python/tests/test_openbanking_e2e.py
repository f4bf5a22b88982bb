"""The open-banking flow against the local sandbox over the real
transports: urllib and httpx over plain HTTP (customer, bank connected,
data synchronously and through results.ready, payments, OAuth), and the
sandbox's mutual-TLS listener with the client certificate, without one,
and with an untrusted one."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

import lean_sdk
from lean_sdk import openbanking
from lean_sdk.openbanking import webhooks

from conftest import OB_APP_TOKEN as APP_TOKEN
from conftest import OB_TOKEN_TTL as TOKEN_TTL
from conftest import OB_WEBHOOK_SECRET as WEBHOOK_SECRET
from conftest import ObSandbox, Receiver

CLIENT_ID = "sandbox-client-id"
CLIENT_SECRET = "sandbox-client-secret"


@pytest.fixture(scope="module")
def ob(ob_sandbox: ObSandbox) -> ObSandbox:
    return ob_sandbox


@pytest.fixture(scope="module")
def hooks(ob: ObSandbox) -> Iterator[Receiver]:
    receiving = Receiver()
    ob.admin("/_sandbox/webhooks", {"url": receiving.url, "product": "openbanking"})
    yield receiving
    receiving.stop()


def event(receiver: Receiver, kind: str, key: str, value: str) -> openbanking.WebhookEvent:
    """Waits for the webhook ``kind`` whose payload's ``key`` is ``value``
    and verifies it from its raw body, with a rotated-out secret beside the
    current one."""

    def matches(headers: Dict[str, str], body: bytes) -> bool:
        envelope = json.loads(body)
        return bool(envelope.get("type") == kind and (envelope.get("payload") or {}).get(key) == value)

    headers, body = receiver.wait_for(matches)
    signature = headers.get(webhooks.SIGNATURE_HEADER)
    assert signature is not None and signature.startswith("sha512=")
    verifier = webhooks.WebhookVerifier(["an-old-secret", WEBHOOK_SECRET])
    with pytest.raises(lean_sdk.WebhookSignatureError):
        verifier.verify(body.replace(value.encode(), b"x" + value.encode()[1:]), signature)
    with pytest.raises(lean_sdk.WebhookSignatureError):
        webhooks.verify(body, signature, "an-old-secret")
    return verifier.construct_event(body, signature)


def has_float(value: Any) -> bool:
    if isinstance(value, dict):
        return any(has_float(v) for v in value.values())
    if isinstance(value, list):
        return any(has_float(v) for v in value)
    return isinstance(value, float)


def test_banks_and_a_payment_by_id(ob: ObSandbox) -> None:
    client = openbanking.OpenBankingClient(APP_TOKEN, base_url=ob.url)
    banks = client.list_banks()
    assert banks[0].identifier == "LEANMB1" and all(isinstance(b, openbanking.Bank) and b.name for b in banks)
    personal = client.list_banks("PERSONAL")
    assert 0 < len(personal) < len(banks) and {b.account_type for b in personal} == {"PERSONAL"}

    customer = client.create_customer(app_user_id=f"payer-{uuid.uuid4()}")
    intent = client.create_payment_intent(customer_id=customer.customer_id, amount="12.30", currency="AED")
    paid = ob.admin(f"/_sandbox/openbanking/intents/{intent.payment_intent_id}/pay", {})
    payment = client.get_payment(paid["id"])
    assert isinstance(payment, openbanking.Payment)
    assert payment.amount == Decimal("12.30") and type(payment.amount) is Decimal
    assert (payment.intent_id, payment.customer_id) == (intent.payment_intent_id, customer.customer_id)
    assert payment.status == "PENDING_WITH_BANK" and payment.bank_transaction_reference
    with pytest.raises(lean_sdk.NotFoundError):
        client.get_payment(str(uuid.uuid4()))

    async def main() -> None:
        async with openbanking.AsyncOpenBankingClient(APP_TOKEN, base_url=ob.url) as aclient:
            assert [b.identifier for b in await aclient.list_banks()] == [b.identifier for b in banks]
            assert (await aclient.get_payment(payment.id)).id == payment.id

    asyncio.run(main())


def test_flow_over_urllib(ob: ObSandbox, hooks: Receiver) -> None:
    client = openbanking.OpenBankingClient(APP_TOKEN, base_url=ob.url)
    app_user_id = f"py-{uuid.uuid4()}"

    customer = client.create_customer(app_user_id=app_user_id)
    assert customer.app_user_id == app_user_id and customer.customer_id
    again = client.create_customer({"app_user_id": app_user_id})  # 409 made idempotent
    assert again == customer
    assert client.get_customer_by_app_user_id(app_user_id) == customer
    assert client.get_customer(customer.customer_id).app_user_id == app_user_id

    connected = ob.admin(f"/_sandbox/openbanking/customers/{customer.customer_id}/entities", {})
    [entity] = client.list_entities(customer.customer_id)
    assert entity.id == connected["id"] and client.get_entity(customer.customer_id, entity.id) == entity
    created = event(hooks, "entity.created", "id", entity.id)
    assert isinstance(created.payload, openbanking.Entity) and created.payload.id == entity.id and created.event_id

    identity = client.get_identity(entity.id)
    assert identity.status == "OK" and identity.payload
    accounts = client.get_accounts(entity.id)
    account = accounts.payload["accounts"][0]
    assert account["account_id"] == connected["accounts"][0]["account_id"]

    pending = client.get_balance(entity.id, account["account_id"], async_=True)
    assert pending.is_pending and pending.results_id and pending.payload is None
    ready = event(hooks, "results.ready", "id", pending.results_id)
    assert isinstance(ready.payload, openbanking.ResultsReady) and ready.payload.id == pending.results_id
    balance = client.get_data_results(ready.payload.id)
    assert balance.status == "OK" and not balance.is_pending
    assert Decimal(balance.payload["balance"]) == Decimal(connected["accounts"][0]["balance"])
    assert type(balance.payload["balance"]) is str  # exact text: bank data never passes through a float

    with pytest.raises(lean_sdk.ApiError) as failed:  # the sandbox's failure trigger: FAILED with HTTP 200
        client.get_balance(entity.id, "sandbox-fail")
    assert (failed.value.api_code, failed.value.status) == ("FAILED", 200) and "SANDBOX_FAIL_TRIGGER" in failed.value.message

    transactions = client.get_transactions(entity.id, account["account_id"])
    assert transactions.status == "OK" and not has_float(transactions.payload)

    destination = client.create_payment_destination(
        display_name="Acme Rent", name="Acme LLC", bank_identifier="ENBD_UAE", iban="AE07 0331 2345 6789 0123 456",
    )
    assert destination.id and destination.id in [d.id for d in client.list_payment_destinations()]
    intent = client.create_payment_intent(
        customer_id=customer.customer_id, amount=Decimal("100.50"), currency="aed", payment_destination_id=destination.id,
        description="Rent",
    )
    assert intent.amount == Decimal("100.50") and intent.currency == "AED"
    fetched = client.get_payment_intent(intent.payment_intent_id)
    assert fetched.amount == Decimal("100.50") and fetched.customer_id == customer.customer_id

    with pytest.raises(lean_sdk.NotFoundError) as missing:
        client.get_customer(str(uuid.uuid4()))
    assert missing.value.status == 404 and missing.value.api_code
    with pytest.raises(lean_sdk.ValidationError):
        client.create_payment_intent(customer_id=customer.customer_id, amount="1.005", currency="AED")


def test_oauth_tokens_renewal_and_a_refused_token(ob: ObSandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    sent: List[lean_sdk.HttpRequest] = []
    urllib_transport = lean_sdk.UrllibTransport()

    def transport(request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        sent.append(request)
        return urllib_transport(request)

    def tokens() -> int:
        return sum(1 for r in sent if r.url.endswith("/oauth2/token"))

    now = [time.time()]
    monkeypatch.setattr(time, "time", lambda: now[0])
    client = openbanking.OpenBankingClient(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, base_url=ob.url, token_base_url=ob.url, transport=transport,
        token_renewal_margin=0,
    )
    client.list_customers(page_size=1)
    client.list_payment_destinations()
    assert tokens() == 1
    first = sent[1].headers["authorization"]

    now[0] += TOKEN_TTL  # by the host's clock the token is due: renewed before the call
    client.list_payment_destinations()
    assert tokens() == 2 and sent[-1].headers["authorization"] != first

    # The host's clock says the token is fresh, the server's that it
    # expired: the 401 drops it, and the call succeeds with a new one.
    time.sleep(TOKEN_TTL + 0.5)
    client.list_payment_destinations()
    assert tokens() == 3
    assert [r.url.rsplit("/", 1)[-1] for r in sent[-3:]] == ["destinations", "token", "destinations"]

    # A token for one customer's device reads that customer only.
    customer = client.create_customer(app_user_id=f"py-scoped-{uuid.uuid4()}")
    token = client.customer_token(customer.customer_id)
    device = openbanking.OpenBankingClient(access_token=token.access_token, base_url=ob.url)
    assert device.get_customer(customer.customer_id) == customer
    with pytest.raises(lean_sdk.ApiError) as refused:
        device.list_customers()
    assert refused.value.status == 403

    with pytest.raises(lean_sdk.AuthenticationError):
        openbanking.OpenBankingClient(client_id=CLIENT_ID, client_secret="wrong", base_url=ob.url, token_base_url=ob.url).list_customers()


def test_async_flow_over_httpx(ob: ObSandbox) -> None:
    async def main() -> None:
        async with openbanking.AsyncOpenBankingClient(
            client_id=CLIENT_ID, client_secret=CLIENT_SECRET, base_url=ob.url, token_base_url=ob.url
        ) as client:
            assert isinstance(client._transport, lean_sdk.HttpxTransport)
            customer = await client.create_customer(app_user_id=f"py-async-{uuid.uuid4()}")
            ob.admin(f"/_sandbox/openbanking/customers/{customer.customer_id}/entities", {})
            [entity] = await client.list_entities(customer.customer_id)
            accounts, identity = await asyncio.gather(client.get_accounts(entity.id), client.get_identity(entity.id))
            assert accounts.status == identity.status == "OK"
            account_id = accounts.payload["accounts"][1]["account_id"]
            balance = await client.get_balance(entity.id, account_id)
            assert type(balance.payload["balance"]) is str

    asyncio.run(main())


def pem(ob: ObSandbox, name: str) -> Path:
    return ob.tls / name


def test_mtls_handshake_with_the_client_certificate(ob: ObSandbox) -> None:
    by_path = openbanking.OpenBankingClient(
        APP_TOKEN, base_url=ob.mtls_url, cert=(pem(ob, "client.pem"), str(pem(ob, "client.key"))), ca=str(pem(ob, "ca.pem"))
    )
    customer = by_path.create_customer(app_user_id=f"py-mtls-{uuid.uuid4()}")
    by_bytes = openbanking.OpenBankingClient(
        APP_TOKEN, base_url=ob.mtls_url, cert=(pem(ob, "client.pem").read_bytes(), pem(ob, "client.key").read_bytes()),
        ca=pem(ob, "ca.pem").read_bytes(),
    )
    assert by_bytes.get_customer(customer.customer_id) == customer
    both = pem(ob, "client.pem").read_bytes() + pem(ob, "client.key").read_bytes()
    assert openbanking.OpenBankingClient(APP_TOKEN, base_url=ob.mtls_url, cert=both, ca=pem(ob, "ca.pem")).list_payment_destinations() is not None


@pytest.mark.parametrize(
    "cert, ca, words",
    [
        (None, "ca.pem", "cert="),
        (("untrusted-client.pem", "untrusted-client.key"), "ca.pem", "cert="),
        (("client.pem", "client.key"), None, "ca="),
    ],
    ids=["no client certificate", "untrusted client certificate", "server not trusted"],
)
def test_mtls_refusals_are_clear_transport_errors(ob: ObSandbox, cert: Any, ca: Any, words: str) -> None:
    kwargs: Dict[str, Any] = {"ca": None if ca is None else pem(ob, ca)}
    if cert is not None:
        kwargs["cert"] = (pem(ob, cert[0]), pem(ob, cert[1]))
    client = openbanking.OpenBankingClient(APP_TOKEN, base_url=ob.mtls_url, max_retries=0, **kwargs)
    with pytest.raises(lean_sdk.TransportError) as raised:
        client.list_payment_destinations()
    assert raised.value.code == "transport" and "TLS" in str(raised.value) and words in str(raised.value), str(raised.value)
    assert "PRIVATE KEY" not in str(raised.value)


def test_mtls_over_httpx(ob: ObSandbox) -> None:
    async def main() -> None:
        async with openbanking.AsyncOpenBankingClient(
            APP_TOKEN, base_url=ob.mtls_url, cert=(pem(ob, "client.pem"), pem(ob, "client.key")), ca=pem(ob, "ca.pem")
        ) as client:
            assert isinstance(await client.list_payment_destinations(), list)
        async with openbanking.AsyncOpenBankingClient(APP_TOKEN, base_url=ob.mtls_url, ca=pem(ob, "ca.pem"), max_retries=0) as refused:
            with pytest.raises(lean_sdk.TransportError) as raised:
                await refused.list_payment_destinations()
            assert "TLS" in str(raised.value), str(raised.value)

    asyncio.run(main())


def test_stored_data_page_by_page_refreshes_and_listings(ob: ObSandbox, hooks: Receiver) -> None:
    import datetime

    client = openbanking.OpenBankingClient(APP_TOKEN, base_url=ob.url)
    customer = client.create_customer(app_user_id=f"py-v2-{uuid.uuid4()}")
    connected = ob.admin(f"/_sandbox/openbanking/customers/{customer.customer_id}/entities", {})
    entity_id, account = connected["id"], connected["accounts"][0]
    account_ids = {a["account_id"] for a in connected["accounts"]}

    # The data v2 reads: what Lean holds, page by page.
    first = client.list_accounts(entity_id, page_size=1)
    assert isinstance(first, openbanking.DataPage) and first.status == "OK" and len(first) == 1
    assert first.page is not None and first.page["total_elements"] == len(account_ids) >= 2
    second = client.list_accounts(entity_id, page_number=1, page_size=1)
    assert second.data[0]["account_id"] != first.data[0]["account_id"]
    assert {a["account_id"] for a in client.list_accounts(entity_id)} == account_ids
    assert len(client.list_identities(entity_id)) == 1
    balances = client.list_account_balances(entity_id, account["account_id"])
    assert type(balances.data[0]["balance"]) is str and Decimal(balances.data[0]["balance"]) == Decimal(account["balance"])
    for read in ("transactions", "identities", "beneficiaries", "direct_debits", "standing_orders", "scheduled_payments"):
        page = getattr(client, f"list_account_{read}")(entity_id, account["account_id"], page_size=100)
        assert page.status == "OK" and len(page) > 0 and not has_float(page.data), read
        assert all(r.get("account_id") in (None, account["account_id"]) for r in page), read
    with pytest.raises(lean_sdk.ApiError) as failed:  # the failure trigger: FAILED with HTTP 200
        client.list_account_transactions(entity_id, "sandbox-fail")
    assert (failed.value.api_code, failed.value.status) == ("FAILED", 200)
    assert failed.value.granular_status_code == "SANDBOX_FAIL_TRIGGER"
    with pytest.raises(lean_sdk.NotFoundError) as missing:
        client.list_account_balances(entity_id, str(uuid.uuid4()))
    assert missing.value.api_code == "ACCOUNT_NOT_FOUND" and missing.value.granular_status_code is None

    # A refresh: started at once, completed later, announced by webhook.
    refresh = client.create_data_refresh(entity_id)
    assert isinstance(refresh, openbanking.DataRefresh) and refresh.status == "IN_PROGRESS"
    assert (refresh.entity_id, refresh.customer_id) == (entity_id, customer.customer_id)
    updated = event(hooks, "entity.data.refresh.updated", "refresh_id", refresh.refresh_id)
    assert isinstance(updated.payload, openbanking.DataRefresh) and updated.payload.status == "COMPLETED"
    done = client.get_data_refresh(refresh.refresh_id)
    assert done == updated.payload and done.data_status is not None
    assert {a["account_id"] for a in done.data_status["account_data"]} == account_ids
    listed = client.list_data_refreshes(entity_id, page_size=10)
    assert [r.refresh_id for r in listed] == [refresh.refresh_id] and isinstance(listed[0], openbanking.DataRefresh)
    with pytest.raises(lean_sdk.NotFoundError):
        client.get_data_refresh(str(uuid.uuid4()))

    # Transactions of a date range, with Lean's insights.
    everything = client.get_transactions(entity_id, account["account_id"], start_date="2000-01-01", end_date=datetime.date(2099, 12, 31), insights=True)
    transactions = everything.payload["transactions"]
    assert transactions and everything.payload["insights"]["transaction_count"] == len(transactions)
    assert type(everything.payload["insights"]["total_credits"]) is str
    none = client.get_transactions(entity_id, account["account_id"], start_date="2000-01-01", end_date="2000-01-31")
    assert none.payload["transactions"] == [] and "insights" not in none.payload

    # The entities connected in a date range (UTC days).
    today = datetime.datetime.now(datetime.timezone.utc).date()
    day = datetime.timedelta(days=1)
    recent = client.list_entities_by_date(today - day, today + day, page_size=1000)
    assert entity_id in [e.id for e in recent] and all(isinstance(e, openbanking.Entity) for e in recent)
    assert client.list_entities_by_date("2000-01-01", "2000-01-31") == []


def test_every_payment_intent_and_a_destination_of_leans_own_shape(ob: ObSandbox) -> None:
    client = openbanking.OpenBankingClient(APP_TOKEN, base_url=ob.url)
    destination = client.create_payment_destination(
        bank_type="retail", government_identifier={"type": "EMIRATES_ID", "value": "784-1990-1234567-1"},
        name="Acme LLC", iban="AE070331234567890123456", display_name="Acme", address="1 Main St", city="Dubai", country="ARE",
    )
    assert destination.bank_type == "RETAIL" and destination.bank_identifier is None
    assert destination.government_identifier == {"type": "EMIRATES_ID", "value": "784-1990-1234567-1"}
    assert destination in client.list_payment_destinations()

    customer = client.create_customer(app_user_id=f"py-intents-{uuid.uuid4()}")
    made = [
        client.create_payment_intent(customer_id=customer.customer_id, amount=amount, currency="AED", payment_destination_id=destination.id)
        for amount in ("10.10", "20.20")
    ]
    everyone = client.list_payment_intents()
    assert all(isinstance(i, openbanking.PaymentIntent) for i in everyone) and len(everyone) >= 2
    # A token scoped to the customer lists that customer's intents only.
    oauth = openbanking.OpenBankingClient(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, base_url=ob.url, token_base_url=ob.url)
    device = openbanking.OpenBankingClient(access_token=oauth.customer_token(customer.customer_id).access_token, base_url=ob.url)
    own = device.list_payment_intents()
    assert [i.payment_intent_id for i in own] == [i.payment_intent_id for i in made]
    assert [i.amount for i in own] == [Decimal("10.10"), Decimal("20.20")]

    async def main() -> None:
        async with openbanking.AsyncOpenBankingClient(access_token=device_token, base_url=ob.url) as aclient:
            assert await aclient.list_payment_intents() == own

    device_token = oauth.customer_token(customer.customer_id).access_token
    asyncio.run(main())


def test_async_stored_data_and_refreshes(ob: ObSandbox) -> None:
    async def main() -> None:
        async with openbanking.AsyncOpenBankingClient(APP_TOKEN, base_url=ob.url) as client:
            customer = await client.create_customer(app_user_id=f"py-v2-async-{uuid.uuid4()}")
            connected = ob.admin(f"/_sandbox/openbanking/customers/{customer.customer_id}/entities", {})
            entity_id, account_id = connected["id"], connected["accounts"][0]["account_id"]
            accounts, balances = await asyncio.gather(
                client.list_accounts(entity_id), client.list_account_balances(entity_id, account_id, page_size=1)
            )
            assert len(accounts) == len(connected["accounts"]) and type(balances.data[0]["balance"]) is str
            refresh = await client.create_data_refresh(entity_id)
            assert (await client.get_data_refresh(refresh.refresh_id)).refresh_id == refresh.refresh_id
            assert [r.refresh_id for r in await client.list_data_refreshes(entity_id)] == [refresh.refresh_id]
            found = await client.list_entities_by_date("2000-01-01", "2099-12-31", page_size=1000)
            assert entity_id in [e.id for e in found]

    asyncio.run(main())
