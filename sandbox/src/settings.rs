//! Start-up settings: command-line flags, with environment variables as
//! defaults, so that a test harness in any language can configure the
//! sandbox either way.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

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
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            seed: 1,
            unavailable: 0.0,
            drop_after_commit: 0.0,
            latency: 0.0,
            latency_max: Duration::from_millis(200),
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
    /// Multiplies the documented webhook retry schedule (1, 2, 5, 10, 60,
    /// 180 minutes): `0.001` makes it milliseconds for tests.
    pub webhook_time_factor: f64,
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
            webhook_time_factor: 1.0,
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
            .field("webhook_time_factor", &self.webhook_time_factor)
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
            openbanking: OpenBanking::default(),
            tls: None,
            allowed_hosts: Vec::new(),
        }
    }
}

/// The usage text of `serve`.
pub const USAGE: &str = "\
usage: lean-sandbox serve [options]

  --port P                 TCP port on 127.0.0.1, 0 = any free one   [LEAN_SANDBOX_PORT, default 0]
  --db PATH                SQLite file; in memory when absent         [LEAN_SANDBOX_DB]
  --api-key KEY            accepted API key, repeatable (required)   [LEAN_SANDBOX_API_KEYS, comma-separated]
  --webhook-url URL        webhook receiver (loopback), repeatable   [LEAN_SANDBOX_WEBHOOK_URLS, comma-separated]
  --webhook-secret S       HMAC key of x-lean-signature               [LEAN_SANDBOX_WEBHOOK_SECRET, default: first API key]
  --approval-delay D       application to ACTIVE                      [LEAN_SANDBOX_APPROVAL_DELAY, default 3s]
  --settlement-delay D     payout PENDING to SUCCESS/FAILED           [LEAN_SANDBOX_SETTLEMENT_DELAY, default 3s]
  --webhook-backoff D      first webhook retry wait, doubling         [LEAN_SANDBOX_WEBHOOK_BACKOFF, default 1s]
  --fault-seed N           seed of the fault generator                [LEAN_SANDBOX_FAULT_SEED, default 1]
  --fault-503 P            probability of a 503                       [LEAN_SANDBOX_FAULT_503, default 0]
  --fault-drop P           probability of dropping the connection
                           after the write was committed              [LEAN_SANDBOX_FAULT_DROP, default 0]
  --fault-latency P        probability of an added delay              [LEAN_SANDBOX_FAULT_LATENCY, default 0]
  --fault-latency-max D    longest added delay                        [LEAN_SANDBOX_FAULT_LATENCY_MAX, default 200ms]
  --quiet                  no log lines on stderr                     [LEAN_SANDBOX_QUIET=1]
  --allow-host NAME        accept this Host besides localhost, 127.0.0.0/8 and [::1],
                           repeatable (a sandbox exposed on purpose)  [LEAN_SANDBOX_ALLOWED_HOSTS, comma-separated]

Open banking (routes at /customers/v1, /data, /payments/v1, /oauth2/token):
  --ob-app-token T         accepted lean-app-token, repeatable        [LEAN_SANDBOX_OB_APP_TOKENS, default sandbox-app-token]
  --ob-client-id ID        OAuth client id                            [LEAN_SANDBOX_OB_CLIENT_ID, default sandbox-client-id]
  --ob-client-secret S     OAuth client secret                        [LEAN_SANDBOX_OB_CLIENT_SECRET, default sandbox-client-secret]
  --ob-token-ttl SECONDS   expires_in of issued tokens                [LEAN_SANDBOX_OB_TOKEN_TTL, default 3599]
  --ob-webhook-secret S    HMAC-SHA512 key of lean-signature          [LEAN_SANDBOX_OB_WEBHOOK_SECRET, default sandbox-webhook-secret]
  --ob-webhook-url URL     receiver (loopback), repeatable            [LEAN_SANDBOX_OB_WEBHOOK_URLS, comma-separated]
  --ob-results-delay D     asynchronous data to results.ready         [LEAN_SANDBOX_OB_RESULTS_DELAY, default 1s]
  --ob-webhook-time-factor F  multiplies the retry schedule 1,2,5,10,60,180 min
                                                                      [LEAN_SANDBOX_OB_WEBHOOK_TIME_FACTOR, default 1]
mTLS:
  --tls-port P             also listen with mutual TLS, 0 = any port  [LEAN_SANDBOX_TLS_PORT]
  --tls-dir DIR            its certificates, generated when absent    [LEAN_SANDBOX_TLS_DIR]

usage: lean-sandbox certs DIR   writes the test certificates into DIR and exits

Durations D are like 250ms, 3s or 2m (a bare number means milliseconds).
The first stdout line is `listening on http://127.0.0.1:PORT`; the API is under /api.
With --tls-port, the second is `listening (mTLS) on https://127.0.0.1:PORT`.

usage: lean-sandbox hostile --scenarios FILE [--port P] [--quiet]
  the misbehaving server of the conformance scenarios (tests/conformance/README.md);
  it prints `listening on http://127.0.0.1:PORT`, then `other origin on http://127.0.0.1:PORT`.";

/// Everything `lean-sandbox hostile` is started with: flags only, since
/// only test runners start it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hostile {
    /// The scenario file (`tests/conformance/scenarios.json`).
    pub scenarios: PathBuf,
    /// TCP port of the main origin on 127.0.0.1; 0 picks a free one. The
    /// other origin always takes a free port.
    pub port: u16,
    /// No log lines.
    pub quiet: bool,
}

impl Hostile {
    /// Reads `--scenarios FILE`, `--port P` and `--quiet`.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let (mut scenarios, mut port, mut quiet) = (None, 0, false);
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
                None => (arg, None),
            };
            match name.as_str() {
                "--quiet" => quiet = true,
                "--help" | "-h" => return Err(USAGE.to_owned()),
                "--scenarios" | "--port" => {
                    let value = inline
                        .or_else(|| args.next())
                        .ok_or_else(|| format!("{name} needs a value\n\n{USAGE}"))?;
                    if name == "--port" {
                        port = value
                            .parse()
                            .map_err(|_| format!("--port {value:?}: not a port number"))?;
                    } else {
                        scenarios = Some(PathBuf::from(value));
                    }
                }
                _ => return Err(format!("unknown option {name} of hostile\n\n{USAGE}")),
            }
        }
        let scenarios = scenarios.ok_or_else(|| {
            "hostile needs --scenarios FILE (tests/conformance/scenarios.json)".to_owned()
        })?;
        Ok(Self {
            scenarios,
            port,
            quiet,
        })
    }
}

impl Settings {
    /// Reads the environment (through `env`), then the flags, which win.
    pub fn parse(
        args: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, String> {
        let mut s = Self::default();
        let list = |v: String| -> Vec<String> {
            v.split(',')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (name, var) in [
            ("port", "LEAN_SANDBOX_PORT"),
            ("db", "LEAN_SANDBOX_DB"),
            ("webhook-secret", "LEAN_SANDBOX_WEBHOOK_SECRET"),
            ("approval-delay", "LEAN_SANDBOX_APPROVAL_DELAY"),
            ("settlement-delay", "LEAN_SANDBOX_SETTLEMENT_DELAY"),
            ("webhook-backoff", "LEAN_SANDBOX_WEBHOOK_BACKOFF"),
            ("fault-seed", "LEAN_SANDBOX_FAULT_SEED"),
            ("fault-503", "LEAN_SANDBOX_FAULT_503"),
            ("fault-drop", "LEAN_SANDBOX_FAULT_DROP"),
            ("fault-latency", "LEAN_SANDBOX_FAULT_LATENCY"),
            ("fault-latency-max", "LEAN_SANDBOX_FAULT_LATENCY_MAX"),
            ("ob-client-id", "LEAN_SANDBOX_OB_CLIENT_ID"),
            ("ob-client-secret", "LEAN_SANDBOX_OB_CLIENT_SECRET"),
            ("ob-token-ttl", "LEAN_SANDBOX_OB_TOKEN_TTL"),
            ("ob-webhook-secret", "LEAN_SANDBOX_OB_WEBHOOK_SECRET"),
            ("ob-results-delay", "LEAN_SANDBOX_OB_RESULTS_DELAY"),
            (
                "ob-webhook-time-factor",
                "LEAN_SANDBOX_OB_WEBHOOK_TIME_FACTOR",
            ),
            ("tls-port", "LEAN_SANDBOX_TLS_PORT"),
            ("tls-dir", "LEAN_SANDBOX_TLS_DIR"),
        ] {
            if let Some(v) = env(var).filter(|v| !v.is_empty()) {
                pairs.push((name.to_owned(), v));
            }
        }
        let env_keys = env("LEAN_SANDBOX_API_KEYS").map(list).unwrap_or_default();
        let env_urls = env("LEAN_SANDBOX_WEBHOOK_URLS")
            .map(list)
            .unwrap_or_default();
        let env_tokens = env("LEAN_SANDBOX_OB_APP_TOKENS")
            .map(list)
            .unwrap_or_default();
        let env_ob_urls = env("LEAN_SANDBOX_OB_WEBHOOK_URLS")
            .map(list)
            .unwrap_or_default();
        let env_hosts = env("LEAN_SANDBOX_ALLOWED_HOSTS")
            .map(list)
            .unwrap_or_default();
        let mut hosts = Vec::new();
        s.quiet = env("LEAN_SANDBOX_QUIET").is_some_and(|v| v == "1" || v == "true");

        let mut keys = Vec::new();
        let mut urls = Vec::new();
        let mut tokens = Vec::new();
        let mut ob_urls = Vec::new();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "--quiet" {
                s.quiet = true;
                continue;
            }
            if arg == "--help" || arg == "-h" {
                return Err(USAGE.to_owned());
            }
            let Some(flag) = arg.strip_prefix("--") else {
                return Err(format!("unexpected argument {arg:?}\n\n{USAGE}"));
            };
            let (name, value) = match flag.split_once('=') {
                Some((n, v)) => (n.to_owned(), v.to_owned()),
                None => {
                    let v = args
                        .next()
                        .ok_or_else(|| format!("--{flag} needs a value\n\n{USAGE}"))?;
                    (flag.to_owned(), v)
                }
            };
            match name.as_str() {
                "api-key" => keys.push(value),
                "webhook-url" => urls.push(value),
                "ob-app-token" => tokens.push(value),
                "ob-webhook-url" => ob_urls.push(value),
                "allow-host" => hosts.push(value),
                _ => pairs.push((name, value)),
            }
        }
        s.api_keys = if keys.is_empty() { env_keys } else { keys };
        s.allowed_hosts = if hosts.is_empty() { env_hosts } else { hosts };
        if let Some(bad) = s.allowed_hosts.iter().find(|h| !allowable_host(h)) {
            return Err(format!(
                "--allow-host {bad:?}: give a host name or address as the client writes it in Host, without scheme, port or path (such as host.docker.internal or [fd00::1])"
            ));
        }
        s.webhook_urls = if urls.is_empty() { env_urls } else { urls };
        let ob = &mut s.openbanking;
        if !tokens.is_empty() {
            ob.app_tokens = tokens;
        } else if !env_tokens.is_empty() {
            ob.app_tokens = env_tokens;
        }
        ob.webhook_urls = if ob_urls.is_empty() {
            env_ob_urls
        } else {
            ob_urls
        };
        let (mut tls_port, mut tls_dir) = (None, None);
        for (name, value) in pairs {
            let bad = |what: &str| format!("--{name} {value:?}: {what}");
            match name.as_str() {
                "port" => s.port = value.parse().map_err(|_| bad("not a port number"))?,
                "db" => s.db = Some(PathBuf::from(value)),
                "webhook-secret" => s.webhook_secret = Some(value),
                "approval-delay" => s.approval_delay = duration(&value).map_err(|e| bad(&e))?,
                "settlement-delay" => s.settlement_delay = duration(&value).map_err(|e| bad(&e))?,
                "webhook-backoff" => s.webhook_backoff = duration(&value).map_err(|e| bad(&e))?,
                "fault-seed" => s.faults.seed = value.parse().map_err(|_| bad("not a number"))?,
                "fault-503" => s.faults.unavailable = probability(&value).map_err(|e| bad(&e))?,
                "fault-drop" => {
                    s.faults.drop_after_commit = probability(&value).map_err(|e| bad(&e))?
                }
                "fault-latency" => s.faults.latency = probability(&value).map_err(|e| bad(&e))?,
                "fault-latency-max" => {
                    s.faults.latency_max = duration(&value).map_err(|e| bad(&e))?
                }
                "ob-client-id" => s.openbanking.client_id = value,
                "ob-client-secret" => s.openbanking.client_secret = value,
                "ob-token-ttl" => {
                    s.openbanking.token_ttl = match value.trim().parse::<u64>() {
                        Ok(n) if (1..=86_400).contains(&n) => n,
                        _ => return Err(bad("must be a number of seconds from 1 to 86400")),
                    }
                }
                "ob-webhook-secret" => s.openbanking.webhook_secret = value,
                "ob-results-delay" => {
                    s.openbanking.results_delay = duration(&value).map_err(|e| bad(&e))?
                }
                "ob-webhook-time-factor" => {
                    s.openbanking.webhook_time_factor = match value.trim().parse::<f64>() {
                        Ok(f) if f > 0.0 && f <= 1.0 => f,
                        _ => {
                            return Err(bad(
                                "must be a factor above 0 and at most 1, such as 0.001",
                            ))
                        }
                    }
                }
                "tls-port" => tls_port = Some(value.parse().map_err(|_| bad("not a port number"))?),
                "tls-dir" => tls_dir = Some(PathBuf::from(value)),
                _ => return Err(format!("unknown option --{name}\n\n{USAGE}")),
            }
        }
        if s.api_keys.is_empty() {
            return Err(format!(
                "no API key: pass --api-key KEY (or LEAN_SANDBOX_API_KEYS), the key your SDK will send\n\n{USAGE}"
            ));
        }
        if let Some(bad) = s
            .api_keys
            .iter()
            .find(|k| k.is_empty() || k.contains(':') || k.chars().any(char::is_whitespace))
        {
            let _ = bad;
            return Err("an API key is empty or contains ':' or white space".to_owned());
        }
        s.tls = match (tls_port, tls_dir) {
            (Some(port), Some(dir)) => Some(Tls { port, dir }),
            (None, None) => None,
            (Some(_), None) => return Err(
                "--tls-port needs --tls-dir DIR: where the certificates are, or are to be written"
                    .to_owned(),
            ),
            (None, Some(_)) => {
                return Err("--tls-dir needs --tls-port P (0 = any free port)".to_owned())
            }
        };
        for url in s.webhook_urls.iter().chain(&s.openbanking.webhook_urls) {
            check_webhook_url(url)?;
        }
        let ob = &s.openbanking;
        if ob
            .app_tokens
            .iter()
            .chain([&ob.client_id, &ob.client_secret])
            .any(|t| t.is_empty() || !t.chars().all(|c| c.is_ascii_graphic()))
        {
            return Err("an open-banking application token, client id or client secret is empty or not visible ASCII".to_owned());
        }
        if ob.webhook_secret.is_empty() {
            return Err("--ob-webhook-secret is empty".to_owned());
        }
        Ok(s)
    }

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
fn allowable_host(name: &str) -> bool {
    crate::guard::host_name(name) == Some(name.trim_start_matches('[').trim_end_matches(']'))
        && !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._[]:".contains(&b))
}

fn duration(text: &str) -> Result<Duration, String> {
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

fn probability(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err("must be a probability between 0 and 1, such as 0.15".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Settings, String> {
        Settings::parse(args.iter().map(|s| s.to_string()), |_| None)
    }

    #[test]
    fn flags_and_defaults() {
        let s = parse(&[
            "--api-key",
            "k1",
            "--api-key=k2",
            "--port",
            "0",
            "--fault-503",
            "0.2",
        ])
        .unwrap();
        assert_eq!(s.api_keys, ["k1", "k2"]);
        assert_eq!(s.signing_secret(), "k1");
        assert_eq!(s.faults.unavailable, 0.2);
        assert_eq!(s.approval_delay, Duration::from_secs(3));
        assert!(!format!("{s:?}").contains("k1"));
    }

    #[test]
    fn environment_is_the_default() {
        let s = Settings::parse(
            ["--settlement-delay".to_owned(), "5ms".to_owned()],
            |v| match v {
                "LEAN_SANDBOX_API_KEYS" => Some("a,b".into()),
                "LEAN_SANDBOX_SETTLEMENT_DELAY" => Some("9s".into()),
                _ => None,
            },
        )
        .unwrap();
        assert_eq!(s.api_keys, ["a", "b"]);
        assert_eq!(s.settlement_delay, Duration::from_millis(5));
    }

    #[test]
    fn refusals() {
        assert!(parse(&[]).unwrap_err().contains("no API key"));
        assert!(parse(&["--api-key", "k", "--fault-drop", "2"]).is_err());
        assert!(parse(&["--api-key", "k", "--webhook-url", "http://example.com/x"]).is_err());
        assert!(parse(&["--api-key", "k", "--webhook-url", "http://127.0.0.1:9/x"]).is_ok());
        assert!(parse(&["--api-key", "k", "--bogus", "1"]).is_err());
        assert!(parse(&["--api-key", "k", "--approval-delay", "99999999999999m"]).is_err());
        assert!(parse(&["--api-key", "k", "--approval-delay", "2d"]).is_err());
        assert!(parse(&["--api-key", "k", "--tls-port", "0"]).is_err());
        assert!(parse(&["--api-key", "k", "--ob-webhook-time-factor", "0"]).is_err());
        assert!(parse(&["--api-key", "k", "--ob-token-ttl", "0"]).is_err());
        assert!(parse(&["--api-key", "k", "--ob-webhook-url", "http://10.0.0.1/x"]).is_err());
        assert!(parse(&["--api-key", "k", "--allow-host", "http://x"]).is_err());
        assert!(parse(&["--api-key", "k", "--allow-host", "x:80"]).is_err());
        let s = parse(&["--api-key", "k", "--allow-host", "host.docker.internal"]).unwrap();
        assert_eq!(s.allowed_hosts, ["host.docker.internal"]);
        assert!(parse(&["--api-key", "k", "--allow-host", "[fd00::1]"]).is_ok());
    }

    #[test]
    fn hostile_flags() {
        let parse = |args: &[&str]| Hostile::parse(args.iter().map(|s| s.to_string()));
        let h = parse(&["--scenarios", "s.json", "--port=0", "--quiet"]).unwrap();
        assert_eq!(h.scenarios, PathBuf::from("s.json"));
        assert!(h.quiet && h.port == 0);
        assert!(parse(&["--port", "0"]).unwrap_err().contains("--scenarios"));
        assert!(parse(&["--scenarios", "s", "--api-key", "k"]).is_err());
        assert!(parse(&["--scenarios"]).is_err());
    }

    #[test]
    fn open_banking_and_tls() {
        let s = parse(&["--api-key", "k"]).unwrap();
        assert_eq!(s.openbanking, OpenBanking::default());
        assert_eq!(s.tls, None);
        let s = Settings::parse(
            [
                "--api-key",
                "k",
                "--ob-app-token",
                "t1",
                "--ob-client-secret",
                "cs",
                "--ob-webhook-time-factor",
                "0.001",
                "--tls-port",
                "0",
                "--tls-dir",
                "/tmp/c",
            ]
            .map(String::from),
            |v| (v == "LEAN_SANDBOX_OB_APP_TOKENS").then(|| "e1,e2".to_owned()),
        )
        .unwrap();
        assert_eq!(s.openbanking.app_tokens, ["t1"]);
        assert_eq!(s.openbanking.webhook_time_factor, 0.001);
        assert_eq!(s.tls.as_ref().map(|t| t.port), Some(0));
        let printed = format!("{s:?}");
        assert!(
            !printed.contains("t1") && !printed.contains("\"cs\""),
            "{printed}"
        );
    }
}
