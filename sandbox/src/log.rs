//! Log lines on stderr through `tracing` (stdout carries only the
//! `listening on` lines, so a harness that reads them and nothing more can
//! never block the server): one event per request (`request_id`, `method`,
//! `path`, `status`, `latency_ms`) and per webhook delivery, as readable
//! text or one JSON object per line. Callers never pass secrets.

use clap::ValueEnum;

/// How request logs are written on stderr.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One readable line per request.
    #[default]
    Text,
    /// One JSON object per line, for log tools.
    Json,
}

/// Installs the process's log writer; with `quiet`, none, so every event
/// is dropped.
pub fn init(quiet: bool, format: LogFormat) {
    if quiet {
        return;
    }
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(false);
    // Another writer (a test's) may already be installed: keep it.
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}
