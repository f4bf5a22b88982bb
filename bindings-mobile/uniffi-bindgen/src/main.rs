//! The uniffi binding generator, pinned to the version the mobile bindings use.
//!
//! `cargo run -p uniffi-bindgen -- generate --library <lib> --language kotlin --out-dir <dir>`
//! writes the Kotlin or Swift sources from the compiled library's metadata.

fn main() {
    uniffi::uniffi_bindgen_main()
}
