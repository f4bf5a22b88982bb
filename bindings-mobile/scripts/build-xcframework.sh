#!/usr/bin/env bash
# Release build for Apple platforms (needs macOS with Xcode; not runnable on Linux):
# builds the Rust library as a static library for iOS devices, the iOS simulator (arm64 +
# x86_64) and macOS (arm64 + x86_64), generates the Swift bindings, wraps everything in
# LeanSDKFFI.xcframework, and writes a release package (dist/swift/) whose Package.swift uses
# it as a binary target next to the hand-written Swift sources.
#
# Usage: bindings-mobile/scripts/build-xcframework.sh [OUT_DIR]   (default: dist/swift)
set -euo pipefail
[ "$(uname -s)" = Darwin ] || { echo "build-xcframework.sh needs macOS with Xcode" >&2; exit 1; }
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$repo/dist/swift}
target_dir=${CARGO_TARGET_DIR:-$repo/target}
cd "$repo"

targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin)
rustup target add "${targets[@]}"
for t in "${targets[@]}"; do
  # staticlib: an XCFramework of static libraries needs no embedding or code signing.
  cargo rustc -p lean-sdk-mobile --release --target "$t" --crate-type staticlib
done

gen=$(mktemp -d)
trap 'rm -rf "$gen"' EXIT
cargo build -p uniffi-bindgen
# This crate's bindings and the core's records (as generate.sh: one crate at a time, since
# both are the Swift module LeanSDK).
for crate in lean_sdk_mobile lean_core; do
  "$target_dir/debug/uniffi-bindgen" generate --library "$target_dir/aarch64-apple-darwin/release/liblean_sdk_mobile.a" \
    --language swift --crate "$crate" --out-dir "$gen/$crate"
done
mv "$gen/lean_core/LeanSDK.swift" "$gen/LeanSDKCore.swift"
mv "$gen/lean_sdk_mobile/LeanSDK.swift" "$gen/LeanSDK.swift"

# One headers directory shared by every slice: uniffi's C headers and their module map.
mkdir -p "$gen/headers"
cp "$gen/lean_sdk_mobile/LeanSDKFFI.h" "$gen/lean_core/LeanSDKCoreFFI.h" "$gen/headers/"
cat > "$gen/headers/module.modulemap" <<'MAP'
module LeanSDKFFI {
    header "LeanSDKFFI.h"
    header "LeanSDKCoreFFI.h"
    export *
}
MAP

lib=liblean_sdk_mobile.a
mkdir -p "$gen/ios-sim" "$gen/macos"
lipo -create "$target_dir/aarch64-apple-ios-sim/release/$lib" "$target_dir/x86_64-apple-ios/release/$lib" \
  -output "$gen/ios-sim/$lib"
lipo -create "$target_dir/aarch64-apple-darwin/release/$lib" "$target_dir/x86_64-apple-darwin/release/$lib" \
  -output "$gen/macos/$lib"

rm -rf "$out"
mkdir -p "$out/Sources/LeanSDK"
xcodebuild -create-xcframework \
  -library "$target_dir/aarch64-apple-ios/release/$lib" -headers "$gen/headers" \
  -library "$gen/ios-sim/$lib" -headers "$gen/headers" \
  -library "$gen/macos/$lib" -headers "$gen/headers" \
  -output "$out/LeanSDKFFI.xcframework"

cp "$gen/LeanSDK.swift" "$gen/LeanSDKCore.swift" "$out/Sources/LeanSDK/"
cp bindings-mobile/swift/Sources/LeanSDK/*.swift "$out/Sources/LeanSDK/"
cat > "$out/Package.swift" <<'SWIFT'
// swift-tools-version:5.9
// Release package of the Lean SDK: the Rust core as an XCFramework binary target.
import PackageDescription

let package = Package(
    name: "LeanSDK",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [.library(name: "LeanSDK", targets: ["LeanSDK"])],
    targets: [
        .binaryTarget(name: "LeanSDKFFI", path: "LeanSDKFFI.xcframework"),
        .target(name: "LeanSDK", dependencies: ["LeanSDKFFI"], path: "Sources/LeanSDK"),
    ]
)
SWIFT
echo "wrote $out (Package.swift + LeanSDKFFI.xcframework); zip it and publish its checksum"
echo "(swift package compute-checksum) to serve it as a remote binary target"
