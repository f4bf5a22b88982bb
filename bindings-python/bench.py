"""Benchmarks of lean_sdk against what a Python user would otherwise use,
side by side in one run (results in BENCHMARKS.md, "Python").

1. Webhook verification of a 1 KiB body: a reused
   ``webhooks.WebhookVerifier`` against the standard library
   (``hmac.new(key, body, "sha1")`` + base64 + ``hmac.compare_digest``).
2. Create-gig validation and serialisation from a dict:
   ``lean_sdk.validate("createGig", data)`` against pydantic v2
   (``model_validate`` + ``model_dump_json``) of an equivalent model.
3. Import time of ``lean_sdk`` (``python -X importtime``).
4. Open banking: ``lean-signature`` verification of a 1 KiB body (hex
   HMAC-SHA512) against the standard library; one ``get_balance`` call
   through the client with an in-memory transport (validation, request,
   call engine, answer read into ``Decimal``) against building the same
   request and reading the answer by hand with ``json``; import time of
   ``lean_sdk.openbanking``.

Usage: python bench.py [--quick]
"""

from __future__ import annotations

import base64
import hmac
import re
import subprocess
import sys
import timeit
from typing import Any, Callable, Dict, Tuple

import lean_sdk
from lean_sdk import webhooks

QUICK = "--quick" in sys.argv


def rate(function: Callable[[], Any]) -> float:
    """Calls per second: the best of several timed repeats."""
    timer = timeit.Timer(function)
    number, _ = timer.autorange()
    repeats = 3 if QUICK else 7
    best = min(timer.repeat(repeat=repeats, number=number))
    return number / best


def side_by_side(title: str, ours: Callable[[], Any], theirs: Callable[[], Any], their_name: str) -> Tuple[float, float]:
    ours_rate, theirs_rate = rate(ours), rate(theirs)
    print(f"{title}")
    print(f"  lean_sdk      {ours_rate:>12,.0f} calls/s  ({1e6 / ours_rate:.2f} us)")
    print(f"  {their_name:<13} {theirs_rate:>12,.0f} calls/s  ({1e6 / theirs_rate:.2f} us)")
    print(f"  ratio         {ours_rate / theirs_rate:.2f}x")
    return ours_rate, theirs_rate


def webhook_verify() -> None:
    secret = "whsec_benchmark_secret"
    body = (b'{"event":"gig.completed","data":{"gigId":"g","pad":"' + b"x" * 1024)[:1022] + b'"}'
    assert len(body) == 1024
    signature = webhooks.sign(body, secret)
    verifier = webhooks.WebhookVerifier(secret)
    key = secret.encode()
    expected = signature.encode()

    def stdlib() -> bool:
        digest = hmac.new(key, body, "sha1").digest()
        return hmac.compare_digest(base64.b64encode(digest), expected)

    assert stdlib() and verifier.verify(body, signature) is None
    side_by_side("webhook verify, 1 KiB body", lambda: verifier.verify(body, signature), stdlib, "hmac (stdlib)")


GIG: Dict[str, Any] = {
    "partnerUserId": "uid_847834395730535",
    "totalAmount": "15.00",
    "tips": "3.00",
    "expenses": "2.00",
    "description": "Gig Payout",
    "gigId": "gigId_94792357823953532",
    "startTime": "2021-03-01T21:04:04",
    "endTime": "2021-03-01T21:31:05",
}


def create_gig() -> None:
    import datetime
    from decimal import Decimal

    from pydantic import BaseModel, ConfigDict, Field, model_validator

    Money = Field(ge=0, max_digits=12, decimal_places=2)

    class NewGig(BaseModel):
        """The same rules as the core's NewGig, as a pydantic user writes them."""

        model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)
        partner_user_id: str = Field(alias="partnerUserId", min_length=1, max_length=255)
        total_amount: Decimal = Field(alias="totalAmount", gt=0, max_digits=12, decimal_places=2)
        tips: Decimal = Money
        expenses: Decimal = Money
        description: str = Field(min_length=1, max_length=255)
        gig_id: str = Field(alias="gigId", min_length=1, max_length=255)
        start_time: datetime.datetime = Field(alias="startTime")
        end_time: datetime.datetime = Field(alias="endTime")

        @model_validator(mode="after")
        def consistent(self) -> "NewGig":
            if self.tips + self.expenses > self.total_amount:
                raise ValueError("totalAmount must include tips and expenses")
            if self.end_time < self.start_time:
                raise ValueError("endTime must not be before startTime")
            return self

    def pydantic() -> str:
        return NewGig.model_validate(GIG).model_dump_json(by_alias=True)

    assert '"gigId"' in pydantic() and '"gigId"' in lean_sdk.validate("createGig", GIG)
    side_by_side("create-gig validate + serialise, from a dict", lambda: lean_sdk.validate("createGig", GIG), pydantic, "pydantic v2")


def import_time() -> None:
    runs = []
    for _ in range(3 if QUICK else 7):
        done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import lean_sdk"], capture_output=True, text=True, check=True)
        total = [int(m.group(1)) for m in re.finditer(r"import time:\s+\d+ \|\s+(\d+) \| lean_sdk$", done.stderr, re.M)]
        runs.append(total[-1])
    print("import lean_sdk (python -X importtime, cumulative)")
    print(f"  best {min(runs) / 1000:.1f} ms, median {sorted(runs)[len(runs) // 2] / 1000:.1f} ms (target: under 30 ms)")


def open_banking() -> None:
    import json
    from decimal import Decimal

    from lean_sdk import openbanking

    secret = "ob_whsec_benchmark_secret"
    body = (b'{"type":"results.ready","payload":{"id":"r"},"pad":"' + b"x" * 1024)[:1022] + b'"}'
    signature = openbanking.webhooks.sign(body, secret)
    verifier = openbanking.webhooks.WebhookVerifier(secret)
    key = secret.encode()
    expected = signature[len("sha512="):].encode()

    def stdlib() -> bool:
        return hmac.compare_digest(hmac.new(key, body, "sha512").hexdigest().encode(), expected)

    assert stdlib() and verifier.verify(body, signature) is None
    side_by_side("open banking: lean-signature verify, 1 KiB body", lambda: verifier.verify(body, signature), stdlib, "hmac (stdlib)")

    answer = json.dumps({"status": "OK", "payload": {"account_id": "a-1", "balance": 12450.75, "currency_code": "AED"},
                         "results_id": "r-1", "timestamp": "2026-11-23T10:00:00Z"}).encode()
    reply = lean_sdk.HttpResponse(200, {"content-type": "application/json"}, answer)
    client = openbanking.OpenBankingClient("app_token_benchmark", transport=lambda request: reply)

    def by_hand() -> Any:
        request = lean_sdk.HttpRequest(
            "POST", "https://sandbox.leantech.me/data/v1/balance",
            {"lean-app-token": "app_token_benchmark", "content-type": "application/json", "accept": "application/json"},
            json.dumps({"entity_id": "e-1", "account_id": "a-1", "async": False}).encode(),
        )
        response = reply if request.body else reply
        data = json.loads(response.body, parse_float=Decimal)
        if data.get("status") == "FAILED":
            raise ValueError(data)
        return data

    # The client's payload keeps amounts as their decimal text; by hand they are `Decimal`s.
    ours, theirs = client.get_balance("e-1", "a-1").payload, by_hand()["payload"]
    assert Decimal(ours["balance"]) == theirs["balance"] and ours["account_id"] == theirs["account_id"]
    side_by_side("open banking: get_balance through the client, in-memory transport", lambda: client.get_balance("e-1", "a-1"), by_hand, "json by hand")
    runs = []
    for _ in range(3 if QUICK else 7):
        done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import lean_sdk.openbanking"], capture_output=True, text=True, check=True)
        parts = re.findall(r"import time:\s+\d+ \|\s+(\d+) \| lean_sdk(?:\.openbanking)?$", done.stderr, re.M)
        runs.append(sum(int(p) for p in parts))
    print("import lean_sdk.openbanking (python -X importtime, cumulative, lean_sdk included)")
    print(f"  best {min(runs) / 1000:.1f} ms, median {sorted(runs)[len(runs) // 2] / 1000:.1f} ms")


if __name__ == "__main__":
    print(f"lean_sdk {lean_sdk.__version__}, Python {sys.version.split()[0]}")
    webhook_verify()
    create_gig()
    import_time()
    open_banking()
