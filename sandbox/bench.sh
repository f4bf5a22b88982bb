#!/usr/bin/env bash
# Throughput of the sandbox on loopback with wrk: GET /api/customer/:id and
# POST /api/gig (a new gigId per request), the open-banking GET
# /customers/v1/:id and POST /data/v1/transactions, release build, logging
# off, in-memory state. Prints wrk's report (requests/s and latency
# percentiles), then new mutual-TLS connections per second with
# `openssl s_time` (TLS 1.3 and 1.2, a full handshake and one request each).
# Usage: sandbox/bench.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

duration="${1:-10}"
connections="${2:-32}"
target="${CARGO_TARGET_DIR:-target}"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
step "bench: release build"
cargo build -q --release -p lean-sandbox
binary="$target/release/lean-sandbox"

key=sk_bench
out=$(mktemp)
certs=$(mktemp -d)
"$binary" serve --port 0 --api-key "$key" --approval-delay 10ms --settlement-delay 1s --quiet \
  --tls-port 0 --tls-dir "$certs" >"$out" &
pid=$!
lua=$(mktemp --suffix .lua)
trap 'kill $pid 2>/dev/null || true; rm -rf "$out" "$lua" "$certs"' EXIT
for _ in $(seq 1 100); do grep -q '^listening on ' "$out" && break; sleep 0.05; done
url="$(sed -n 's/^listening on //p' "$out")/api"
mtls="$(sed -n 's/^listening (mTLS) on https:\/\///p' "$out")"
[ -n "$url" ] || die "the sandbox did not start"
auth="Authorization: Basic $(printf '%s:' "$key" | base64)"

curl -sf -H "$auth" -H 'content-type: application/json' "$url/customer" -d '{
  "firstName": "Jane", "lastName": "Doe", "birthday": "1980-12-31", "phoneNumber": "4085008000",
  "email": "bench@example.com", "street": "700 Treehouse Drive", "city": "San Jose", "state": "CA",
  "postalCode": "95101", "partnerUserId": "uid_bench", "registrationDate": "2020-01-01"}' >/dev/null
curl -sf -H "$auth" -H 'content-type: application/json' "$url/application" -d '{"partnerUserId": "uid_bench"}' >/dev/null
sleep 0.5

step "bench: GET /api/customer/:id ($duration s, $connections connections, 2 threads)"
wrk -t2 -c"$connections" -d"${duration}s" --latency -H "$auth" "$url/customer/uid_bench"

cat >"$lua" <<'LUA'
-- wrk.format's headers replace the -H ones, so the key comes from the environment.
local counter = 0
local auth = os.getenv("LEAN_BENCH_AUTH")
function setup(thread)
  thread:set("prefix", tostring(math.random(1, 1e9)))
end
function request()
  counter = counter + 1
  local body = '{"partnerUserId":"uid_bench","totalAmount":"15.00","tips":"3.00","expenses":"2.00",'
    .. '"description":"bench","gigId":"g' .. prefix .. '_' .. counter .. '",'
    .. '"startTime":"2021-03-01T21:04:04Z","endTime":"2021-03-01T21:31:05Z"}'
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = auth}, body)
end
LUA
step "bench: POST /api/gig ($duration s, $connections connections, 2 threads)"
LEAN_BENCH_AUTH="${auth#Authorization: }" wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$lua" "$url/gig"
# The list is paged; x-total-count counts every gig.
gigs=$(curl -sf -o /dev/null -D - -H "$auth" "$url/gig?limit=1" | tr -d '\r' | sed -n 's/^x-total-count: //Ip')
echo "gigs stored: $gigs"

ob="${url%/api}"
token='lean-app-token: sandbox-app-token'
customer=$(curl -sf -H "$token" "$ob/customers/v1/" -d '{"app_user_id": "bench"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["customer_id"])')
read -r entity account < <(curl -sf -X POST "$ob/_sandbox/openbanking/customers/$customer/entities" |
  python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["id"], d["accounts"][0]["account_id"])')
step "bench: GET /customers/v1/:id ($duration s, $connections connections, 2 threads)"
wrk -t2 -c"$connections" -d"${duration}s" --latency -H "$token" "$ob/customers/v1/$customer"
cat >"$lua" <<LUA
wrk.method = "POST"
wrk.body = '{"entity_id":"$entity","account_id":"$account","async":false}'
wrk.headers["content-type"] = "application/json"
wrk.headers["lean-app-token"] = "sandbox-app-token"
LUA
step "bench: POST /data/v1/transactions ($duration s, $connections connections, 2 threads)"
wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$lua" "$ob/data/v1/transactions"

for version in -tls1_3 -tls1_2; do
  step "bench: new mTLS connections, openssl s_time $version ($duration s, one client)"
  openssl s_time -connect "$mtls" -cert "$certs/client.pem" -key "$certs/client.key" \
    -CAfile "$certs/ca.pem" -new -time "$duration" -www /customers/v1 "$version" 2>&1 | tail -n 2
done
