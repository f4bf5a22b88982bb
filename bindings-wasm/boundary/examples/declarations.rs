//! Writes the npm package's declarations (module `declarations` of this
//! crate) into the directory given: `bindings-wasm/build.sh` passes
//! `npm/pkg`, and `npm/build.mjs` ships them.

use std::path::PathBuf;

use lean_sdk_wasm_boundary::declarations::{codes, openbanking, payouts};

fn main() -> std::io::Result<()> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("core-types.d.ts"), payouts())?;
    std::fs::write(dir.join("openbanking-types.d.ts"), openbanking())?;
    std::fs::write(dir.join("codes.js"), codes())?;
    Ok(())
}
