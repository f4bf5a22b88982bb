"""The partner flow against the local sandbox, over the real transports:
the sync client over urllib, the async client over httpx, webhooks
received on a loopback port and verified."""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from decimal import Decimal
from typing import Any, Dict

import pytest

import lean_sdk
from lean_sdk import webhooks

from conftest import API_KEY, Receiver, Sandbox


def new_customer() -> Dict[str, Any]:
    uid = f"py_{uuid.uuid4().hex[:12]}"
    return {
        "partner_user_id": uid,
        "first_name": "Jane",
        "last_name": "Doe",
        "birthday": "1980-12-31",
        "phone_number": "408" + random.choice("23456789") + "".join(random.choice("0123456789") for _ in range(6)),
        "email": f"{uid}@example.com",
        "street": "700 Treehouse Drive",
        "city": "San Jose",
        "state": "CA",
        "postal_code": "95101",
        "registration_date": "2020-01-01",
    }


def event_for(receiver: Receiver, name: str, key: str, value: str) -> lean_sdk.WebhookEvent:
    """Waits for the webhook ``name`` about the object whose ``key`` is
    ``value``, and verifies it from its raw body."""
    verifier = webhooks.WebhookVerifier(API_KEY)

    def matches(headers: Dict[str, str], body: bytes) -> bool:
        envelope = json.loads(body)
        return bool(envelope.get("event") == name and envelope.get("data", {}).get(key) == value)

    headers, body = receiver.wait_for(matches)
    event = verifier.construct_event(body, headers.get(webhooks.SIGNATURE_HEADER))
    with pytest.raises(lean_sdk.WebhookSignatureError):
        verifier.verify(body + b" ", headers.get(webhooks.SIGNATURE_HEADER))
    return event


def gig_fields(uid: str) -> Dict[str, Any]:
    return {
        "partner_user_id": uid,
        "gig_id": f"gig_{uuid.uuid4().hex[:12]}",
        "total_amount": Decimal("15.00"),
        "tips": "3.00",
        "expenses": 2,
        "description": "Gig Payout",
        "start_time": "2021-03-01T21:04:04",
        "end_time": "2021-03-01T21:31:05",
    }


@pytest.mark.parametrize("urllib", [False, True], ids=["pooled-default", "urllib"])
def test_sync_flow(sandbox: Sandbox, receiver: Receiver, urllib: bool) -> None:
    client = lean_sdk.LeanClient(API_KEY, base_url=sandbox.base_url, transport=lean_sdk.UrllibTransport() if urllib else None)
    assert isinstance(client._transport, lean_sdk.UrllibTransport if urllib else lean_sdk.HttpxSyncTransport)
    fields = new_customer()
    uid = fields["partner_user_id"]

    customer = client.create_customer(**fields)
    assert (customer.partner_user_id, customer.status) == (uid, "PENDING")
    assert client.update_customer(uid, street2="Apt 1").street2 == "Apt 1"
    assert client.submit_application(uid).status == "submitted"
    active = event_for(receiver, "customer.active", "partnerUserId", uid)
    assert isinstance(active.data, lean_sdk.Customer) and active.data.status == "ACTIVE"
    assert client.get_customer(uid).status == "ACTIVE"

    gig_input = gig_fields(uid)
    gig = client.create_gig(**gig_input)
    assert gig.total_amount == Decimal("15.00") and gig.tips == Decimal("3.00") and gig.status == "PENDING"
    # Paying the same gig again never pays twice: the engine finds the gig.
    assert client.create_gig(**gig_input).gig_id == gig.gig_id
    assert [g.gig_id for g in client.list_gigs()].count(gig.gig_id) == 1

    key = f"bonus-{uid}"
    bonus = client.create_special_payment(
        partner_user_id=uid, amount=Decimal("4.56"), type="bonus", description="Weekend bonus", idempotency_key=key
    )
    again = client.create_special_payment(
        partner_user_id=uid, amount=Decimal("4.56"), type="bonus", description="Weekend bonus", idempotency_key=key
    )
    assert again.id == bonus.id and bonus.amount == Decimal("4.56")
    assert [p.id for p in client.list_special_payments()].count(bonus.id) == 1

    completed = event_for(receiver, "gig.completed", "gigId", gig.gig_id)
    assert isinstance(completed.data, lean_sdk.Gig) and completed.data.status == "SUCCESS"
    paid = event_for(receiver, "specialpayment.completed", "id", bonus.id)
    assert isinstance(paid.data, lean_sdk.SpecialPayment) and paid.data.amount == Decimal("4.56")
    assert client.get_gig(gig.gig_id).status == "SUCCESS"
    assert client.get_special_payment(bonus.id).status == "SUCCESS"

    with pytest.raises(lean_sdk.NotFoundError) as missing:
        client.get_gig("no_such_gig")
    assert missing.value.status == 404 and missing.value.request_id
    with pytest.raises(lean_sdk.AuthenticationError):
        lean_sdk.LeanClient("wrong_key", base_url=sandbox.base_url).list_gigs()
    with pytest.raises(lean_sdk.BadRequestError) as taken:
        client.create_customer(**{**new_customer(), "email": fields["email"]})
    assert {e.field for e in taken.value.errors} == {"email"}


def test_async_flow_over_httpx(sandbox: Sandbox, receiver: Receiver) -> None:
    async def flow() -> None:
        async with lean_sdk.AsyncLeanClient(API_KEY, base_url=sandbox.base_url) as client:
            assert isinstance(client._transport, lean_sdk.HttpxTransport)
            fields = new_customer()
            uid = fields["partner_user_id"]
            assert (await client.create_customer(**fields)).status == "PENDING"
            assert (await client.submit_application(uid)).status == "submitted"
            await asyncio.to_thread(event_for, receiver, "customer.active", "partnerUserId", uid)
            gig_input = gig_fields(uid)
            gig = await client.create_gig(**gig_input)
            assert (await client.create_gig(**gig_input)).gig_id == gig.gig_id
            bonus = await client.create_special_payment(partner_user_id=uid, amount="1.50", type="reimbursement")
            await asyncio.to_thread(event_for, receiver, "gig.completed", "gigId", gig.gig_id)
            await asyncio.to_thread(event_for, receiver, "specialpayment.completed", "id", bonus.id)
            assert (await client.get_gig(gig.gig_id)).status == "SUCCESS"
            assert [g.gig_id for g in await client.list_gigs()].count(gig.gig_id) == 1
            with pytest.raises(lean_sdk.NotFoundError):
                await client.get_customer("nobody_here")

    asyncio.run(flow())


def test_failed_payout_with_camel_case_mappings(sandbox: Sandbox, receiver: Receiver) -> None:
    """Inputs copied from the API documents (camelCase mappings) work as
    they are; a failed payout arrives as a verified gig.failed event."""
    client = lean_sdk.LeanClient(API_KEY, base_url=sandbox.base_url)
    fields = new_customer()
    uid = fields["partner_user_id"]
    client.create_customer({"partnerUserId" if k == "partner_user_id" else k.split("_")[0] + "".join(p.title() for p in k.split("_")[1:]): v for k, v in fields.items()})
    client.submit_application(uid)
    event_for(receiver, "customer.active", "partnerUserId", uid)
    gig = client.create_gig({
        "partnerUserId": uid, "totalAmount": "15.00", "description": "sandbox:fail please",
        "gigId": f"gig_{uuid.uuid4().hex[:12]}", "startTime": "2021-03-01T21:04:04",
        "endTime": "2021-03-01T21:31:05", "tips": "3.00", "expenses": "2.00",
    })
    failed = event_for(receiver, "gig.failed", "gigId", gig.gig_id)
    assert isinstance(failed.data, lean_sdk.Gig) and failed.data.status == "FAILED"


def test_never_pays_twice_when_connections_drop() -> None:
    """With the sandbox committing then dropping a third of the
    connections, every gig is still created exactly once."""
    faulty = Sandbox("--fault-drop", "0.3", "--fault-503", "0.1", "--fault-seed", "7")
    try:
        client = lean_sdk.LeanClient(API_KEY, base_url=faulty.base_url, max_retries=8, initial_backoff=0.001, max_backoff=0.01)
        fields = new_customer()
        uid = fields["partner_user_id"]
        client.create_customer(**fields)
        client.submit_application(uid)
        for _ in range(200):
            if client.get_customer(uid).status == "ACTIVE":
                break
            time.sleep(0.05)
        ids = [client.create_gig(**gig_fields(uid)).gig_id for _ in range(15)]
        listed = [g.gig_id for g in client.list_gigs()]
        assert all(listed.count(i) == 1 for i in ids)
    finally:
        faulty.stop()
