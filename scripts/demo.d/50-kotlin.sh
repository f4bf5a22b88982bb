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
out=$(mktemp)
"$sandbox" serve --port 0 --api-key "$key" --webhook-secret "$secret" \
  --approval-delay 1s --settlement-delay 1s --quiet > "$out" &
pid=$!
trap 'kill "$pid" 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do grep -q '^listening on ' "$out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$out" | head -n 1)
[ -n "$url" ] || die "the sandbox did not start"
echo "sandbox at $url"
cd bindings-mobile/kotlin
LEAN_BASE_URL=$url LEAN_API_KEY=$key LEAN_WEBHOOK_SECRET=$secret \
  mvn -B -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=lean.sdk.demo.PartnerFlowKt
