"""lean_sdk.webhooks beyond the vectors: rotation, reuse, input types,
secrets kept out of sight."""

from __future__ import annotations

from typing import Any

import pytest

import lean_sdk
from lean_sdk import webhooks

from _support import in_threads

BODY = b'{"event":"specialpayment.completed","data":{"id":"sp_1","amount":"4.56","status":"SUCCESS"}}'


def test_rotation_accepts_old_and_new_secrets() -> None:
    verifier = webhooks.WebhookVerifier([b"whsec_new", "whsec_old"])
    verifier.verify(BODY, webhooks.sign(BODY, "whsec_old"))
    verifier.verify(BODY, webhooks.sign(BODY, b"whsec_new"))
    with pytest.raises(lean_sdk.WebhookSignatureError) as wrong:
        verifier.verify(BODY, webhooks.sign(BODY, "whsec_other"))
    assert wrong.value.code == "signature_mismatch"


def test_typed_event() -> None:
    event = webhooks.construct_event(BODY, webhooks.sign(BODY, "s"), "s")
    assert isinstance(event.data, lean_sdk.SpecialPayment)
    assert str(event.data.amount) == "4.56" and event.data.status == "SUCCESS"
    unknown = b'{"event":"payout.invented","data":{"anything":[1,2]}}'
    later = webhooks.construct_event(unknown, webhooks.sign(unknown, "s"), "s")
    assert later.event == "payout.invented" and later.data == {"anything": [1, 2]}


def test_signed_body_that_is_not_an_event() -> None:
    with pytest.raises(lean_sdk.WebhookPayloadError):
        webhooks.construct_event(b"[]", webhooks.sign(b"[]", "s"), "s")


def test_bad_arguments() -> None:
    with pytest.raises(TypeError, match="raw request body"):
        webhooks.verify({"event": "x"}, "sig", "s")  # type: ignore[arg-type]
    with pytest.raises(lean_sdk.ConfigurationError):
        webhooks.WebhookVerifier("")
    with pytest.raises(lean_sdk.ConfigurationError):
        webhooks.WebhookVerifier([])
    with pytest.raises(lean_sdk.WebhookSignatureError) as missing:
        webhooks.verify(BODY, None, "s")
    assert missing.value.code == "signature_missing"


def test_secret_never_shows() -> None:
    verifier = webhooks.WebhookVerifier("whsec_topsecret")
    assert "topsecret" not in repr(verifier)
    with pytest.raises(lean_sdk.WebhookSignatureError) as wrong:
        verifier.verify(BODY, webhooks.sign(BODY, "x"))
    assert "topsecret" not in str(wrong.value) and "topsecret" not in repr(wrong.value)


def test_large_bodies_verify_from_several_threads() -> None:
    big = b"x" * (1 << 20)
    verifier = webhooks.WebhookVerifier("s")
    signature = webhooks.sign(big, "s")

    def work() -> None:
        for _ in range(5):
            verifier.verify(big, signature)

    assert in_threads(work, 4) == []


def test_a_mutable_body_is_copied_once_then_verified_and_parsed() -> None:
    buffer = bytearray(BODY)
    view = memoryview(buffer)
    event = webhooks.construct_event(view, webhooks.sign(BODY, "s"), "s")
    buffer[buffer.index(b"sp_1") : buffer.index(b"sp_1") + 4] = b"sp_9"  # changed after the call
    assert isinstance(event.data, lean_sdk.SpecialPayment) and event.data.id == "sp_1"
    assert event.to_dict()["data"]["id"] == "sp_1"
    # The signature of the changed bytes does not make the old ones pass.
    with pytest.raises(lean_sdk.WebhookSignatureError):
        webhooks.construct_event(bytearray(BODY), webhooks.sign(bytes(buffer), "s"), "s")


def test_payouts_events_expose_a_dedup_key() -> None:
    event = webhooks.construct_event(BODY, webhooks.sign(BODY, "s"), "s")
    assert event.dedup_key == "specialpayment.completed:sp_1:SUCCESS"
    again = webhooks.construct_event(BODY, webhooks.sign(BODY, "s"), "s")
    assert event.dedup_key == again.dedup_key and "sp_1" in event.dedup_key
    other = BODY.replace(b"SUCCESS", b"FAILED")
    assert webhooks.construct_event(other, webhooks.sign(other, "s"), "s").dedup_key != event.dedup_key
    assert event.to_dict()["dedupKey"] == event.dedup_key


class Stream:
    """A request body that counts what was read from it."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.read_bytes = 0

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        self.read_bytes += n
        return b"x" * n


def test_read_body_stops_past_the_limit() -> None:
    stream = Stream(64 * 1024 * 1024)
    with pytest.raises(lean_sdk.WebhookBodyTooLargeError) as refused:
        webhooks.read_body(stream)
    assert refused.value.status == 413 and refused.value.limit == webhooks.MAX_BODY_BYTES == 1024 * 1024
    assert stream.read_bytes <= webhooks.MAX_BODY_BYTES + 1
    small = Stream(10)
    assert webhooks.read_body(small, "10", limit=10) == b"x" * 10
    with pytest.raises(lean_sdk.WebhookBodyTooLargeError):
        webhooks.read_body(Stream(11), limit=10)


def test_read_body_checks_content_length_before_reading() -> None:
    stream = Stream(10)
    with pytest.raises(lean_sdk.WebhookBodyTooLargeError):
        webhooks.read_body(stream, str(webhooks.MAX_BODY_BYTES + 1))
    with pytest.raises(lean_sdk.WebhookBodyTooLargeError):
        webhooks.read_body(stream, "9" * 40)
    assert stream.read_bytes == 0


def test_read_body_async_stops_at_the_first_chunk_past_the_limit() -> None:
    import asyncio

    pulled = []

    async def chunks() -> Any:
        for _ in range(100):
            pulled.append(1)
            yield b"x" * 1000

    async def main() -> None:
        with pytest.raises(lean_sdk.WebhookBodyTooLargeError):
            await webhooks.read_body_async(chunks(), limit=2500)
        assert len(pulled) == 3
        with pytest.raises(lean_sdk.WebhookBodyTooLargeError):
            await webhooks.read_body_async(chunks(), "2501", limit=2500)
        assert await webhooks.read_body_async(chunks(), limit=100_000) == b"x" * 100_000

    asyncio.run(main())
