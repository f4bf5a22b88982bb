//! One readable line per request and per webhook delivery, on stderr
//! (stdout carries only the `listening on` line, so a harness that reads
//! that line and nothing more can never block the server).

use std::io::Write;

use crate::clock::{iso, now_ms};

/// Where log lines go; silent when quiet.
#[derive(Clone, Copy, Debug)]
pub struct Log {
    quiet: bool,
}

impl Log {
    /// A log, silent if `quiet`.
    pub fn new(quiet: bool) -> Self {
        Self { quiet }
    }

    /// Writes one time-stamped line. Callers never pass secrets.
    pub fn line(&self, text: &str) {
        if !self.quiet {
            let _ = writeln!(std::io::stderr().lock(), "{} {text}", iso(now_ms()));
        }
    }
}
