//! The Lean SDK for JavaScript, through wasm-bindgen.
