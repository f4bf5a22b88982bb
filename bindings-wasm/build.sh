#!/usr/bin/env bash
# Builds the npm package lean-sdk into npm/dist/: one release compile of this
# crate for wasm32 (and one of openbanking/, the lean-sdk/openbanking
# module), the JS glue from the wasm-bindgen CLI pinned in Cargo.toml, an
# optional wasm-opt pass (to a fixed point, custom sections the runtime never reads
# stripped; told that memory starts zeroed, as a freshly instantiated module's
# does, and that no address below 1024 is used, as none is: Rust's stack
# grows down toward it from 1 MiB), the declarations and error-code table generated
# from the core's definitions (boundary/examples/declarations.rs, run
# natively), then the JS bundles (npm/build.mjs).
# Expects the toolchain that scripts/test.d/30-node.sh installs.
set -euo pipefail
cd "$(dirname "$0")"
target_dir=${CARGO_TARGET_DIR:-../target}
cargo build -p lean-sdk-wasm --target wasm32-unknown-unknown --profile wasm-release
wasm-bindgen --target web --out-dir npm/pkg --out-name lean_sdk_wasm --no-typescript \
  "$target_dir/wasm32-unknown-unknown/wasm-release/lean_sdk_wasm.wasm"
wasm_opt=npm/node_modules/.bin/wasm-opt
if [ -x "$wasm_opt" ]; then
  "$wasm_opt" -Oz --converge --zero-filled-memory --low-memory-unused --strip-producers --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    -o npm/pkg/lean_sdk_wasm_bg.wasm npm/pkg/lean_sdk_wasm_bg.wasm
fi
# The open-banking module (lean-sdk/openbanking): a second .wasm, so that
# payouts and webhook users never download or instantiate it.
cargo build -p lean-sdk-wasm-openbanking --target wasm32-unknown-unknown --profile wasm-release-openbanking
wasm-bindgen --target web --out-dir npm/pkg --out-name lean_sdk_wasm_openbanking --no-typescript \
  "$target_dir/wasm32-unknown-unknown/wasm-release-openbanking/lean_sdk_wasm_openbanking.wasm"
if [ -x "$wasm_opt" ]; then
  "$wasm_opt" -Oz --converge --zero-filled-memory --low-memory-unused --strip-producers --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    -o npm/pkg/lean_sdk_wasm_openbanking_bg.wasm npm/pkg/lean_sdk_wasm_openbanking_bg.wasm
fi
cargo run -q -p lean-sdk-wasm-boundary --features declarations --example declarations -- npm/pkg
(cd npm && node build.mjs)
