"""Exactly once at scale (results in BENCHMARKS.md, "Python: paying a file").
Not a test: it reports what it finds and exits non-zero on a duplicate or a
lost row, so that it can be run by hand against a release sandbox.

A file of 5,000 rows (two gigs for each special payment) is paid by the
command a user runs (``python -m lean_sdk pay``) against a sandbox that
drops 30% of connections after committing the request; the command is
killed with SIGKILL when half the rows are done, then run again until it
settles. The sandbox's records are then compared with the report: every
row reported paid stored exactly once, nothing stored that is not reported.

Usage: python bench/crash.py [--rows N] [--drop P] [--sandbox PATH]
(default sandbox: target/release/lean-sandbox).
"""

from __future__ import annotations

import argparse
import base64
import collections
import csv
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Dict, List

from lean_sdk.batch import EXIT_UNKNOWN

from batch import API_KEY, ROOT, Sandbox, add_customers, write_file


def every_record(base_url: str, path: str) -> List[Dict[str, Any]]:
    auth = "Basic " + base64.b64encode(f"{API_KEY}:".encode()).decode()
    records: List[Dict[str, Any]] = []
    while True:
        request = urllib.request.Request(f"{base_url}{path}?limit=1000&offset={len(records)}",
                                         headers={"authorization": auth})
        with urllib.request.urlopen(request, timeout=30) as answer:
            page = json.loads(answer.read())
        if not page:
            return records
        records.extend(page)


def pay_command(file: Path, base_url: str) -> List[str]:
    return [sys.executable, "-m", "lean_sdk", "pay", str(file), "--base-url", base_url, "--max-retries", "1",
            "--no-progress"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--drop", default="0.3", help="share of connections dropped after commit")
    parser.add_argument("--sandbox", type=Path, default=ROOT / "target" / "release" / "lean-sandbox")
    args = parser.parse_args()
    if not args.sandbox.exists():
        sys.exit(f"no sandbox at {args.sandbox}: cargo build --release -p lean-sandbox")
    env = dict(os.environ, LEAN_API_KEY=API_KEY)
    with tempfile.TemporaryDirectory() as scratch:
        db = str(Path(scratch) / "sandbox.db")
        uids = [f"crash_{uuid.uuid4().hex[:8]}_{n}" for n in range(20)]
        clean = Sandbox(args.sandbox, "--db", db)
        add_customers(clean.base_url, uids)
        clean.stop()
        file = Path(scratch) / "payouts.csv"
        write_file(file, uids, args.rows)

        faulty = Sandbox(args.sandbox, "--db", db, "--fault-drop", args.drop, "--fault-seed", "17")
        started = time.perf_counter()
        try:
            run = subprocess.Popen(pay_command(file, faulty.base_url), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True, env=env)
            assert run.stderr is not None
            done_at_kill = 0
            for line in run.stderr:
                done = re.search(rf"(\d+)/{args.rows} rows done", line)
                if done and int(done.group(1)) >= args.rows // 2:
                    done_at_kill = int(done.group(1))
                    break
            run.send_signal(signal.SIGKILL)
            run.wait(timeout=30)
            print(f"killed with SIGKILL at {done_at_kill}/{args.rows} rows done "
                  f"({time.perf_counter() - started:.1f} s)", flush=True)
            reruns: List[int] = []
            for _ in range(12):
                again = subprocess.run(pay_command(file, faulty.base_url), capture_output=True, text=True,
                                       env=env, timeout=1800)
                reruns.append(again.returncode)
                if again.returncode != EXIT_UNKNOWN:
                    break
            print(f"re-runs until settled: {len(reruns)} (exit codes {reruns}), "
                  f"{time.perf_counter() - started:.1f} s in all", flush=True)
        finally:
            faulty.stop()

        check = Sandbox(args.sandbox, "--db", db)
        try:
            gigs = collections.Counter(g["gigId"] for g in every_record(check.base_url, "/gig")
                                       if g["gigId"].startswith("bench-"))
            payments = collections.Counter(p.get("description") for p in every_record(check.base_url, "/specialpayment")
                                           if (p.get("description") or "").startswith("bench row"))
        finally:
            check.stop()
        with open(f"{file}.report.csv", newline="", encoding="utf-8") as report:
            rows = list(csv.DictReader(report))
        with open(file, newline="", encoding="utf-8") as source:
            by_line = {n + 2: row for n, row in enumerate(csv.DictReader(source))}
        paid = [by_line[int(r["line"])] for r in rows if r["status"] == "paid"]
        want_gigs = collections.Counter(r["gigId"] for r in paid if r["kind"] == "gig")
        want_payments = collections.Counter(r["description"] for r in paid if r["kind"] == "special_payment")
        duplicates = sum(n - 1 for n in (gigs + payments).values() if n > 1)
        print(f"rows reported paid: {len(paid)} of {args.rows}; stored: {sum(gigs.values())} gigs and "
              f"{sum(payments.values())} special payments; duplicates: {duplicates}; "
              f"stored equals reported: {gigs == want_gigs and payments == want_payments}")
        if duplicates or gigs != want_gigs or payments != want_payments or len(paid) != args.rows:
            sys.exit(1)


if __name__ == "__main__":
    main()
