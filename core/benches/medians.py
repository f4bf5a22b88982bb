#!/usr/bin/env python3
"""Prints the median of every benchmark of the last `cargo bench` run, with
throughput where the benchmark declares one. Usage:
    python3 core/benches/medians.py [target-dir]   (default: target)"""

import json
import sys
from pathlib import Path

root = Path(sys.argv[1] if len(sys.argv) > 1 else "target") / "criterion"
for estimates in sorted(root.glob("**/new/estimates.json")):
    bench = json.loads((estimates.parent / "benchmark.json").read_text())
    median_ns = json.loads(estimates.read_text())["median"]["point_estimate"]
    throughput = bench.get("throughput") or {}
    rate = f"  {throughput['Bytes'] / median_ns * 1e3:8.0f} MB/s" if "Bytes" in throughput else ""
    print(f"{bench['full_id']:40} {median_ns / 1e3:12.3f} µs{rate}")
