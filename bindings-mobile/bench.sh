#!/usr/bin/env bash
# Kotlin benchmarks (figures in BENCHMARKS.md, "Kotlin (JVM)"): the binding against the plain
# JVM alternative, side by side in one process, on the release build of the Rust library.
set -euo pipefail
cd "$(dirname "$0")/kotlin"
mvn -B -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=lean.sdk.bench.BenchmarkKt
