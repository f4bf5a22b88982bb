//! `lean-sandbox serve [options]`: see `lean-sandbox serve --help`.
//! `lean-sandbox certs DIR`: writes the mTLS test certificates and exits.
//! `lean-sandbox hostile --scenarios FILE --port N`: the misbehaving server
//! of the conformance scenarios (see `tests/conformance/README.md`).

use std::process::ExitCode;

use lean_sandbox::settings::{Settings, USAGE};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("serve") => {}
        Some("certs") => {
            let (Some(dir), None) = (args.next(), args.next()) else {
                eprintln!("usage: lean-sandbox certs DIR");
                return ExitCode::from(2);
            };
            return match lean_sandbox::certs::write(std::path::Path::new(&dir)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("lean-sandbox: {message}");
                    ExitCode::FAILURE
                }
            };
        }
        Some("hostile") => {
            let settings = match lean_sandbox::settings::Hostile::parse(args) {
                Ok(settings) => settings,
                Err(message) => {
                    eprintln!("{message}");
                    return ExitCode::from(2);
                }
            };
            return match lean_sandbox::hostile::serve(&settings) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("lean-sandbox hostile: {message}");
                    ExitCode::FAILURE
                }
            };
        }
        Some("--help" | "-h" | "help") | None => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("unknown command {other:?}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    let settings = match Settings::parse(args, |name| std::env::var(name).ok()) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match lean_sandbox::server::serve(settings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("lean-sandbox: {message}");
            ExitCode::FAILURE
        }
    }
}
