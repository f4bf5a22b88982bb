//! `lean-sandbox hostile`: a scriptable server that misbehaves the way real
//! networks and proxies do (a lost answer, a redirect, an unreadable 2xx,
//! a reset mid-body, a slow drip), so that every host's SDK can be run
//! against the same list of scenarios and report the same outcome. The
//! contract (scenario format, control routes) is
//! `tests/conformance/README.md`.
//!
//! It is built on raw TCP with a minimal HTTP/1.1 reader ([`http`]) rather
//! than on the sandbox's framework, because it must write answers a
//! framework refuses to write. Two listeners: the main origin, which plays
//! each run's script, and the "other origin", which only counts the
//! requests (and credentials) a redirect carried there.

pub mod http;
mod origins;
mod play;
pub mod runs;
pub mod script;

use std::io::Write;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::cli::Hostile;
pub use script::Scripts;

/// Reads the scenario file, listens on the two origins, prints their URLs
/// (`listening on ...`, then `other origin on ...`) and serves until the
/// process is stopped.
pub fn serve(settings: &Hostile) -> Result<(), String> {
    let path = settings.scenarios.display();
    let text = std::fs::read_to_string(&settings.scenarios)
        .map_err(|e| format!("cannot read the scenario file {path}: {e}"))?;
    let scripts = Scripts::parse(&text).map_err(|e| format!("{path}: {e}"))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async {
        let bind = |port: u16| TcpListener::bind(("127.0.0.1", port));
        let main = bind(settings.port)
            .await
            .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", settings.port))?;
        let other = bind(0)
            .await
            .map_err(|e| format!("cannot listen on a free port for the other origin: {e}"))?;
        let url = |listener: &TcpListener| {
            listener
                .local_addr()
                .map(|a| format!("http://{a}"))
                .map_err(|e| e.to_string())
        };
        let shared = Arc::new(origins::Shared {
            scripts,
            runs: runs::Runs::default(),
            main_url: url(&main)?,
            other_url: url(&other)?,
            quiet: settings.quiet,
        });
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on {}", shared.main_url)
            .and_then(|()| writeln!(stdout, "other origin on {}", shared.other_url))
            .and_then(|()| stdout.flush())
            .map_err(|e| format!("cannot write to stdout: {e}"))?;
        drop(stdout);
        if !settings.quiet {
            eprintln!("hostile: {} scenarios from {path}", shared.scripts.len());
        }
        tokio::spawn(accept(other, shared.clone(), false));
        accept(main, shared, true).await;
        Ok(())
    })
}

/// Accepts connections forever, each served on its own task.
async fn accept(listener: TcpListener, shared: Arc<origins::Shared>, main: bool) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // Out of descriptors, for instance: wait rather than spin.
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        if main {
            tokio::spawn(origins::main_origin(stream, shared));
        } else {
            tokio::spawn(origins::other_origin(stream, shared));
        }
    }
}
