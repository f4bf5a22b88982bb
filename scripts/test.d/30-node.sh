#!/usr/bin/env bash
# The npm package lean-sdk (bindings-wasm/): installs the wasm toolchain
# (target, the wasm-bindgen CLI pinned in bindings-wasm/Cargo.toml, npm dev
# dependencies, Chromium for the browser test), builds the package, then runs
# its node --test suites against the built package: shared vectors, panics,
# webhook helpers, TypeScript declarations, README samples, end-to-end
# against the local sandbox, the packed tarball, and the browser demo page;
# the same for lean-sdk/openbanking (test/openbanking-*: its vectors, OAuth,
# webhooks, end-to-end over HTTP and the sandbox's mTLS listener, and that
# the main entry never loads its module).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
source bindings-wasm/scripts/env.sh

node_toolchain
node_browser
step "node: build the package"
bindings-wasm/build.sh
node_sizes

step "node: sandbox for the end-to-end tests"
cargo build -q -p lean-sandbox
export LEAN_SANDBOX_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/lean-sandbox"
export LEAN_REQUIRE_SANDBOX=1 LEAN_REQUIRE_BROWSER=1

step "node: node --test"
cd bindings-wasm/npm
node --test --test-concurrency=1 test/*.test.js
