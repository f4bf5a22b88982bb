#!/usr/bin/env bash
# The partner flow in Python (bindings-python/examples/partner_flow.py),
# then the open-banking flow (examples/openbanking_flow.py, over HTTP and
# the sandbox's mTLS listener), against a fresh local sandbox, with the
# wheel installed as a user would.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
source bindings-python/scripts/env.sh

py_prepare

key=demo_key_python
serve_sandbox "$PY_SANDBOX" --mtls --api-key "$key" --approval-delay 1s --settlement-delay 1s \
  --ob-results-delay 500ms
echo "sandbox at $SANDBOX_URL (mTLS at $SANDBOX_MTLS_URL)"
"$PY_VENV/bin/python" -I bindings-python/examples/partner_flow.py "$SANDBOX_URL" "$key"
echo "open banking:"
"$PY_VENV/bin/python" -I bindings-python/examples/openbanking_flow.py "$SANDBOX_URL" "$SANDBOX_MTLS_URL" "$SANDBOX_TLS_DIR"
