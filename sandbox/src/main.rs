//! `lean-sandbox serve [options]` (see `lean-sandbox serve --help`),
//! `lean-sandbox certs DIR`, and `lean-sandbox hostile` (the misbehaving
//! server of the conformance scenarios, `tests/conformance/README.md`).

use std::process::ExitCode;

use clap::Parser;
use lean_sandbox::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (what, result) = match cli.command {
        Command::Serve(serve) => match serve.into_settings() {
            Ok(settings) => ("lean-sandbox", lean_sandbox::server::serve(settings)),
            Err(message) => {
                eprintln!("lean-sandbox serve: {message}\n\nsee lean-sandbox serve --help");
                return ExitCode::from(2);
            }
        },
        Command::Certs { dir } => ("lean-sandbox", lean_sandbox::certs::write(&dir)),
        Command::Hostile(settings) => (
            "lean-sandbox hostile",
            lean_sandbox::hostile::serve(&settings),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{what}: {message}");
            ExitCode::FAILURE
        }
    }
}
