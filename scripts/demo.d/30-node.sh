#!/usr/bin/env bash
# The partner flow in JavaScript (bindings-wasm/npm/examples/partner-flow.mjs)
# against a fresh local sandbox, with the npm package built from source.
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
"$sandbox" serve --port 0 --api-key "$key" --approval-delay 1s --settlement-delay 1s --quiet > "$out" &
pid=$!
trap 'kill "$pid" 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do grep -q '^listening on ' "$out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$out" | head -n 1)
[ -n "$url" ] || die "the sandbox did not start"
echo "sandbox at $url"
cd bindings-wasm/npm
node examples/partner-flow.mjs "$url" "$key"
