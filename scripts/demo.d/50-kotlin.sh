#!/usr/bin/env bash
# The partner flow in Kotlin (bindings-mobile/kotlin/src/test/kotlin/lean/sdk/demo/PartnerFlow.kt)
# against a fresh local sandbox, through the JVM package built from source: LeanClient over
# HttpURLConnection, webhooks verified with Webhooks.Verifier. Installs Maven and a JDK like
# scripts/test.d/50-kotlin.sh, and shares its caches (~/.m2, the cargo target directory).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

command -v cargo >/dev/null || die "cargo is missing: install Rust with rustup (https://rustup.rs)"
if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
  step "installing Maven and a JDK (Debian)"
  apt-get update -qq && apt-get install -y -qq maven openjdk-17-jdk-headless >/dev/null
fi
cargo build -q -p lean-sandbox
sandbox="${CARGO_TARGET_DIR:-$PWD/target}/debug/lean-sandbox"

key=demo_key_kotlin
secret=demo_webhook_secret_kotlin
serve_sandbox "$sandbox" --api-key "$key" --webhook-secret "$secret" \
  --approval-delay 1s --settlement-delay 1s
echo "sandbox at $SANDBOX_URL"
cd bindings-mobile/kotlin
LEAN_BASE_URL=$SANDBOX_URL LEAN_API_KEY=$key LEAN_WEBHOOK_SECRET=$secret \
  mvn -B -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=lean.sdk.demo.PartnerFlowKt
