#!/usr/bin/env bash
# Builds the Rust library and generates its Kotlin or Swift bindings from
# the compiled library (uniffi library mode), with the workspace's pinned
# uniffi-bindgen. The Maven build calls this (its output is not committed),
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
"$target/debug/uniffi-bindgen" generate --library "$lib" --language "$language" \
  --out-dir "$out" --no-format >/dev/null
if [ -n "$lib_copy" ]; then
  mkdir -p "$lib_copy"
  cp "$lib" "$lib_copy/"
fi
