#!/usr/bin/env bash
# Builds the Rust library and generates its Kotlin or Swift bindings from
# the compiled library (uniffi library mode), with the workspace's pinned
# uniffi-bindgen: those of this crate and of the core's records (lean-core's
# feature `uniffi`), which the library exports too. The Maven build calls this (its output is not committed),
# and swift-bindings.sh, which writes or checks the Swift package's committed
# copies.
#
# Usage: generate.sh kotlin|swift OUT_DIR [LIB_COPY_DIR]
#   OUT_DIR       where the generated sources go
#   LIB_COPY_DIR  where to copy the built .so (optional)
# Env: CARGO_TARGET_DIR (default: <repo>/target), LEAN_MOBILE_PROFILE
#      (release by default: the benchmarks measure this build).
set -euo pipefail
language=$1
out=$2
lib_copy=${3:-}
repo=$(cd "$(dirname "$0")/../.." && pwd)
profile=${LEAN_MOBILE_PROFILE:-release}
target=${CARGO_TARGET_DIR:-$repo/target}
case $(uname -s) in
  Darwin) lib_name=liblean_sdk_mobile.dylib ;;
  *) lib_name=liblean_sdk_mobile.so ;;
esac
cd "$repo"
cargo build --quiet -p lean-sdk-mobile --profile "$profile"
cargo build --quiet -p uniffi-bindgen
dir=$profile
[ "$profile" = dev ] && dir=debug
lib="$target/$dir/$lib_name"
rm -rf "$out"
mkdir -p "$out"
if [ "$language" = swift ]; then
  # Both crates' bindings go into one Swift module (LeanSDK), whose source file each would
  # name LeanSDK.swift: one crate at a time, the core's records as LeanSDKCore.swift.
  for crate in lean_sdk_mobile lean_core; do
    "$target/debug/uniffi-bindgen" generate --library "$lib" --language swift --crate "$crate" \
      --out-dir "$out/$crate" --no-format >/dev/null
  done
  mv "$out/lean_core/LeanSDK.swift" "$out/LeanSDKCore.swift"
  mv "$out"/lean_sdk_mobile/* "$out"/lean_core/* "$out/"
  rmdir "$out/lean_sdk_mobile" "$out/lean_core"
else
  "$target/debug/uniffi-bindgen" generate --library "$lib" --language "$language" \
    --out-dir "$out" --no-format >/dev/null
fi
if [ -n "$lib_copy" ]; then
  mkdir -p "$lib_copy"
  cp "$lib" "$lib_copy/"
fi
