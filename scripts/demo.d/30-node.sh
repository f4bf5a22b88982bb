#!/usr/bin/env bash
# The partner flow in JavaScript (bindings-wasm/npm/examples/partner-flow.mjs)
# against a fresh local sandbox, with the npm package built from source; then
# the open-banking flow (examples/openbanking-flow.mjs), mTLS listener included.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
source bindings-wasm/scripts/env.sh

node_toolchain
bindings-wasm/build.sh >/dev/null
cargo build -q -p lean-sandbox
sandbox="${CARGO_TARGET_DIR:-$PWD/target}/debug/lean-sandbox"

key=demo_key_node
serve_sandbox "$sandbox" --mtls --api-key "$key" --approval-delay 1s --settlement-delay 1s \
  --ob-results-delay 500ms
echo "sandbox at $SANDBOX_URL"
cd bindings-wasm/npm
node examples/partner-flow.mjs "$SANDBOX_URL" "$key"
echo
echo "open banking (lean-sdk/openbanking), mTLS listener at $SANDBOX_MTLS_URL"
node examples/openbanking-flow.mjs "$SANDBOX_URL" "$SANDBOX_MTLS_URL" "$SANDBOX_TLS_DIR"
