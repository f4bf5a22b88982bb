"""What a user gets from `pip install`: run by scripts/test.d/40-python.sh
in fresh virtual environments (one per Python version found), with nothing
but the wheel and its dependency (httpx) installed. Not a pytest module: it needs no test tools."""

import sys

import lean_sdk
from lean_sdk import webhooks

assert "site-packages" in lean_sdk.__file__, lean_sdk.__file__
body = b'{"event":"gig.completed","data":{"gigId":"g1","totalAmount":"15.00"}}'
event = webhooks.construct_event(body, webhooks.sign(body, "s"), "s")
assert event.event == "gig.completed" and isinstance(event.data, lean_sdk.Gig)
assert str(event.data.total_amount) == "15.00"
seen = []


def transport(request):
    seen.append(request)
    return lean_sdk.HttpResponse(200, {}, b"[]")


with lean_sdk.LeanClient("sk_smoke_key") as pooled:  # the default: one httpx pool per client
    assert isinstance(pooled._transport, lean_sdk.HttpxSyncTransport)
client = lean_sdk.LeanClient("sk_smoke_key", transport=transport)
assert client.list_gigs() == [] and seen[0].url.endswith("/gig")
assert "sk_smoke_key" not in repr(client) + repr(client.config) + repr(seen[0])
try:
    client.create_gig(total_amount=1.5)
except lean_sdk.ValidationError as error:
    assert any(e.field == "totalAmount" and "Decimal" in e.message for e in error.errors)
else:
    raise AssertionError("a float amount was accepted")
try:
    lean_sdk._native._trigger_panic()
except lean_sdk.LeanError as error:
    assert error.code == "internal"

from lean_sdk import openbanking

ob_body = b'{"type":"results.ready","payload":{"id":"r-1"},"event_id":"ev-1"}'
ob_event = openbanking.webhooks.construct_event(ob_body, openbanking.webhooks.sign(ob_body, "s"), "s")
assert ob_event.type == "results.ready" and ob_event.payload.id == "r-1" and ob_event.event_id == "ev-1"
ob_client = openbanking.OpenBankingClient(
    "app_smoke_token", transport=lambda r: lean_sdk.HttpResponse(200, {}, b'{"status":"OK","payload":{"balance":10.5}}')
)
assert str(ob_client.get_balance("e", "a").payload["balance"]) == "10.5"
assert "app_smoke_token" not in repr(ob_client)
try:
    openbanking.validate("create_payment_intent", customer_id="c", amount=1.5, currency="AED")
except lean_sdk.ValidationError as error:
    assert [e.field for e in error.errors] == ["amount"]
else:
    raise AssertionError("a float amount was accepted")
try:
    openbanking.OpenBankingClient("t", environment="uae-production")
except lean_sdk.ConfigurationError as error:
    assert "cert=" in str(error)
else:
    raise AssertionError("production without a client certificate was accepted")
print(f"smoke test passed: lean_sdk {lean_sdk.__version__} on Python {sys.version.split()[0]}")
