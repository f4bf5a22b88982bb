//! What `serve` runs with, once the command line ([`crate::cli`]) is read:
//! the settings, their redacted `Debug`, and the value checks `clap` does
//! not know (durations with a bare number in milliseconds, probabilities,
//! loopback webhook URLs, `Host` names).

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

pub use crate::log::LogFormat;

/// Fault injection, off by default. Probabilities are between 0 and 1.
#[derive(Clone, Debug, PartialEq)]
pub struct Faults {
    /// Seed of the fault generator, so that a sequential run repeats.
    pub seed: u64,
    /// Probability of answering 503 without doing anything.
    pub unavailable: f64,
    /// Probability of doing the work, committing it, then dropping the
    /// connection before the answer is complete.
    pub drop_after_commit: f64,
    /// Probability of delaying an answer.
    pub latency: f64,
    /// The longest added delay; each delayed answer waits up to this long.
    pub latency_max: Duration,
    /// Every this many API requests, one is answered 429 (0: never).
    pub throttle_every: u64,
    /// The `Retry-After` of those answers, in seconds.
    pub retry_after: u64,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            seed: 1,
            unavailable: 0.0,
            drop_after_commit: 0.0,
            latency: 0.0,
            latency_max: Duration::from_millis(200),
            throttle_every: 0,
            retry_after: 1,
        }
    }
}

impl Faults {
    /// True when any fault can happen.
    pub fn enabled(&self) -> bool {
        self.unavailable > 0.0 || self.drop_after_commit > 0.0 || self.latency > 0.0
    }
}

/// The open-banking emulation: its credentials, delays and webhooks.
#[derive(Clone, PartialEq)]
pub struct OpenBanking {
    /// Accepted `lean-app-token` values. At least one.
    pub app_tokens: Vec<String>,
    /// The OAuth client id (the application id).
    pub client_id: String,
    /// The OAuth client secret.
    pub client_secret: String,
    /// The `expires_in` of issued tokens, in seconds; short values let
    /// hosts test renewal.
    pub token_ttl: u64,
    /// The HMAC-SHA512 key of `lean-signature`.
    pub webhook_secret: String,
    /// Open-banking webhook URLs registered at start (loopback only).
    pub webhook_urls: Vec<String>,
    /// From an asynchronous data call to its results being ready (and the
    /// `results.ready` webhook).
    pub results_delay: Duration,
    /// Multiplies the documented open-banking times, the webhook retry
    /// schedule (1, 2, 5, 10, 60, 180 minutes) and the 50 s a synchronous
    /// data call may wait: `0.001` makes them milliseconds for tests.
    pub time_factor: f64,
}

/// The application token accepted when none is configured.
pub const DEFAULT_APP_TOKEN: &str = "sandbox-app-token";
/// The OAuth client id when none is configured.
pub const DEFAULT_CLIENT_ID: &str = "sandbox-client-id";
/// The OAuth client secret when none is configured.
pub const DEFAULT_CLIENT_SECRET: &str = "sandbox-client-secret";
/// The open-banking webhook secret when none is configured.
pub const DEFAULT_OB_WEBHOOK_SECRET: &str = "sandbox-webhook-secret";

impl Default for OpenBanking {
    fn default() -> Self {
        Self {
            app_tokens: vec![DEFAULT_APP_TOKEN.to_owned()],
            client_id: DEFAULT_CLIENT_ID.to_owned(),
            client_secret: DEFAULT_CLIENT_SECRET.to_owned(),
            token_ttl: 3599,
            webhook_secret: DEFAULT_OB_WEBHOOK_SECRET.to_owned(),
            webhook_urls: Vec::new(),
            results_delay: Duration::from_secs(1),
            time_factor: 1.0,
        }
    }
}

/// Secrets are redacted: settings get logged, secrets never.
impl fmt::Debug for OpenBanking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenBanking")
            .field(
                "app_tokens",
                &format!("<{} redacted>", self.app_tokens.len()),
            )
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("token_ttl", &self.token_ttl)
            .field("webhook_secret", &"<redacted>")
            .field("webhook_urls", &self.webhook_urls)
            .field("results_delay", &self.results_delay)
            .field("time_factor", &self.time_factor)
            .finish()
    }
}

/// The optional mutual-TLS listener.
#[derive(Clone, Debug, PartialEq)]
pub struct Tls {
    /// TCP port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Where the certificates are, or are written when absent.
    pub dir: PathBuf,
}

/// Everything `lean-sandbox serve` is started with.
#[derive(Clone, PartialEq)]
pub struct Settings {
    /// TCP port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// SQLite file; in memory when `None`.
    pub db: Option<PathBuf>,
    /// Accepted API keys (HTTP Basic user names). At least one.
    pub api_keys: Vec<String>,
    /// Webhook URLs registered at start (loopback only).
    pub webhook_urls: Vec<String>,
    /// HMAC key of webhook signatures; the first API key when not given.
    pub webhook_secret: Option<String>,
    /// From application submission to `ACTIVE`.
    pub approval_delay: Duration,
    /// From a payout's creation to `SUCCESS` or `FAILED`.
    pub settlement_delay: Duration,
    /// The wait before the first webhook retry; it doubles each time.
    pub webhook_backoff: Duration,
    /// Fault injection.
    pub faults: Faults,
    /// No log lines.
    pub quiet: bool,
    /// How log lines are written.
    pub log_format: LogFormat,
    /// The open-banking emulation.
    pub openbanking: OpenBanking,
    /// The mTLS listener, when asked for.
    pub tls: Option<Tls>,
    /// Host names accepted in `Host` besides the loopback ones, for a
    /// sandbox deliberately reached under another name.
    pub allowed_hosts: Vec<String>,
}

/// Keys are redacted: settings get logged, keys never.
impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("port", &self.port)
            .field("db", &self.db)
            .field("api_keys", &format!("<{} redacted>", self.api_keys.len()))
            .field("webhook_urls", &self.webhook_urls)
            .field(
                "webhook_secret",
                &self.webhook_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("approval_delay", &self.approval_delay)
            .field("settlement_delay", &self.settlement_delay)
            .field("webhook_backoff", &self.webhook_backoff)
            .field("faults", &self.faults)
            .field("quiet", &self.quiet)
            .field("log_format", &self.log_format)
            .field("openbanking", &self.openbanking)
            .field("tls", &self.tls)
            .field("allowed_hosts", &self.allowed_hosts)
            .finish()
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            port: 0,
            db: None,
            api_keys: Vec::new(),
            webhook_urls: Vec::new(),
            webhook_secret: None,
            approval_delay: Duration::from_secs(3),
            settlement_delay: Duration::from_secs(3),
            webhook_backoff: Duration::from_secs(1),
            faults: Faults::default(),
            quiet: false,
            log_format: LogFormat::Text,
            openbanking: OpenBanking::default(),
            tls: None,
            allowed_hosts: Vec::new(),
        }
    }
}

impl Settings {
    /// The webhook signing key.
    pub fn signing_secret(&self) -> &str {
        self.webhook_secret
            .as_deref()
            .or(self.api_keys.first().map(String::as_str))
            .unwrap_or_default()
    }
}

/// Webhooks go to loopback receivers only: the sandbox is a test tool, and
/// must never be turned into a way to send requests elsewhere.
pub fn check_webhook_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("webhook URL {url:?} must start with http://"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = if let Some(b) = authority.strip_prefix('[') {
        b.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    let loopback = host == "localhost"
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    if authority.contains('@') || !loopback {
        return Err(format!(
            "webhook URL {url:?} must be on a loopback host (127.0.0.1, localhost or [::1])"
        ));
    }
    Ok(())
}

/// A name for `--allow-host`: what `Host` carries before its port.
pub fn allowable_host(name: &str) -> bool {
    crate::guard::host_name(name) == Some(name.trim_start_matches('[').trim_end_matches(']'))
        && !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._[]:".contains(&b))
}

/// A duration such as 250ms, 3s or 2m; a bare number means milliseconds.
/// At most a day, which keeps every due time in range.
pub fn duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => text.split_at(i),
        None => (text, "ms"),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| "not a duration such as 250ms, 3s or 2m".to_owned())?;
    let millis = match unit {
        "ms" => Some(n),
        "s" => n.checked_mul(1000),
        "m" => n.checked_mul(60_000),
        _ => return Err("unit must be ms, s or m".to_owned()),
    };
    // A day is far beyond any test; the bound keeps every due time in range.
    match millis {
        Some(ms) if ms <= 86_400_000 => Ok(Duration::from_millis(ms)),
        _ => Err("must be at most one day (24h = 1440m)".to_owned()),
    }
}

/// A probability between 0 and 1.
pub fn probability(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err("must be a probability between 0 and 1, such as 0.15".to_owned()),
    }
}

/// The factor of the open-banking times: above 0, at most 1.
pub fn time_factor(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(f) if f > 0.0 && f <= 1.0 => Ok(f),
        _ => Err("must be a factor above 0 and at most 1, such as 0.001".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(duration("7"), Ok(Duration::from_millis(7)));
        assert_eq!(duration("3s"), Ok(Duration::from_secs(3)));
        assert_eq!(duration("2m"), Ok(Duration::from_secs(120)));
        assert!(duration("1440m").is_ok());
        assert!(duration("1441m").is_err());
        assert!(duration("2d").is_err());
        assert!(duration("").is_err());
    }

    #[test]
    fn webhook_urls_stay_on_loopback() {
        for ok in [
            "http://127.0.0.1:9/x",
            "http://localhost/x",
            "http://[::1]:80/",
        ] {
            assert!(check_webhook_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "https://127.0.0.1/",
            "http://example.com/",
            "http://u@127.0.0.1/",
            "http://10.0.0.1/",
        ] {
            assert!(check_webhook_url(bad).is_err(), "{bad}");
        }
    }
}
