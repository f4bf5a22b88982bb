//! The state every request shares: the store, the start-up settings, the
//! id generator and the seeded fault generator.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method};

use crate::settings::Settings;
use crate::store::Store;
use crate::throttle::Throttle;
use crate::tls::ClientCertificate;

/// Shared by every request.
pub struct App {
    /// The database.
    pub store: Arc<Store>,
    /// Start-up settings.
    pub settings: Settings,
    pub(crate) ids: Mutex<fastrand::Rng>,
    faults: Mutex<fastrand::Rng>,
    /// The injected rate limit.
    pub throttle: Throttle,
    requests: AtomicU64,
}

/// What the fault generator decided for one request.
#[derive(Default)]
pub struct Draw {
    /// Answer 503 without doing anything.
    pub unavailable: bool,
    /// Do the work, then break the connection before the answer.
    pub drop_after_commit: bool,
    /// Wait this long first.
    pub delay: Option<Duration>,
}

impl App {
    /// Shared state for the router.
    pub fn new(store: Arc<Store>, settings: Settings, id_seed: u64) -> Self {
        let faults = fastrand::Rng::with_seed(settings.faults.seed);
        let throttle = Throttle::new(settings.faults.throttle_every, settings.faults.retry_after);
        Self {
            store,
            settings,
            ids: Mutex::new(fastrand::Rng::with_seed(id_seed)),
            faults: Mutex::new(faults),
            throttle,
            requests: AtomicU64::new(0),
        }
    }

    /// The number of the next request, from 1: its `x-request-id`.
    pub fn next_request(&self) -> u64 {
        self.requests.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// The faults injected into one request.
    pub fn draw(&self) -> Draw {
        let f = &self.settings.faults;
        if !f.enabled() {
            return Draw::default();
        }
        let mut rng = self.faults.lock().unwrap_or_else(|p| p.into_inner());
        // Always four draws, so the sequence of decisions depends on the
        // seed and the request order only.
        let (a, b, c, d) = (rng.f64(), rng.f64(), rng.f64(), rng.f64());
        Draw {
            unavailable: a < f.unavailable,
            drop_after_commit: b < f.drop_after_commit,
            delay: (c < f.latency)
                .then(|| Duration::from_secs_f64(f.latency_max.as_secs_f64() * d)),
        }
    }
}

/// One request as the API handlers read it (the body already bounded).
pub struct Req<'a> {
    /// The method.
    pub method: &'a Method,
    /// The path, not decoded.
    pub path: &'a str,
    /// The query string, if any.
    pub query: Option<&'a str>,
    /// The headers.
    pub headers: &'a HeaderMap,
    /// The body.
    pub body: &'a Bytes,
    /// The client certificate it came with (mTLS listener only).
    pub certificate: ClientCertificate,
}
