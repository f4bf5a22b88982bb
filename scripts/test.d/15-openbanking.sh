#!/usr/bin/env bash
# Open banking in the core (lean_core::openbanking): the shared vectors of
# tests/vectors/openbanking/ (checked against their generator; tokens.json by its own runner), the unit
# tests, the no-panic property tests and the module's documented example. Needs cargo and python3.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

ensure_rust_components
command -v python3 >/dev/null || die "python3 is needed to check the vectors against generate.py"

step "openbanking: vectors are what generate.py writes"
python3 tests/vectors/openbanking/generate.py --check

step "openbanking: vectors, unit and property tests"
cargo test -p lean-core --test openbanking_vectors
cargo test -p lean-core --test openbanking_tokens
cargo test -p lean-core --lib openbanking::
cargo test -p lean-core --doc openbanking

step "openbanking: format and lints of lean-core"
cargo fmt -p lean-core -- --check
cargo clippy -p lean-core --all-targets -- -D warnings
