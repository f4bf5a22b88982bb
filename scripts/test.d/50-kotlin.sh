#!/usr/bin/env bash
# Kotlin/JVM package (bindings-mobile/kotlin): builds the Rust library, generates the Kotlin
# bindings from it (uniffi library mode), then runs the JUnit 5 suite under Maven: every
# shared vector, the error contract, and the partner flow against the local sandbox.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
  step "installing Maven and a JDK (Debian)"
  apt-get update -qq && apt-get install -y -qq maven openjdk-17-jdk-headless >/dev/null
fi

step "building the sandbox for the end-to-end tests"
cargo build --quiet -p lean-sandbox
sandbox="${CARGO_TARGET_DIR:-$PWD/target}/debug/lean-sandbox"

step "Kotlin: build, generate bindings, JUnit (Maven)"
cd bindings-mobile/kotlin
mvn -B -q test -Dlean.sandbox="$sandbox"
for report in target/surefire-reports/*.txt; do
  grep -h "Tests run" "$report"
done
