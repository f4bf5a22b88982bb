#!/usr/bin/env bash
# Release build for Android (needs the Android NDK r27+ and cargo-ndk; not run on this
# machine): builds liblean_sdk_mobile.so for every ABI with 16 KiB page alignment (required
# on Android 15+ devices with 16 KiB pages), generates the Kotlin bindings in their Android
# flavour, and lays out an AAR: the Kotlin classes from the Maven build plus jni/<abi>/*.so.
#
# Usage: ANDROID_NDK_HOME=... bindings-mobile/scripts/build-android.sh [OUT_DIR]  (default: dist/android)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$repo/dist/android}
target_dir=${CARGO_TARGET_DIR:-$repo/target}
: "${ANDROID_NDK_HOME:?set ANDROID_NDK_HOME to the Android NDK (r27 or newer)}"
cd "$repo"

command -v cargo-ndk >/dev/null || cargo install cargo-ndk
rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android i686-linux-android

rm -rf "$out"
mkdir -p "$out/aar/jni" "$out/kotlin"
# 16 KiB alignment of every LOAD segment: NDK r27 does it by default for arm64/x86_64; the
# flag makes it explicit for every ABI and every NDK.
RUSTFLAGS="${RUSTFLAGS:-} -C link-arg=-Wl,-z,max-page-size=16384" \
  cargo ndk -t arm64-v8a -t armeabi-v7a -t x86_64 -t x86 --platform 24 -o "$out/aar/jni" \
  build -p lean-sdk-mobile --release

# Check the alignment: every LOAD segment must be aligned to 2**14 or more.
for so in "$out"/aar/jni/*/liblean_sdk_mobile.so; do
  for align in $("$ANDROID_NDK_HOME"/toolchains/llvm/prebuilt/*/bin/llvm-readelf -lW "$so" | awk '$1 == "LOAD" { print $NF }'); do
    if (( align < 16384 )); then
      echo "not 16 KiB aligned ($align): $so" >&2
      exit 1
    fi
  done
  echo "16 KiB aligned: $so"
done

# Kotlin bindings, Android flavour (android = true uses the Android cleaner, no JNA
# resource loading: the .so files come from jni/). A global config: its [defaults] go under
# each crate's own uniffi.toml (this crate's and the core's records, each with its package).
cargo build -p uniffi-bindgen
cat > "$out/uniffi-android.toml" <<'TOML'
[defaults.bindings.kotlin]
android = true
TOML
"$target_dir/debug/uniffi-bindgen" generate --library "$out/aar/jni/arm64-v8a/liblean_sdk_mobile.so" \
  --language kotlin --config "$out/uniffi-android.toml" --out-dir "$out/kotlin"

cat > "$out/aar/AndroidManifest.xml" <<'XML'
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="lean.sdk">
    <uses-sdk android:minSdkVersion="24" />
    <uses-permission android:name="android.permission.INTERNET" />
</manifest>
XML
# R8 must keep JNA's classes and the generated bindings, which JNA reaches by reflection.
cat > "$out/aar/proguard.txt" <<'PRO'
-keep class com.sun.jna.** { *; }
-keep class lean.sdk.ffi.** { *; }
PRO
cat <<MSG
wrote $out:
  aar/jni/<abi>/liblean_sdk_mobile.so   native libraries, 16 KiB aligned
  aar/AndroidManifest.xml
  aar/proguard.txt                      keep rules for consumers (JNA, the bindings)
  kotlin/                               generated bindings (Android flavour)
Compile kotlin/ with bindings-mobile/kotlin/src/main/kotlin into classes.jar (JNA's AAR,
net.java.dev.jna:jna:5.17.0@aar, and kotlinx-coroutines-android as dependencies), put it
in aar/, then: (cd $out/aar && zip -r ../lean-sdk.aar .)
MSG
