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
