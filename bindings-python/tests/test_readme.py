"""Every Python sample of the README runs, in order, against the sandbox
(the payouts samples against one, the open-banking samples against one
with its mTLS listener)."""

from __future__ import annotations

import logging
import random
import re
import uuid

import pytest

from _readme import blocks
from conftest import API_KEY, OB_APP_TOKEN, ObSandbox, Sandbox


def test_readme_samples_run(
    sandbox: Sandbox, ob_sandbox: ObSandbox, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LEAN_API_KEY", API_KEY)
    monkeypatch.setenv("LEAN_BASE_URL", sandbox.base_url)
    monkeypatch.setenv("LEAN_WEBHOOK_SECRET", "whsec_test")
    monkeypatch.setenv("LEAN_APP_TOKEN", OB_APP_TOKEN)
    monkeypatch.setenv("LEAN_OB_BASE_URL", ob_sandbox.url)
    monkeypatch.setenv("LEAN_OB_WEBHOOK_SECRET", "ob_whsec_test")
    monkeypatch.setenv("LEAN_CLIENT_ID", "sandbox-client-id")
    monkeypatch.setenv("LEAN_CLIENT_SECRET", "sandbox-client-secret")
    monkeypatch.setenv("LEAN_OB_MTLS_URL", ob_sandbox.mtls_url)
    monkeypatch.setenv("LEAN_CLIENT_CERT", str(ob_sandbox.tls / "client.pem"))
    monkeypatch.setenv("LEAN_CLIENT_KEY", str(ob_sandbox.tls / "client.key"))
    monkeypatch.setenv("LEAN_CA_CHAIN", str(ob_sandbox.tls / "ca.pem"))
    # Fresh ids so that the sample's customer is new in a shared sandbox.
    uid = f"readme_{uuid.uuid4().hex[:10]}"
    phone = "415" + random.choice("23456789") + "".join(random.choice("0123456789") for _ in range(6))
    # The open-banking customer of the samples has connected a bank (the
    # Link SDK's part, done here with the sandbox's admin route).
    app_user_id = f"readme-{uuid.uuid4()}"
    from lean_sdk import openbanking

    customer = openbanking.OpenBankingClient(OB_APP_TOKEN, base_url=ob_sandbox.url).create_customer(app_user_id=app_user_id)
    ob_sandbox.admin(f"/_sandbox/openbanking/customers/{customer.customer_id}/entities", {})
    samples = blocks()
    assert len(samples) >= 14
    logger = logging.getLogger("lean_sdk")
    level, handlers = logger.level, list(logger.handlers)
    try:  # the samples configure logging as an application would: undone after
        for code in samples:
            code = code.replace("uid_readme_1", uid).replace("4085008000", phone).replace("jane.doe@", f"{uid}@")
            code = code.replace('"user-42"', repr(app_user_id))
            exec(compile(code, "README.md", "exec"), {"__name__": "readme_sample"})
    finally:
        logger.setLevel(level)
        logger.handlers[:] = handlers
    out = capsys.readouterr().out
    assert re.search(r"^\[\(1, 200, 'req_\d+'\)\]$", out, re.M) and re.search(r"^404 req_\d+$", out, re.M), out
    assert "PENDING 15.00" in out
    assert "totalAmount invalid_type" in out and "Decimal" in out
    assert "404" in out
    assert "gig.completed" in out
    assert "'email': 'invalid_format'" in out
    assert "'12450.75'\n" in out and "100.50 AED" in out and "PENDING True" in out
    assert "results.ready r-1 ev-1" in out
    assert "True True\nIN_PROGRESS\n" in out
    assert "False" not in out
