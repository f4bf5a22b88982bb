//! Start-up: open the store, bind, announce the URL, start the life-cycle
//! and webhook threads, serve.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use lean_core::WebhookSecret;

use crate::api::{handle, App};
use crate::clock::now_ms;
use crate::lifecycle;
use crate::log::Log;
use crate::outbox;
use crate::settings::Settings;
use crate::store::Store;

/// Runs `serve` until the process is stopped.
pub fn serve(settings: Settings) -> Result<(), String> {
    let log = Log::new(settings.quiet);
    let store = Arc::new(Store::open(settings.db.as_deref())?);
    {
        let conn = store.lock();
        for url in &settings.webhook_urls {
            outbox::register(&conn, url).map_err(|e| e.to_string())?;
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async move {
        let listener =
            tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], settings.port)))
                .await
                .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", settings.port))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let stop = Arc::new(AtomicBool::new(false));
        spawn_lifecycle(store.clone(), &settings, log, stop.clone());
        let secret = WebhookSecret::from(settings.signing_secret());
        let backoff = settings.webhook_backoff;
        {
            let (store, stop) = (store.clone(), stop.clone());
            std::thread::Builder::new()
                .name("webhooks".into())
                .spawn(move || outbox::deliver_forever(store, secret, backoff, log, stop))
                .map_err(|e| e.to_string())?;
        }
        let mut seed = [0u8; 8];
        let _ = getrandom::fill(&mut seed);
        let app = Arc::new(App::new(store, settings, log, u64::from_le_bytes(seed)));
        let router = Router::new().fallback(handle).with_state(app);
        announce(addr)?;
        axum::serve(listener, router)
            .await
            .map_err(|e| format!("server stopped: {e}"))
    })
}

/// The start-up contract: the first stdout line, flushed, and nothing else
/// on stdout.
fn announce(addr: SocketAddr) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on http://{addr}")
        .and_then(|_| out.flush())
        .map_err(|e| format!("cannot write to stdout: {e}"))
}

fn spawn_lifecycle(store: Arc<Store>, settings: &Settings, log: Log, stop: Arc<AtomicBool>) {
    let shortest = settings.approval_delay.min(settings.settlement_delay);
    let every = (shortest / 4).clamp(Duration::from_millis(5), Duration::from_millis(100));
    let _ = std::thread::Builder::new()
        .name("lifecycle".into())
        .spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let result = lifecycle::tick(&mut store.lock(), now_ms());
                match result {
                    // A full batch: more may be due; the lock was released
                    // in between, so requests keep flowing.
                    Ok(done) if done > 0 => continue,
                    Ok(_) => {}
                    Err(e) => log.line(&format!("life cycle error: {e}")),
                }
                std::thread::sleep(every);
            }
        });
}
