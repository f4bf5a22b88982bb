"""The transport loop around the core's call engine: what a custom
transport's exceptions and a cancelled call tell the caller."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any, List

import pytest

import lean_sdk
from lean_sdk import openbanking

from _support import Canned

KEY = "sk_test_engine_key"
PAYMENT = {"partner_user_id": "uid_1", "amount": "25.00", "type": "bonus"}
PAYMENT_ANSWER = json.dumps({"id": "sp_1", "partnerUserId": "uid_1", "amount": "25.00", "type": "bonus", "status": "PENDING"}).encode()


class Flaky:
    """A custom transport that raises ``failures`` in turn, then answers."""

    def __init__(self, *failures: BaseException) -> None:
        self.failures = list(failures)
        self.requests: List[lean_sdk.HttpRequest] = []

    def __call__(self, request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        self.requests.append(request)
        if self.failures:
            raise self.failures.pop(0)
        return lean_sdk.HttpResponse(200, {}, PAYMENT_ANSWER)


def client(transport: Any, **kwargs: Any) -> lean_sdk.LeanClient:
    return lean_sdk.LeanClient(KEY, transport=transport, initial_backoff=0.001, max_backoff=0.002, **kwargs)


def test_any_exception_from_a_custom_transport_is_a_failed_attempt_for_the_core() -> None:
    flaky = Flaky(RuntimeError("proxy hiccup"))
    payment = client(flaky).create_special_payment(**PAYMENT)  # type: ignore[arg-type]
    assert payment.id == "sp_1"
    keys = {r.headers["idempotency-key"] for r in flaky.requests}
    assert len(flaky.requests) == 2 and len(keys) == 1  # re-sent: it carries a key


def test_the_final_error_names_the_key_and_chains_the_transport_exception() -> None:
    flaky = Flaky(RuntimeError("proxy hiccup"))
    with pytest.raises(lean_sdk.TransportError) as failed:
        client(flaky, max_retries=0).create_special_payment(**PAYMENT)  # type: ignore[arg-type]
    assert failed.value.outcome_unknown is True
    assert failed.value.idempotency_key == flaky.requests[0].headers["idempotency-key"]
    assert isinstance(failed.value.__cause__, RuntimeError)


def test_keyboard_interrupt_mid_flight_propagates_with_what_was_sent() -> None:
    flaky = Flaky(KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt) as interrupted:
        client(flaky).create_special_payment(**PAYMENT)  # type: ignore[arg-type]
    sent = interrupted.value.lean_error  # type: ignore[attr-defined]
    assert isinstance(sent, lean_sdk.TransportError) and sent.outcome_unknown is True
    assert sent.idempotency_key == flaky.requests[0].headers["idempotency-key"]
    assert len(flaky.requests) == 1  # never re-sent after the interruption
    if sys.version_info >= (3, 11):
        assert any(sent.idempotency_key in note for note in interrupted.value.__notes__)


def test_an_interruption_before_anything_was_sent_carries_nothing() -> None:
    def never(request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        raise AssertionError("nothing is sent for invalid input")

    with pytest.raises(lean_sdk.ValidationError) as refused:
        client(never).create_special_payment(partner_user_id="uid_1", amount="x", type="bonus")
    assert not hasattr(refused.value, "lean_error")


def test_a_cancelled_async_create_is_re_raised_with_what_was_sent() -> None:
    seen: List[lean_sdk.HttpRequest] = []

    async def main() -> BaseException:
        in_flight = asyncio.Event()

        async def hang(request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
            seen.append(request)
            in_flight.set()
            await asyncio.Event().wait()
            raise AssertionError("never answered")

        async_client = lean_sdk.AsyncLeanClient(KEY, transport=hang)
        task = asyncio.ensure_future(async_client.create_special_payment(**PAYMENT))  # type: ignore[arg-type]
        await in_flight.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError) as cancelled:
            await task
        assert task.cancelled()  # the cancellation was not swallowed
        return cancelled.value

    cancellation = asyncio.run(main())
    sent = cancellation.lean_error  # type: ignore[attr-defined]
    assert isinstance(sent, lean_sdk.TransportError) and sent.outcome_unknown is True
    assert sent.idempotency_key == seen[0].headers["idempotency-key"]


def test_a_cancelled_open_banking_create_reports_what_was_sent() -> None:
    seen: List[lean_sdk.HttpRequest] = []

    def interrupt(request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        seen.append(request)
        raise KeyboardInterrupt

    ob = openbanking.OpenBankingClient("app-token-engine", transport=interrupt)
    with pytest.raises(KeyboardInterrupt) as interrupted:
        ob.create_customer(app_user_id="u1")
    sent = interrupted.value.lean_error  # type: ignore[attr-defined]
    assert isinstance(sent, lean_sdk.TransportError) and sent.outcome_unknown is True
    assert sent.sent_ids == {"app_user_id": "u1"}
    assert len(seen) == 1


def test_an_interrupted_read_was_not_applied() -> None:
    with pytest.raises(KeyboardInterrupt) as interrupted:
        client(Flaky(KeyboardInterrupt())).get_gig("g1")
    sent = interrupted.value.lean_error  # type: ignore[attr-defined]
    assert isinstance(sent, lean_sdk.TransportError) and sent.outcome_unknown is False


def test_an_interrupted_gig_reports_its_gig_id() -> None:
    gig = {"partner_user_id": "uid_1", "gig_id": "gig_7", "total_amount": "15.00", "tips": "0", "expenses": "0",
           "description": "d", "start_time": "2021-03-01T21:04:04", "end_time": "2021-03-01T21:31:05"}
    with pytest.raises(KeyboardInterrupt) as interrupted:
        client(Flaky(KeyboardInterrupt())).create_gig(**gig)  # type: ignore[arg-type]
    sent = interrupted.value.lean_error  # type: ignore[attr-defined]
    assert sent.outcome_unknown is True and sent.sent_ids == {"gigId": "gig_7"}


def test_a_custom_transport_exception_on_a_payment_intent_is_not_re_sent() -> None:
    """The core decides: a create without a key or a looked-up id ends as
    an unknown outcome after one attempt, whatever exception the transport
    raised."""
    broken = Canned(RuntimeError("proxy hiccup"))
    ob = openbanking.OpenBankingClient("app-token-engine", transport=broken, initial_backoff=0.001, max_backoff=0.002)
    with pytest.raises(lean_sdk.TransportError) as failed:
        ob.create_payment_intent(customer_id="c-1", amount="10.00", currency="AED")
    assert failed.value.outcome_unknown is True and len(broken.requests) == 1
    assert isinstance(failed.value.__cause__, RuntimeError)
