"""Benchmark of paying a file (results in BENCHMARKS.md, "Python: paying a
file"). Not a test: nothing here asserts a figure.

A file of 5,000 rows (two gigs for each special payment, 20 customers) is
paid at concurrency 16 against the release sandbox, by
``lean_sdk.batch.pay_file_async`` (validation of every row, the SQLite
journal, the core's call engine, the shared back-off) and, side by side,
by a bare ``httpx.AsyncClient`` loop sending the same requests, built
beforehand, with the same concurrency (a semaphore over one client). Each
measurement gets a fresh sandbox holding the same customers. The figure
to read is the ratio of the two throughputs, median of the rounds (each
round measures both, one right after the other); on a shared, loaded
machine the client's CPU time per row (``time.process_time``: the
sandbox's work is not in it) is given too, being less sensitive to the
scheduling of other processes.

The sandbox does not count connections; they are counted with ``ss``:
every TCP socket on the sandbox's port (established, or in TIME_WAIT after
a close, which lasts a minute) names one client port, and the client
ports that appear during the run are the connections the sandbox accepted.

Usage: python bench/batch.py [--rows N] [--concurrency C] [--rounds R] [--sandbox PATH] [--same-pool]
(default sandbox: target/release/lean-sandbox; build it with
``cargo build --release -p lean-sandbox``).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import csv
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, List, Set, Tuple

import httpx

import lean_sdk
from lean_sdk.batch import pay_file_async, read_file
from lean_sdk.batch.file import GIG

ROOT = Path(__file__).resolve().parents[2]
API_KEY = "bench_key"
COLUMNS = ["kind", "gigId", "partnerUserId", "totalAmount", "tips", "expenses", "amount", "type", "description",
           "startTime", "endTime"]


class Sandbox:
    """A fresh release sandbox, in memory unless ``options`` say otherwise
    (``--db``, faults), logging off."""

    def __init__(self, binary: Path, *options: str) -> None:
        self.process = subprocess.Popen(
            [str(binary), "serve", "--port", "0", "--api-key", API_KEY, "--approval-delay", "10ms", "--quiet",
             *options],
            stdout=subprocess.PIPE, text=True,
        )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip().removeprefix("listening on ")
        self.port = int(self.url.rsplit(":", 1)[1])
        self.base_url = self.url + "/api"

    def client_ports(self) -> Set[int]:
        """The client side of every TCP socket on the sandbox's port."""
        listing = subprocess.run(["ss", "-tanH"], capture_output=True, text=True, check=True).stdout
        ports = set()
        for line in listing.splitlines():
            fields = line.split()
            if len(fields) < 5 or fields[0] == "LISTEN":
                continue
            local, peer = int(fields[3].rsplit(":", 1)[1]), int(fields[4].rsplit(":", 1)[1])
            if peer == self.port:
                ports.add(local)
            elif local == self.port:
                ports.add(peer)
        return ports

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def add_customers(base_url: str, uids: List[str]) -> None:
    client = lean_sdk.LeanClient(API_KEY, base_url=base_url)
    for n, uid in enumerate(uids):
        client.create_customer(
            partner_user_id=uid, first_name="Jane", last_name="Doe", birthday="1980-12-31",
            phone_number=f"408555{n:04d}", email=f"{uid}@example.com", street="700 Treehouse Drive",
            city="San Jose", state="CA", postal_code="95101", registration_date="2020-01-01",
        )
        client.submit_application(uid)
    for uid in uids:
        while client.get_customer(uid).status != "ACTIVE":
            time.sleep(0.02)


def write_file(path: Path, uids: List[str], rows: int) -> None:
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, COLUMNS)
        writer.writeheader()
        for n in range(rows):
            uid = uids[n % len(uids)]
            if n % 3 == 2:
                writer.writerow({"kind": "special_payment", "partnerUserId": uid, "amount": "5.25", "type": "bonus",
                                 "description": f"bench row {n}"})
            else:
                writer.writerow({"kind": "gig", "gigId": f"bench-{n}-{uuid.uuid4().hex[:8]}", "partnerUserId": uid,
                                 "totalAmount": "15.00", "tips": "3.00", "expenses": "2.00",
                                 "description": f"bench row {n}", "startTime": "2021-03-01T21:04:04",
                                 "endTime": "2021-03-01T21:31:05"})


def prebuilt_requests(path: Path, base_url: str) -> List[Tuple[str, Dict[str, str], str]]:
    """The requests the batch sends, built before the clock starts: the
    same bodies (from the core), the same idempotency keys."""
    auth = "Basic " + base64.b64encode(f"{API_KEY}:".encode()).decode()
    requests = []
    for row in read_file(path).rows:
        headers = {"authorization": auth, "content-type": "application/json", "accept": "application/json"}
        if row.kind == GIG:
            body = lean_sdk.validate("createGig", row.fields)
            url = base_url + "/gig"
        else:
            body = lean_sdk.validate("createSpecialPayment", row.fields, idempotency_key=row.idempotency_key)
            headers["idempotency-key"] = str(row.idempotency_key)
            url = base_url + "/specialpayment"
        requests.append((url, headers, body))
    return requests


async def bare_httpx(requests: List[Tuple[str, Dict[str, str], str]], concurrency: int, same_pool: bool) -> float:
    """Seconds to send every request through one httpx.AsyncClient (with
    ``same_pool``, limited to the batch's pool: as many connections as
    calls in flight, kept open)."""
    limit = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency, keepalive_expiry=60.0)
    async with httpx.AsyncClient(timeout=30.0, **({"limits": limits} if same_pool else {})) as client:
        async def send(url: str, headers: Dict[str, str], body: str) -> None:
            async with limit:
                answer = await client.post(url, headers=headers, content=body)
                assert answer.status_code == 200, answer.text

        started = time.perf_counter()
        await asyncio.gather(*(send(*request) for request in requests))
        return time.perf_counter() - started


async def batch(path: Path, base_url: str, concurrency: int) -> float:
    """Seconds for ``pay_file_async`` to pay the file, journal included."""
    started = time.perf_counter()
    result = await pay_file_async(path, API_KEY, base_url=base_url, concurrency=concurrency, progress=False,
                                  journal=path.with_name(f"{path.name}.{uuid.uuid4().hex}.journal"))
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.summary()
    return elapsed


def measure(kind: str, binary: Path, uids: List[str], path: Path, concurrency: int, same_pool: bool) -> Tuple[float, float, int]:
    """(seconds, CPU seconds of this process, connections) of one run on a
    fresh sandbox."""
    server = Sandbox(binary)
    try:
        add_customers(server.base_url, uids)
        before = server.client_ports()
        requests = prebuilt_requests(path, server.base_url) if kind == "bare" else []
        cpu = time.process_time()
        if kind == "bare":
            seconds = asyncio.run(bare_httpx(requests, concurrency, same_pool))
        else:
            seconds = asyncio.run(batch(path, server.base_url, concurrency))
        return seconds, time.process_time() - cpu, len(server.client_ports() - before)
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sandbox", type=Path, default=ROOT / "target" / "release" / "lean-sandbox")
    parser.add_argument("--same-pool", action="store_true",
                        help="limit the bare loop's pool as the batch's is (httpx's default opens more connections)")
    args = parser.parse_args()
    if not args.sandbox.exists():
        sys.exit(f"no sandbox at {args.sandbox}: cargo build --release -p lean-sandbox")
    uids = [f"bench_{random.randrange(16**8):08x}_{n}" for n in range(20)]
    figures: Dict[str, List[Tuple[float, float, int]]] = {"bare": [], "batch": []}
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "payouts.csv"
        write_file(path, uids, args.rows)
        for round_number in range(args.rounds):
            for kind in ("bare", "batch"):
                seconds, cpu, connections = measure(kind, args.sandbox, uids, path, args.concurrency, args.same_pool)
                figures[kind].append((seconds, cpu, connections))
                print(f"round {round_number + 1} {kind:5}: {args.rows / seconds:7.0f} rows/s ({seconds:.2f} s), "
                      f"CPU {cpu / args.rows * 1000:.2f} ms/row, {connections} connections", flush=True)
    rows = args.rows
    ratios = [b[0] / p[0] for b, p in zip(figures["bare"], figures["batch"])]
    print(f"\n{rows} rows at concurrency {args.concurrency}, {args.rounds} rounds:")
    for kind, name in (("bare", "bare httpx.AsyncClient loop"), ("batch", "lean_sdk.batch")):
        rate = statistics.median(rows / s for s, _, _ in figures[kind])
        cpu = statistics.median(c / rows * 1000 for _, c, _ in figures[kind])
        print(f"  {name:28} median {rate:5.0f} rows/s, CPU {cpu:.2f} ms/row, "
              f"connections {sorted({c for _, _, c in figures[kind]})}")
    cpu_ratio = statistics.median(b[1] / p[1] for b, p in zip(figures["bare"], figures["batch"]))
    print(f"  throughput ratio: median {statistics.median(ratios):.2f}x (rounds: {', '.join(f'{r:.2f}' for r in ratios)})")
    print(f"  CPU per row ratio (bare / batch): median {cpu_ratio:.2f}x")

if __name__ == "__main__":
    main()
