#!/usr/bin/env bash
# Demo part: the whole partner flow in Rust, through lean-core with a real
# HTTP client, against a fresh local sandbox it starts and stops
# (sandbox/examples/partner_flow.rs), then the open-banking flow
# (sandbox/examples/openbanking_flow.rs).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

command -v cargo >/dev/null || die "cargo is missing: install Rust with rustup (https://rustup.rs)"
cargo build -q -p lean-sandbox --bins --examples
cargo run -q -p lean-sandbox --example partner_flow
cargo run -q -p lean-sandbox --example openbanking_flow
