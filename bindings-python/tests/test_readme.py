"""Every Python sample of the README runs, in order, against the sandbox."""

from __future__ import annotations

import random
import uuid

import pytest

from _readme import blocks
from conftest import API_KEY, Sandbox


def test_readme_samples_run(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LEAN_API_KEY", API_KEY)
    monkeypatch.setenv("LEAN_BASE_URL", sandbox.base_url)
    monkeypatch.setenv("LEAN_WEBHOOK_SECRET", "whsec_test")
    # Fresh ids so that the sample's customer is new in a shared sandbox.
    uid = f"readme_{uuid.uuid4().hex[:10]}"
    phone = "415" + random.choice("23456789") + "".join(random.choice("0123456789") for _ in range(6))
    samples = blocks()
    assert len(samples) >= 8
    for code in samples:
        code = code.replace("uid_readme_1", uid).replace("4085008000", phone).replace("jane.doe@", f"{uid}@")
        exec(compile(code, "README.md", "exec"), {"__name__": "readme_sample"})
    out = capsys.readouterr().out
    assert "PENDING 15.00" in out
    assert "totalAmount invalid_type" in out and "Decimal" in out
    assert "404" in out
    assert "gig.completed" in out
    assert "'email': 'invalid_format'" in out
