//! Start-up: open the store, bind, announce the URL (and the mTLS one),
//! start the life-cycle and webhook threads, serve.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use lean_core::WebhookSecret;

use crate::app::App;
use crate::certs;
use crate::clock::now_ms;
use crate::openbanking;
use crate::outbox;
use crate::payouts::lifecycle;
use crate::router::handle;
use crate::settings::Settings;
use crate::store::{self, Store};
use crate::tls;

/// Runs `serve` until the process is stopped.
pub fn serve(settings: Settings) -> Result<(), String> {
    crate::log::init(settings.quiet, settings.log_format);
    let store = Arc::new(Store::open(settings.db.as_deref())?);
    {
        let conn = store.lock();
        for url in &settings.webhook_urls {
            outbox::register(&conn, url).map_err(|e| e.to_string())?;
        }
        for url in &settings.openbanking.webhook_urls {
            openbanking::webhooks::register(&conn, url).map_err(|e| e.to_string())?;
        }
    }
    // Certificates first: a bad directory ends the process before anything
    // is announced.
    let tls = match &settings.tls {
        Some(t) => {
            certs::ensure(&t.dir)?;
            Some((t.port, tls::server_config(&t.dir)?, t.dir.clone()))
        }
        None => None,
    };
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
        let mtls = match tls {
            Some((port, config, dir)) => {
                let tcp = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))
                    .await
                    .map_err(|e| format!("cannot listen (mTLS) on 127.0.0.1:{port}: {e}"))?;
                Some(tls::MtlsListener::new(tcp, config, &dir)?)
            }
            None => None,
        };
        let stop = Arc::new(AtomicBool::new(false));
        spawn_lifecycle(store.clone(), &settings, stop.clone());
        let policy = outbox::Policy {
            secret: WebhookSecret::from(settings.signing_secret()),
            backoff: settings.webhook_backoff,
            ob_secret: WebhookSecret::from(settings.openbanking.webhook_secret.as_str()),
            ob_time_factor: settings.openbanking.time_factor,
        };
        {
            let (store, stop) = (store.clone(), stop.clone());
            std::thread::Builder::new()
                .name("webhooks".into())
                .spawn(move || outbox::deliver_forever(store, policy, stop))
                .map_err(|e| e.to_string())?;
        }
        let app = Arc::new(App::new(store, settings, random_seed()));
        let router = Router::new().fallback(handle).with_state(app);
        announce(&format!("listening on http://{addr}"))?;
        let Some(mtls) = mtls else {
            return axum::serve(listener, router)
                .await
                .map_err(|e| format!("server stopped: {e}"));
        };
        let mtls_addr = axum::serve::Listener::local_addr(&mtls).map_err(|e| e.to_string())?;
        announce(&format!("listening (mTLS) on https://{}", mtls_addr.addr))?;
        let secure = axum::serve(
            mtls,
            router
                .clone()
                .into_make_service_with_connect_info::<tls::MtlsPeer>(),
        );
        tokio::spawn(async move {
            if let Err(e) = secure.await {
                tracing::error!("mTLS server stopped: {e}");
            }
        });
        axum::serve(listener, router)
            .await
            .map_err(|e| format!("server stopped: {e}"))
    })
}

fn random_seed() -> u64 {
    let mut seed = [0u8; 8];
    let _ = getrandom::fill(&mut seed);
    u64::from_le_bytes(seed)
}

/// The start-up contract: the first stdout line (and the mTLS line right
/// after it), flushed, and nothing else on stdout.
fn announce(line: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|_| out.flush())
        .map_err(|e| format!("cannot write to stdout: {e}"))
}

fn spawn_lifecycle(store: Arc<Store>, settings: &Settings, stop: Arc<AtomicBool>) {
    let shortest = settings
        .approval_delay
        .min(settings.settlement_delay)
        .min(settings.openbanking.results_delay);
    let every = (shortest / 4).clamp(Duration::from_millis(5), Duration::from_millis(100));
    let mut rng = fastrand::Rng::with_seed(random_seed());
    let _ = std::thread::Builder::new()
        .name("lifecycle".into())
        .spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let result = {
                    let mut conn = store.lock();
                    lifecycle::tick(&mut conn, now_ms()).and_then(|done| {
                        let tx = conn.transaction()?;
                        let ready = openbanking::data::tick(&tx, &mut rng, now_ms())?
                            + openbanking::execution::tick(&tx, &mut rng, now_ms())?
                            + openbanking::v2::tick(&tx, &mut rng, now_ms())?;
                        store::purge_expired(&tx, now_ms())?;
                        tx.commit()?;
                        Ok(done + ready)
                    })
                };
                match result {
                    // A full batch: more may be due; the lock was released
                    // in between, so requests keep flowing.
                    Ok(done) if done > 0 => continue,
                    Ok(_) => {}
                    Err(e) => tracing::error!("life cycle error: {e}"),
                }
                std::thread::sleep(every);
            }
        });
}
