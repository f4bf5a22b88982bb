//! The uniffi binding generator, pinned to the version the mobile bindings use.

fn main() {}
