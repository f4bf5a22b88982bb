#!/usr/bin/env bash
# Sandbox tests: the lean-sandbox unit tests, the end-to-end tests over real
# HTTP (partner flow, API rules, webhooks; open banking with OAuth, async
# results, signed webhooks and retries; the mTLS listener with generated
# certificates), the safe-server rules (loopback Host, same-origin JSON
# admin routes, no followed redirects, purges, paging), the fault run of
# both APIs (rows stored against calls reported), the reliability test (1,000
# payouts under 30% injected faults, exactly once), the restart test, the
# conformance scenarios against `lean-sandbox hostile` (tests/conformance/), the
# core quickstart against a live sandbox (when it exists), and a bounded
# schemathesis run per API against the OpenAPI document (no 5xx, no schema
# violation). Installs schemathesis in a venv outside the repository.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

cache="${LEAN_CACHE:-$HOME/.cache/lean-sdk}"
target="${CARGO_TARGET_DIR:-target}"
mkdir -p "$cache"

step "sandbox: build"
cargo build -p lean-sandbox --bins --examples
binary="$target/debug/lean-sandbox"
[ -x "$binary" ] || die "no sandbox binary at $binary"

step "sandbox: unit, end-to-end (payouts, open banking, mTLS), reliability, restart and conformance tests"
cargo test -p lean-sandbox -- --nocapture

if [ -f core/examples/quickstart.rs ]; then
  step "sandbox: core quickstart against the sandbox"
  serve_sandbox "$binary" --api-key sk_test_quickstart --approval-delay 100ms --settlement-delay 100ms
  LEAN_BASE_URL="$SANDBOX_URL/api" LEAN_API_KEY=sk_test_quickstart \
    cargo run -q -p lean-core --example quickstart
fi

step "sandbox: schemathesis against /openapi.json"
venv="$cache/schemathesis-venv"
if [ ! -x "$venv/bin/st" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q schemathesis
fi
serve_sandbox "$binary" --api-key sk_test_schema --approval-delay 100ms --settlement-delay 100ms
# One document describes both APIs; each has its own credential, so each
# gets its own run. --seed keeps the runs repeatable; the bounds keep each
# under a minute.
schemathesis() {
  local name="$1"
  shift
  if ! (cd "$cache" && "$venv/bin/st" run "$SANDBOX_URL/openapi.json" --url "$SANDBOX_URL" \
    --seed 20261123 --max-examples 30 --workers 1 --no-color \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
    "$@" | tail -n 25); then
    die "schemathesis found a 5xx or a schema violation in the $name API (see above)"
  fi
}
schemathesis payouts --include-path-regex '^/api/' --auth sk_test_schema:
# Open banking: a bearer token of scope api from the sandbox's own token
# endpoint (the default client credentials).
token=$(curl -fsS "$SANDBOX_URL/oauth2/token" \
  --data 'client_id=sandbox-client-id&client_secret=sandbox-client-secret&grant_type=client_credentials&scope=api' |
  sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || die "the sandbox issued no open-banking access token"
schemathesis "open-banking" --exclude-path-regex '^/api/' -H "Authorization: Bearer $token"
step "sandbox: all tests passed"
