"""lean_sdk.webhooks beyond the vectors: rotation, reuse, input types,
secrets kept out of sight."""

from __future__ import annotations

import threading

import pytest

import lean_sdk
from lean_sdk import webhooks

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
    failures = []

    def work() -> None:
        try:
            for _ in range(5):
                verifier.verify(big, signature)
        except Exception as error:  # pragma: no cover - reported below
            failures.append(error)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
