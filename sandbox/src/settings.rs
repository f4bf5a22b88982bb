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

Durations D are like 250ms, 3s or 2m (a bare number means milliseconds).
The first stdout line is `listening on http://127.0.0.1:PORT`; the API is under /api.";

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
        ] {
            if let Some(v) = env(var).filter(|v| !v.is_empty()) {
                pairs.push((name.to_owned(), v));
            }
        }
        let env_keys = env("LEAN_SANDBOX_API_KEYS").map(list).unwrap_or_default();
        let env_urls = env("LEAN_SANDBOX_WEBHOOK_URLS")
            .map(list)
            .unwrap_or_default();
        s.quiet = env("LEAN_SANDBOX_QUIET").is_some_and(|v| v == "1" || v == "true");

        let mut keys = Vec::new();
        let mut urls = Vec::new();
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
                _ => pairs.push((name, value)),
            }
        }
        s.api_keys = if keys.is_empty() { env_keys } else { keys };
        s.webhook_urls = if urls.is_empty() { env_urls } else { urls };
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
        for url in &s.webhook_urls {
            check_webhook_url(url)?;
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
    }
}
