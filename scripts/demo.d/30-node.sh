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
out=$(mktemp)
tls_dir=$(mktemp -d)
"$sandbox" serve --port 0 --api-key "$key" --approval-delay 1s --settlement-delay 1s --quiet \
  --ob-results-delay 500ms --tls-port 0 --tls-dir "$tls_dir" > "$out" &
pid=$!
trap 'kill "$pid" 2>/dev/null; rm -rf "$out" "$tls_dir"' EXIT
for _ in $(seq 100); do grep -q '^listening (mTLS) on ' "$out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$out" | head -n 1)
[ -n "$url" ] || die "the sandbox did not start"
echo "sandbox at $url"
cd bindings-wasm/npm
node examples/partner-flow.mjs "$url" "$key"
tls_url=$(sed -n 's/^listening (mTLS) on //p' "$out" | head -n 1)
[ -n "$tls_url" ] || die "the sandbox's mTLS listener did not start"
echo
echo "open banking (lean-sdk/openbanking), mTLS listener at $tls_url"
node examples/openbanking-flow.mjs "$url" "$tls_url" "$tls_dir"
