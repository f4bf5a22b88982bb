#!/usr/bin/env bash
# The partner flow in Python (bindings-python/examples/partner_flow.py)
# against a fresh local sandbox, with the wheel installed as a user would.
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
"$sandbox" serve --port 0 --api-key "$key" --approval-delay 1s --settlement-delay 1s --quiet > "$out" &
pid=$!
trap 'kill "$pid" 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do grep -q '^listening on ' "$out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$out" | head -n 1)
[ -n "$url" ] || die "the sandbox did not start"
echo "sandbox at $url"
"$PY_VENV/bin/python" -I bindings-python/examples/partner_flow.py "$url" "$key"
