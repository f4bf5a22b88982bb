#!/usr/bin/env bash
# The Python package: build the wheel with maturin, install it as a user
# would, then run its tests (shared vectors, end-to-end against the sandbox,
# webhook recipes, README samples, stubs and mypy --strict) and a smoke test
# in a fresh virtual environment.
set -euo pipefail
export RUST_BACKTRACE=0  # the panic-guard tests panic on purpose
cd "$(dirname "$0")/../.."
source scripts/lib.sh
source bindings-python/scripts/env.sh

py_venv
wheel=$(py_wheel)
sandbox=$(py_sandbox)

step "python: smoke test of $(basename "$wheel") in a fresh venv"
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
"$PY_VENV/bin/python" -m venv "$fresh/venv"
"$fresh/venv/bin/pip" install -q --disable-pip-version-check --no-index "$wheel"
(cd "$fresh" && "$fresh/venv/bin/python" - <<'PY'
import json
import lean_sdk
from lean_sdk import webhooks

assert "site-packages" in lean_sdk.__file__, lean_sdk.__file__
body = b'{"event":"gig.completed","data":{"gigId":"g1"}}'
event = webhooks.construct_event(body, webhooks.sign(body, "s"), "s")
assert event.event == "gig.completed" and event.data.gig_id == "g1"
seen = []
client = lean_sdk.LeanClient("k", transport=lambda r: seen.append(r) or lean_sdk.HttpResponse(200, {}, b"[]"))
assert client.list_gigs() == [] and seen[0].url.endswith("/gig")
try:
    client.create_gig(total_amount=1.5)
except lean_sdk.ValidationError as e:
    assert any(f.field == "totalAmount" for f in e.errors)
else:
    raise AssertionError("a float amount was accepted")
try:
    lean_sdk._native._trigger_panic()
except lean_sdk.LeanError as e:
    assert e.code == "internal"
print("smoke test passed:", lean_sdk.__version__)
PY
)

step "python: pytest against the installed wheel"
"$PY_VENV/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$wheel"
cd bindings-python/tests
LEAN_SANDBOX_BIN="$sandbox" LEAN_REQUIRE_SANDBOX=1 \
  "$PY_VENV/bin/python" -I -m pytest -q -p no:cacheprovider --rootdir=.. -c ../pyproject.toml .
