#!/usr/bin/env bash
# The partner flow in Python (bindings-python/examples/partner_flow.py),
# then the open-banking flow (examples/openbanking_flow.py, over HTTP and
# the sandbox's mTLS listener), against a fresh local sandbox, with the
# wheel installed as a user would.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
source bindings-python/scripts/env.sh

py_venv
wheel=$(py_wheel)
"$PY_VENV/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$wheel"
sandbox=$(py_sandbox)

key=demo_key_python
out=$(mktemp)
tls=$(mktemp -d)
"$sandbox" serve --port 0 --api-key "$key" --approval-delay 1s --settlement-delay 1s \
  --ob-results-delay 500ms --tls-port 0 --tls-dir "$tls" --quiet > "$out" &
pid=$!
trap 'kill "$pid" 2>/dev/null; rm -rf "$out" "$tls"' EXIT
for _ in $(seq 100); do grep -q '^listening (mTLS) on ' "$out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$out" | head -n 1)
mtls=$(sed -n 's/^listening (mTLS) on //p' "$out" | head -n 1)
[ -n "$url" ] && [ -n "$mtls" ] || die "the sandbox did not start"
echo "sandbox at $url (mTLS at $mtls)"
"$PY_VENV/bin/python" -I bindings-python/examples/partner_flow.py "$url" "$key"
echo "open banking:"
"$PY_VENV/bin/python" -I bindings-python/examples/openbanking_flow.py "$url" "$mtls" "$tls"
