//! lean-sandbox: a local, stateful emulator of the Lean Payouts API.

fn main() {}
