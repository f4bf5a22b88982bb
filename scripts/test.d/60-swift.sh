#!/usr/bin/env bash
# Swift package (bindings-mobile/swift): builds the Rust library, generates the Swift
# bindings and C header from it (uniffi library mode), then runs `swift test` (XCTest) in a
# Debian trixie chroot with Debian's Swift 6, set up once outside the repository: every
# shared vector, the error contract, and the partner flow against the local sandbox.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
repo=$PWD
pkg=$repo/bindings-mobile/swift

step "Swift toolchain (chroot)"
root=$(bindings-mobile/scripts/swift-chroot.sh)

step "building the library and the sandbox, generating the Swift bindings"
cargo build --quiet -p lean-sandbox
gen=$(mktemp -d)
trap 'rm -rf "$gen"' EXIT
bindings-mobile/scripts/generate.sh swift "$gen" "$pkg/lib"
mkdir -p "$pkg/Sources/LeanSDK/Generated" "$pkg/Sources/LeanSDKFFI"
cp "$gen/LeanSDK.swift" "$pkg/Sources/LeanSDK/Generated/LeanSDK.swift"
cp "$gen/LeanSDKFFI.h" "$pkg/Sources/LeanSDKFFI/LeanSDKFFI.h"
cat > "$pkg/Sources/LeanSDKFFI/module.modulemap" <<'MAP'
module LeanSDKFFI {
    header "LeanSDKFFI.h"
    link "lean_sdk_mobile"
    export *
}
MAP
cp "${CARGO_TARGET_DIR:-$repo/target}/debug/lean-sandbox" "$pkg/lib/lean-sandbox"

step "swift test (in the chroot)"
mkdir -p "$root/repo" "$root/dev"
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
mount --bind "$repo" "$root/repo"
mountpoint -q "$root/dev" || mount --bind /dev "$root/dev"
trap 'umount "$root/repo" 2>/dev/null || true; rm -rf "$gen"' EXIT
rel=${pkg#"$repo"/}
chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin \
  LD_LIBRARY_PATH="/repo/$rel/lib" LEAN_SANDBOX="/repo/$rel/lib/lean-sandbox" \
  bash -c "cd /repo/$rel && timeout ${LEAN_SWIFT_TIMEOUT:-900} swift test -Xlinker -L/repo/$rel/lib ${LEAN_SWIFT_TEST_ARGS:-} 2>&1"
