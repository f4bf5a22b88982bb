//! The command line: `serve`, `certs`, `hostile`. Every `serve` flag also
//! reads an environment variable, so that a test harness in any language
//! can configure the sandbox either way; a flag wins over its variable.

use std::path::PathBuf;
use std::time::Duration;

use clap::builder::BoolishValueParser;
use clap::{Args, Parser, Subcommand};

use crate::log::LogFormat;
use crate::settings::{self, Faults, OpenBanking, Settings, Tls};
use crate::trigger::{Keys, Trigger};

/// A local emulator of the Lean Payouts and open-banking APIs.
#[derive(Debug, Parser)]
#[command(name = "lean-sandbox", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve both APIs on 127.0.0.1. The first stdout line is
    /// `listening on http://127.0.0.1:PORT` (the payouts API is under
    /// /api); with --tls-port, the second is `listening (mTLS) on
    /// https://127.0.0.1:PORT`.
    Serve(Box<Serve>),
    /// Write the mTLS test certificates into DIR and exit.
    Certs {
        /// Where to write them (created if needed).
        dir: PathBuf,
    },
    /// The misbehaving server of the conformance scenarios
    /// (tests/conformance/README.md); it prints `listening on
    /// http://127.0.0.1:PORT`, then `other origin on http://127.0.0.1:PORT`.
    Hostile(Hostile),
    /// Send one webhook of EVENT to your handler now, built and signed as
    /// Lean would, and say whether Lean would count it delivered (payouts:
    /// any 2xx; open banking: exactly 200). Redirects are never followed.
    Trigger(Box<TriggerArgs>),
    /// List a running sandbox's webhook deliveries, newest first: event,
    /// receiver, attempts, last status and next retry.
    Events(SandboxUrl),
    /// Send one delivery of a running sandbox again, now.
    Resend {
        /// The delivery's id, as `lean-sandbox events` lists it.
        id: i64,
        /// The running sandbox.
        #[command(flatten)]
        sandbox: SandboxUrl,
    },
}

/// Where a running sandbox is.
#[derive(Debug, Args)]
pub struct SandboxUrl {
    /// The sandbox's URL, as its `listening on` line prints it.
    #[arg(long, value_name = "URL", env = "LEAN_SANDBOX_URL")]
    pub url: String,
    /// Print the JSON answer instead of lines.
    #[arg(long)]
    pub json: bool,
}

/// The flags of `trigger`. Its keys read the variables `serve` reads, so
/// with the same environment it signs as that sandbox does.
#[derive(Debug, Args)]
pub struct TriggerArgs {
    /// The event type.
    #[arg(value_name = "EVENT", value_parser = event_names())]
    pub event: String,
    /// Your handler's URL (loopback http:// only).
    #[arg(long, value_name = "URL")]
    pub to: String,
    /// A JSON object of fields merged into the event's object (`data` for
    /// payouts, `payload` for open banking); null removes a field.
    #[arg(long, value_name = "JSON")]
    pub data: Option<String>,
    /// Send the very same body and signature N more times (a handler must
    /// de-duplicate).
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=i64::from(crate::trigger::MAX_REPLAY)))]
    pub replay: u32,
    /// Sign with a wrong key: the handler must refuse it.
    #[arg(long, conflicts_with = "unsigned")]
    pub bad_signature: bool,
    /// Send no signature header: the handler must refuse it.
    #[arg(long)]
    pub unsigned: bool,
    /// Sign with this key instead (to test secret rotation).
    #[arg(long, value_name = "S")]
    pub secret: Option<String>,
    /// The keys, as `serve` reads them.
    #[command(flatten)]
    pub keys: SigningKeys,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The keys webhooks are signed with. `serve` and `trigger` read the same
/// flags and variables, so with the same environment `trigger` signs as the
/// sandbox does.
#[derive(Debug, Args)]
pub struct SigningKeys {
    /// Accepted API key (the HTTP Basic user name your SDK sends), repeatable;
    /// `serve` needs at least one. The first signs payouts webhooks unless
    /// --webhook-secret is given.
    #[arg(
        long = "api-key",
        value_name = "KEY",
        env = "LEAN_SANDBOX_API_KEYS",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub api_keys: Vec<String>,
    /// HMAC key of x-lean-signature [default: the first API key].
    #[arg(
        long,
        value_name = "S",
        env = "LEAN_SANDBOX_WEBHOOK_SECRET",
        hide_env_values = true
    )]
    pub webhook_secret: Option<String>,
    /// HMAC-SHA512 key of lean-signature (open banking).
    #[arg(long, value_name = "S", env = "LEAN_SANDBOX_OB_WEBHOOK_SECRET", default_value = settings::DEFAULT_OB_WEBHOOK_SECRET, hide_env_values = true)]
    pub ob_webhook_secret: String,
}

fn event_names() -> clap::builder::PossibleValuesParser {
    let names: Vec<&'static str> = crate::trigger::event_types()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    clap::builder::PossibleValuesParser::new(names)
}

impl TriggerArgs {
    /// The trigger and the keys to sign it with.
    pub fn into_trigger(self) -> Result<(Trigger, Keys), String> {
        let data = match &self.data {
            None => None,
            Some(text) => {
                Some(serde_json::from_str(text).map_err(|e| format!("--data is not JSON: {e}"))?)
            }
        };
        let first_key = self
            .keys
            .api_keys
            .iter()
            .map(|k| k.trim())
            .find(|k| !k.is_empty());
        let payouts = self
            .keys
            .webhook_secret
            .as_deref()
            .filter(|s| !s.is_empty())
            .or(first_key)
            .unwrap_or_default()
            .to_owned();
        let trigger = Trigger {
            event: self.event,
            to: self.to,
            data,
            replay: self.replay,
            bad_signature: self.bad_signature,
            unsigned: self.unsigned,
            secret: self.secret,
        };
        let payouts_event = crate::trigger::check(&trigger)
            .map_err(|(field, message)| format!("{}: {message}", field.replace('_', "-")))?
            == crate::trigger::Product::Payouts;
        if payouts_event && payouts.is_empty() && trigger.secret.is_none() && !trigger.unsigned {
            return Err("a payouts webhook is signed with your API key: pass --api-key KEY (or LEAN_SANDBOX_API_KEYS), --webhook-secret S or --secret S".to_owned());
        }
        let keys = Keys {
            payouts,
            openbanking: self.keys.ob_webhook_secret,
        };
        Ok((trigger, keys))
    }
}

/// The flags of `serve`. Durations are like 250ms, 3s or 2m (a bare
/// number means milliseconds); lists in environment variables are
/// comma-separated.
#[derive(Debug, Args)]
#[command(args_override_self = true)]
pub struct Serve {
    /// TCP port on 127.0.0.1, 0 = any free one.
    #[arg(long, env = "LEAN_SANDBOX_PORT", default_value_t = 0)]
    pub port: u16,
    /// SQLite file; in memory when absent.
    #[arg(long, env = "LEAN_SANDBOX_DB")]
    pub db: Option<PathBuf>,
    /// The API keys and webhook secrets.
    #[command(flatten)]
    pub keys: SigningKeys,
    /// Payouts webhook receiver (loopback), repeatable.
    #[arg(
        long = "webhook-url",
        value_name = "URL",
        env = "LEAN_SANDBOX_WEBHOOK_URLS",
        value_delimiter = ','
    )]
    pub webhook_urls: Vec<String>,
    /// From application submission to customer ACTIVE.
    #[arg(long, value_name = "D", env = "LEAN_SANDBOX_APPROVAL_DELAY", default_value = "3s", value_parser = settings::duration)]
    pub approval_delay: Duration,
    /// From a payout's creation to SUCCESS or FAILED.
    #[arg(long, value_name = "D", env = "LEAN_SANDBOX_SETTLEMENT_DELAY", default_value = "3s", value_parser = settings::duration)]
    pub settlement_delay: Duration,
    /// The wait before the first payouts webhook retry; it doubles.
    #[arg(long, value_name = "D", env = "LEAN_SANDBOX_WEBHOOK_BACKOFF", default_value = "1s", value_parser = settings::duration)]
    pub webhook_backoff: Duration,
    /// Seed of the fault generator, so that a sequential run repeats.
    #[arg(
        long,
        value_name = "N",
        env = "LEAN_SANDBOX_FAULT_SEED",
        default_value_t = 1
    )]
    pub fault_seed: u64,
    /// Probability of answering 503 without doing anything.
    #[arg(long = "fault-503", value_name = "P", env = "LEAN_SANDBOX_FAULT_503", default_value = "0", value_parser = settings::probability)]
    pub fault_unavailable: f64,
    /// Probability of dropping the connection after the write was committed.
    #[arg(long, value_name = "P", env = "LEAN_SANDBOX_FAULT_DROP", default_value = "0", value_parser = settings::probability)]
    pub fault_drop: f64,
    /// Probability of an added delay.
    #[arg(long, value_name = "P", env = "LEAN_SANDBOX_FAULT_LATENCY", default_value = "0", value_parser = settings::probability)]
    pub fault_latency: f64,
    /// The longest added delay.
    #[arg(long, value_name = "D", env = "LEAN_SANDBOX_FAULT_LATENCY_MAX", default_value = "200ms", value_parser = settings::duration)]
    pub fault_latency_max: Duration,
    /// Answer every Nth API request 429 with Retry-After, doing nothing (0 = never).
    #[arg(
        long = "fault-429-every",
        value_name = "N",
        env = "LEAN_SANDBOX_FAULT_429_EVERY",
        default_value_t = 0
    )]
    pub fault_throttle_every: u64,
    /// The Retry-After of those 429s, in seconds.
    #[arg(long, value_name = "SECONDS", env = "LEAN_SANDBOX_FAULT_RETRY_AFTER", default_value_t = 1, value_parser = clap::value_parser!(u64).range(0..=crate::throttle::MAX_RETRY_AFTER))]
    pub fault_retry_after: u64,
    /// No log lines on stderr.
    #[arg(long, env = "LEAN_SANDBOX_QUIET", value_parser = BoolishValueParser::new(), default_value_t = false, num_args = 0, default_missing_value = "true")]
    pub quiet: bool,
    /// How request logs are written on stderr.
    #[arg(
        long,
        value_name = "FORMAT",
        env = "LEAN_SANDBOX_LOG_FORMAT",
        value_enum,
        default_value_t
    )]
    pub log_format: LogFormat,
    /// Accept this Host besides localhost, 127.0.0.0/8 and `[::1]`, repeatable
    /// (for a sandbox exposed on purpose).
    #[arg(
        long = "allow-host",
        value_name = "NAME",
        env = "LEAN_SANDBOX_ALLOWED_HOSTS",
        value_delimiter = ','
    )]
    pub allowed_hosts: Vec<String>,

    /// The open-banking emulation.
    #[command(flatten)]
    pub openbanking: ObServe,
    /// The mTLS listener.
    #[command(flatten)]
    pub tls: TlsServe,
}

/// The open-banking flags of `serve`.
#[derive(Debug, Args)]
#[command(next_help_heading = "Open banking (/customers/v1, /data, /payments/v1, /oauth2/token)")]
pub struct ObServe {
    /// Accepted lean-app-token, repeatable [default: sandbox-app-token].
    #[arg(
        long = "ob-app-token",
        value_name = "T",
        env = "LEAN_SANDBOX_OB_APP_TOKENS",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub ob_app_tokens: Vec<String>,
    /// The OAuth client id (the application id).
    #[arg(long, value_name = "ID", env = "LEAN_SANDBOX_OB_CLIENT_ID", default_value = settings::DEFAULT_CLIENT_ID)]
    pub ob_client_id: String,
    /// The OAuth client secret.
    #[arg(long, value_name = "S", env = "LEAN_SANDBOX_OB_CLIENT_SECRET", default_value = settings::DEFAULT_CLIENT_SECRET, hide_env_values = true)]
    pub ob_client_secret: String,
    /// The expires_in of issued tokens, in seconds (short values test renewal).
    #[arg(long, value_name = "SECONDS", env = "LEAN_SANDBOX_OB_TOKEN_TTL", default_value_t = 3599, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub ob_token_ttl: u64,
    /// Open-banking webhook receiver (loopback), repeatable.
    #[arg(
        long = "ob-webhook-url",
        value_name = "URL",
        env = "LEAN_SANDBOX_OB_WEBHOOK_URLS",
        value_delimiter = ','
    )]
    pub ob_webhook_urls: Vec<String>,
    /// From an asynchronous data call to its results (and results.ready).
    #[arg(long, value_name = "D", env = "LEAN_SANDBOX_OB_RESULTS_DELAY", default_value = "1s", value_parser = settings::duration)]
    pub ob_results_delay: Duration,
    /// Multiplies the documented times: the webhook retry schedule 1, 2, 5, 10, 60, 180 minutes and the 50 s wait of a synchronous data call on a slow bank (0.001 makes them milliseconds).
    #[arg(long, value_name = "F", env = "LEAN_SANDBOX_OB_WEBHOOK_TIME_FACTOR", default_value = "1", value_parser = settings::time_factor)]
    pub ob_webhook_time_factor: f64,
}

/// The mTLS flags of `serve`.
#[derive(Debug, Args)]
#[command(next_help_heading = "mTLS")]
pub struct TlsServe {
    /// Also listen with mutual TLS on this port, 0 = any free one.
    #[arg(
        long,
        value_name = "P",
        env = "LEAN_SANDBOX_TLS_PORT",
        requires = "tls_dir"
    )]
    pub tls_port: Option<u16>,
    /// The mTLS certificates, generated when absent.
    #[arg(
        long,
        value_name = "DIR",
        env = "LEAN_SANDBOX_TLS_DIR",
        requires = "tls_port"
    )]
    pub tls_dir: Option<PathBuf>,
}

/// The flags of `hostile`: flags only, since only test runners start it.
#[derive(Clone, Debug, PartialEq, Eq, Args)]
pub struct Hostile {
    /// The scenario file (tests/conformance/scenarios.json).
    #[arg(long, value_name = "FILE")]
    pub scenarios: PathBuf,
    /// TCP port of the main origin on 127.0.0.1, 0 = any free one; the
    /// other origin always takes a free port.
    #[arg(long, value_name = "P", default_value_t = 0)]
    pub port: u16,
    /// No log lines.
    #[arg(long)]
    pub quiet: bool,
}

impl Serve {
    /// The settings, after the checks that span flags or need more than
    /// one value's syntax.
    pub fn into_settings(self) -> Result<Settings, String> {
        let list = |values: Vec<String>| -> Vec<String> {
            values
                .into_iter()
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .collect()
        };
        let api_keys = list(self.keys.api_keys);
        if api_keys.is_empty() {
            return Err(
                "no API key: pass --api-key KEY (or LEAN_SANDBOX_API_KEYS), the key your SDK will send"
                    .to_owned(),
            );
        }
        if api_keys
            .iter()
            .any(|k| k.contains(':') || k.chars().any(char::is_whitespace))
        {
            return Err("an API key contains ':' or white space".to_owned());
        }
        let allowed_hosts = list(self.allowed_hosts);
        if let Some(bad) = allowed_hosts.iter().find(|h| !settings::allowable_host(h)) {
            return Err(format!(
                "--allow-host {bad:?}: give a host name or address as the client writes it in Host, without scheme, port or path (such as host.docker.internal or [fd00::1])"
            ));
        }
        let ob = self.openbanking;
        let mut app_tokens = list(ob.ob_app_tokens);
        if app_tokens.is_empty() {
            app_tokens.push(settings::DEFAULT_APP_TOKEN.to_owned());
        }
        let openbanking = OpenBanking {
            app_tokens,
            client_id: ob.ob_client_id,
            client_secret: ob.ob_client_secret,
            token_ttl: ob.ob_token_ttl,
            webhook_secret: self.keys.ob_webhook_secret,
            webhook_urls: list(ob.ob_webhook_urls),
            results_delay: ob.ob_results_delay,
            time_factor: ob.ob_webhook_time_factor,
        };
        if openbanking
            .app_tokens
            .iter()
            .chain([&openbanking.client_id, &openbanking.client_secret])
            .any(|t| t.is_empty() || !t.chars().all(|c| c.is_ascii_graphic()))
        {
            return Err("an open-banking application token, client id or client secret is empty or not visible ASCII".to_owned());
        }
        if openbanking.webhook_secret.is_empty() {
            return Err("--ob-webhook-secret is empty".to_owned());
        }
        let settings = Settings {
            port: self.port,
            db: self.db,
            api_keys,
            webhook_urls: list(self.webhook_urls),
            webhook_secret: self.keys.webhook_secret.filter(|s| !s.is_empty()),
            approval_delay: self.approval_delay,
            settlement_delay: self.settlement_delay,
            webhook_backoff: self.webhook_backoff,
            faults: Faults {
                seed: self.fault_seed,
                unavailable: self.fault_unavailable,
                drop_after_commit: self.fault_drop,
                latency: self.fault_latency,
                latency_max: self.fault_latency_max,
                throttle_every: self.fault_throttle_every,
                retry_after: self.fault_retry_after,
            },
            quiet: self.quiet,
            log_format: self.log_format,
            openbanking,
            tls: self
                .tls
                .tls_port
                .zip(self.tls.tls_dir)
                .map(|(port, dir)| Tls { port, dir }),
            allowed_hosts,
        };
        for url in settings
            .webhook_urls
            .iter()
            .chain(&settings.openbanking.webhook_urls)
        {
            settings::check_webhook_url(url)?;
        }
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn serve(args: &[&str]) -> Result<Settings, String> {
        let cli = Cli::try_parse_from(["lean-sandbox", "serve"].iter().chain(args))
            .map_err(|e| e.to_string())?;
        match cli.command {
            Command::Serve(serve) => serve.into_settings(),
            other => panic!("parsed {other:?}"),
        }
    }

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    /// The variables scripts and host harnesses set: each flag keeps its
    /// spelling and its variable.
    #[test]
    fn every_flag_has_its_variable() {
        let expected = [
            ("port", "LEAN_SANDBOX_PORT"),
            ("db", "LEAN_SANDBOX_DB"),
            ("api-key", "LEAN_SANDBOX_API_KEYS"),
            ("webhook-url", "LEAN_SANDBOX_WEBHOOK_URLS"),
            ("webhook-secret", "LEAN_SANDBOX_WEBHOOK_SECRET"),
            ("approval-delay", "LEAN_SANDBOX_APPROVAL_DELAY"),
            ("settlement-delay", "LEAN_SANDBOX_SETTLEMENT_DELAY"),
            ("webhook-backoff", "LEAN_SANDBOX_WEBHOOK_BACKOFF"),
            ("fault-seed", "LEAN_SANDBOX_FAULT_SEED"),
            ("fault-503", "LEAN_SANDBOX_FAULT_503"),
            ("fault-drop", "LEAN_SANDBOX_FAULT_DROP"),
            ("fault-latency", "LEAN_SANDBOX_FAULT_LATENCY"),
            ("fault-latency-max", "LEAN_SANDBOX_FAULT_LATENCY_MAX"),
            ("fault-429-every", "LEAN_SANDBOX_FAULT_429_EVERY"),
            ("fault-retry-after", "LEAN_SANDBOX_FAULT_RETRY_AFTER"),
            ("quiet", "LEAN_SANDBOX_QUIET"),
            ("log-format", "LEAN_SANDBOX_LOG_FORMAT"),
            ("allow-host", "LEAN_SANDBOX_ALLOWED_HOSTS"),
            ("ob-app-token", "LEAN_SANDBOX_OB_APP_TOKENS"),
            ("ob-client-id", "LEAN_SANDBOX_OB_CLIENT_ID"),
            ("ob-client-secret", "LEAN_SANDBOX_OB_CLIENT_SECRET"),
            ("ob-token-ttl", "LEAN_SANDBOX_OB_TOKEN_TTL"),
            ("ob-webhook-secret", "LEAN_SANDBOX_OB_WEBHOOK_SECRET"),
            ("ob-webhook-url", "LEAN_SANDBOX_OB_WEBHOOK_URLS"),
            ("ob-results-delay", "LEAN_SANDBOX_OB_RESULTS_DELAY"),
            (
                "ob-webhook-time-factor",
                "LEAN_SANDBOX_OB_WEBHOOK_TIME_FACTOR",
            ),
            ("tls-port", "LEAN_SANDBOX_TLS_PORT"),
            ("tls-dir", "LEAN_SANDBOX_TLS_DIR"),
        ];
        let command = Cli::command();
        let serve = command.find_subcommand("serve").unwrap();
        let declared: Vec<(String, String)> = serve
            .get_arguments()
            .filter_map(|a| {
                let long = a.get_long()?;
                let env = a.get_env()?.to_str()?;
                Some((long.to_owned(), env.to_owned()))
            })
            .collect();
        for (flag, var) in expected {
            assert!(
                declared.iter().any(|(f, v)| f == flag && v == var),
                "--{flag} should read {var}: {declared:?}"
            );
        }
        assert_eq!(declared.len(), expected.len(), "{declared:?}");
    }

    #[test]
    fn flags_and_defaults() {
        let s = serve(&[
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
        assert_eq!(s.faults.latency_max, Duration::from_millis(200));
        assert_eq!(s.log_format, LogFormat::Text);
        assert!(!s.quiet);
        assert!(!format!("{s:?}").contains("k1"));
        let s = serve(&["--api-key", "k", "--quiet", "--log-format", "json"]).unwrap();
        assert!(s.quiet);
        assert_eq!(s.log_format, LogFormat::Json);
        // The last of a repeated flag wins, so a harness can append to
        // its defaults.
        let s = serve(&[
            "--api-key",
            "k",
            "--settlement-delay",
            "1s",
            "--settlement-delay",
            "5",
        ])
        .unwrap();
        assert_eq!(s.settlement_delay, Duration::from_millis(5));
    }

    #[test]
    fn refusals() {
        assert!(serve(&[]).unwrap_err().contains("no API key"));
        for bad in [
            &["--fault-drop", "2"][..],
            &["--webhook-url", "http://example.com/x"],
            &["--bogus", "1"],
            &["--approval-delay", "99999999999999m"],
            &["--approval-delay", "2d"],
            &["--tls-port", "0"],
            &["--tls-dir", "/tmp/c"],
            &["--ob-webhook-time-factor", "0"],
            &["--ob-token-ttl", "0"],
            &["--ob-webhook-url", "http://10.0.0.1/x"],
            &["--allow-host", "http://x"],
            &["--allow-host", "x:80"],
            &["--log-format", "xml"],
        ] {
            let mut args = vec!["--api-key", "k"];
            args.extend_from_slice(bad);
            assert!(serve(&args).is_err(), "{bad:?} was accepted");
        }
        assert!(serve(&["--api-key", "k", "--webhook-url", "http://127.0.0.1:9/x"]).is_ok());
        let s = serve(&["--api-key", "k", "--allow-host", "host.docker.internal"]).unwrap();
        assert_eq!(s.allowed_hosts, ["host.docker.internal"]);
        assert!(serve(&["--api-key", "k", "--allow-host", "[fd00::1]"]).is_ok());
    }

    #[test]
    fn hostile_flags() {
        let parse = |args: &[&str]| {
            Cli::try_parse_from(["lean-sandbox", "hostile"].iter().chain(args)).map(|c| c.command)
        };
        let Ok(Command::Hostile(h)) = parse(&["--scenarios", "s.json", "--port=0", "--quiet"])
        else {
            panic!("hostile flags refused")
        };
        assert_eq!(h.scenarios, PathBuf::from("s.json"));
        assert!(h.quiet && h.port == 0);
        assert!(parse(&["--port", "0"])
            .unwrap_err()
            .to_string()
            .contains("--scenarios"));
        assert!(parse(&["--scenarios", "s", "--api-key", "k"]).is_err());
        assert!(parse(&["--scenarios"]).is_err());
    }

    #[test]
    fn trigger_events_and_resend_flags() {
        let parse = |args: &[&str]| Cli::try_parse_from(args.iter()).map(|c| c.command);
        let Ok(Command::Trigger(t)) = parse(&[
            "lean-sandbox",
            "trigger",
            "gig.failed",
            "--to",
            "http://127.0.0.1:9/h",
            "--data",
            "{\"tips\": null}",
            "--replay",
            "3",
            "--bad-signature",
            "--secret",
            "s2",
            "--api-key",
            "k",
            "--webhook-secret",
            "w",
            "--ob-webhook-secret",
            "o",
            "--json",
        ]) else {
            panic!("trigger flags refused")
        };
        assert_eq!((t.replay, t.bad_signature, t.json), (3, true, true));
        let (trigger, keys) = t.into_trigger().unwrap();
        assert_eq!(trigger.data, Some(serde_json::json!({"tips": null})));
        assert_eq!(trigger.secret.as_deref(), Some("s2"));
        assert_eq!(
            (keys.payouts.as_str(), keys.openbanking.as_str()),
            ("w", "o")
        );
        for bad in [
            &[
                "lean-sandbox",
                "trigger",
                "gig.refunded",
                "--to",
                "http://127.0.0.1:9/",
            ][..],
            &["lean-sandbox", "trigger", "gig.failed"],
            &[
                "lean-sandbox",
                "trigger",
                "gig.failed",
                "--to",
                "u",
                "--replay",
                "101",
            ],
            &[
                "lean-sandbox",
                "trigger",
                "gig.failed",
                "--to",
                "u",
                "--unsigned",
                "--bad-signature",
            ],
            &["lean-sandbox", "resend", "x", "--url", "http://127.0.0.1:1"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?} was accepted");
        }
        let Ok(Command::Resend { id, sandbox }) =
            parse(&["lean-sandbox", "resend", "7", "--url", "http://127.0.0.1:1"])
        else {
            panic!("resend refused")
        };
        assert_eq!((id, sandbox.url.as_str()), (7, "http://127.0.0.1:1"));
        assert!(matches!(
            parse(&[
                "lean-sandbox",
                "events",
                "--url",
                "http://127.0.0.1:1",
                "--json"
            ]),
            Ok(Command::Events(SandboxUrl { json: true, .. }))
        ));
    }

    #[test]
    fn open_banking_and_tls() {
        let s = serve(&["--api-key", "k"]).unwrap();
        assert_eq!(s.openbanking, OpenBanking::default());
        assert_eq!(s.tls, None);
        let s = serve(&[
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
        ])
        .unwrap();
        assert_eq!(s.openbanking.app_tokens, ["t1"]);
        assert_eq!(s.openbanking.time_factor, 0.001);
        assert_eq!(s.tls.as_ref().map(|t| t.port), Some(0));
        let printed = format!("{s:?}");
        assert!(
            !printed.contains("t1") && !printed.contains("\"cs\""),
            "{printed}"
        );
    }
}
