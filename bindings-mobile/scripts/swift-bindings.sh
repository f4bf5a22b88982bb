#!/usr/bin/env bash
# The Swift package's generated sources, committed so that SwiftPM builds the package from a
# plain clone (a package added by URL runs no build script): the uniffi bindings
# (swift/Sources/LeanSDK/Generated/: LeanSDK.swift, and LeanSDKCore.swift for the core's
# records), and the C headers and module map of the library's C module
# (swift/Sources/LeanSDKFFI/). They are generated from the compiled
# library (generate.sh), so they change whenever the Rust side's exported API does.
#
# Usage: bindings-mobile/scripts/swift-bindings.sh [--check] [LIB_COPY_DIR]
#   (none)        rewrite the committed files from the library
#   --check       write nothing; fail, naming the files, when they differ from the library's
#   LIB_COPY_DIR  where to copy the built .so (optional, as generate.sh)
set -euo pipefail
check=
if [ "${1:-}" = --check ]; then
  check=1
  shift
fi
scripts=$(cd "$(dirname "$0")" && pwd)
sources=$scripts/../swift/Sources
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$scripts/generate.sh" swift "$tmp/out" "${1:-}"
mkdir -p "$tmp/tree/LeanSDK/Generated" "$tmp/tree/LeanSDKFFI"
# Two crates' bindings in one module: this crate's, and the core's records (LeanSDKCore.swift,
# whose C declarations are a second header of the same C module).
for f in LeanSDK LeanSDKCore; do
  cp "$tmp/out/$f.swift" "$tmp/tree/LeanSDK/Generated/$f.swift"
done
for f in LeanSDKFFI LeanSDKCoreFFI; do
  cp "$tmp/out/$f.h" "$tmp/tree/LeanSDKFFI/$f.h"
done
# The C module links the shared library by name: on Linux it is found through -L (or the
# system's library path); Apple platforms use the XCFramework's own module map instead.
cat > "$tmp/tree/LeanSDKFFI/module.modulemap" <<'MAP'
module LeanSDKFFI {
    header "LeanSDKFFI.h"
    header "LeanSDKCoreFFI.h"
    link "lean_sdk_mobile"
    export *
}
MAP
files=(LeanSDK/Generated/LeanSDK.swift LeanSDK/Generated/LeanSDKCore.swift
  LeanSDKFFI/LeanSDKFFI.h LeanSDKFFI/LeanSDKCoreFFI.h LeanSDKFFI/module.modulemap)
if [ -n "$check" ]; then
  stale=()
  for f in "${files[@]}"; do
    cmp -s "$tmp/tree/$f" "$sources/$f" || stale+=("bindings-mobile/swift/Sources/$f")
  done
  if [ ${#stale[@]} -gt 0 ]; then
    for f in "${stale[@]}"; do
      diff -u "$sources/${f#bindings-mobile/swift/Sources/}" "$tmp/tree/${f#bindings-mobile/swift/Sources/}" | head -n 20 >&2 || true
    done
    echo "error: the committed Swift bindings differ from the library's: ${stale[*]}" >&2
    echo "refresh them with: bindings-mobile/scripts/swift-bindings.sh (then commit them)" >&2
    exit 1
  fi
else
  for f in "${files[@]}"; do
    mkdir -p "$(dirname "$sources/$f")"
    cp "$tmp/tree/$f" "$sources/$f"
  done
fi
