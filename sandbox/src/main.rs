//! `lean-sandbox serve [options]` (see `lean-sandbox --help`), `certs`,
//! `hostile` (the misbehaving server of the conformance scenarios,
//! `tests/conformance/README.md`), `trigger`, `events` and `resend`.

use std::process::ExitCode;

use clap::Parser;
use lean_sandbox::cli::{Cli, Command};
use lean_sandbox::{remote, trigger};

fn main() -> ExitCode {
    // An empty variable counts as unset, as harnesses that pass their
    // whole environment through expect.
    for (name, value) in std::env::vars_os() {
        if value.is_empty() && name.to_string_lossy().starts_with("LEAN_SANDBOX_") {
            std::env::remove_var(name);
        }
    }
    let cli = Cli::parse();
    let (what, result) = match cli.command {
        Command::Serve(serve) => match serve.into_settings() {
            Ok(settings) => ("lean-sandbox", lean_sandbox::server::serve(settings)),
            Err(message) => return usage("serve", &message),
        },
        Command::Certs { dir } => ("lean-sandbox", lean_sandbox::certs::write(&dir)),
        Command::Hostile(settings) => (
            "lean-sandbox hostile",
            lean_sandbox::hostile::serve(&settings),
        ),
        Command::Trigger(args) => {
            let json = args.json;
            let (request, keys) = match args.into_trigger() {
                Ok(parts) => parts,
                Err(message) => return usage("trigger", &message),
            };
            let report = match trigger::send(&request, &keys) {
                Ok(report) => report,
                Err((field, message)) => return usage("trigger", &format!("{field}: {message}")),
            };
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).unwrap_or_default()
                );
            } else {
                print!("{}", trigger::describe(&report));
            }
            // Every request answered: the handler's verdict is in the
            // report, not the exit status.
            let answered = report.attempts.iter().all(|a| a.status.is_some());
            return if answered {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
        Command::Events(sandbox) => (
            "lean-sandbox events",
            remote::events(&sandbox.url).map(|answer| {
                if sandbox.json {
                    println!("{answer:#}");
                } else {
                    let events = answer["events"].as_array().cloned().unwrap_or_default();
                    if events.is_empty() {
                        println!("no webhook deliveries yet");
                    }
                    for delivery in &events {
                        println!("{}", remote::describe_delivery(delivery));
                    }
                }
            }),
        ),
        Command::Resend { id, sandbox } => (
            "lean-sandbox resend",
            remote::resend(&sandbox.url, id).map(|delivery| {
                if sandbox.json {
                    println!("{delivery:#}");
                } else {
                    println!("queued again: {}", remote::describe_delivery(&delivery));
                }
            }),
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

/// A refused command line: status 2, as clap's own refusals.
fn usage(command: &str, message: &str) -> ExitCode {
    eprintln!("lean-sandbox {command}: {message}\n\nsee lean-sandbox {command} --help");
    ExitCode::from(2)
}
