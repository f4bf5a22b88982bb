//! What the two demos share: how a demo ends, its numbered steps, and the
//! fresh sandbox and webhook receiver each starts with.

use std::process::ExitCode;

use lean_sandbox::harness::{sandbox_binary, SandboxProcess, WebhookReceiver};

/// Says how the demo `name` ended; the exit code fails when a step did.
pub fn finish(name: &str, outcome: Result<(), String>) -> ExitCode {
    match outcome {
        Ok(()) => {
            println!("\n{name} demo finished: every step succeeded.");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("\n{name} demo failed: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Announces step `n`.
pub fn step(n: u32, text: &str) {
    println!("\n[{n}] {text}");
}

/// Step 1: a quiet sandbox on a free port, started with `args` besides,
/// and a webhook receiver for it to call.
pub fn start(args: &[&str]) -> Result<(SandboxProcess, WebhookReceiver), String> {
    step(1, "Starting the local sandbox and a webhook receiver");
    let all: Vec<&str> = ["--port", "0", "--quiet"]
        .into_iter()
        .chain(args.iter().copied())
        .collect();
    let sandbox = SandboxProcess::start(&sandbox_binary(), &all)?;
    let receiver = WebhookReceiver::start().map_err(|e| e.to_string())?;
    Ok((sandbox, receiver))
}
