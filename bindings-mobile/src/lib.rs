//! The Lean SDK for Kotlin and Swift, through uniffi.
