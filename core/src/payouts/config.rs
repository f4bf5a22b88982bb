//! The payouts client's configuration: where requests go, how they
//! authenticate, how they identify themselves and how hard they retry.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;

use crate::config::{user_agent, RetryPolicy};
use crate::error::Error;
use crate::secret::ApiKey;

/// The default per-attempt timeout of payouts calls: an answer slower than
/// this is reported to the engine as a timeout (and retried only where that
/// is safe).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Which Lean deployment to talk to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Environment {
    /// Lean's staging deployment: no real money, and the application
    /// endpoint exists.
    #[default]
    Sandbox,
    /// Real payouts. Lean accepts production keys only from allow-listed IP
    /// addresses (reference, *Authentication*).
    Production,
}

impl Environment {
    /// The documented base URL. The reference's curl examples also show
    /// `staging.app.withlean.com`; its *Schema* section, which this follows,
    /// says `app.staging.withlean.com`.
    pub fn base_url(self) -> &'static str {
        match self {
            Self::Sandbox => "https://app.staging.withlean.com/api",
            Self::Production => "https://app.withlean.com/api",
        }
    }

    /// Reads `"sandbox"` or `"production"` (any case), as hosts pass it.
    pub fn parse(name: &str) -> Result<Self, Error> {
        match name.trim().to_ascii_lowercase().as_str() {
            "sandbox" | "staging" => Ok(Self::Sandbox),
            "production" | "live" => Ok(Self::Production),
            _ => Err(Error::configuration(format!(
                "unknown environment {name:?}: use \"sandbox\" or \"production\""
            ))),
        }
    }

    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sandbox => "sandbox",
            Self::Production => "production",
        }
    }
}

/// Everything an operation needs besides its input. Cheap to clone: the
/// text parts are shared, so every call can keep its own `Config` (for the
/// requests of its retries and lookups) without a copy of each string.
#[derive(Clone, PartialEq, Eq)]
pub struct Config {
    environment: Environment,
    text: Arc<ConfigText>,
    /// Retry behaviour of the call engine.
    pub retry: RetryPolicy,
    /// How long a host transport should wait for one attempt before
    /// reporting a timeout (the core has no clock; hosts apply it).
    pub timeout: Duration,
}

/// The parts of a [`Config`] that are text, shared between its clones.
#[derive(Clone, PartialEq, Eq)]
struct ConfigText {
    api_key: ApiKey,
    base_url: String,
    authorization: String,
    user_agent: String,
}

impl Config {
    /// A configuration for `environment` with the documented base URL.
    /// The key must be non-empty and free of white space, control
    /// characters and `:` (which HTTP Basic auth cannot carry in a user name).
    pub fn new(api_key: impl Into<ApiKey>, environment: Environment) -> Result<Self, Error> {
        let api_key = api_key.into();
        let key = api_key.expose();
        if key.is_empty() {
            return Err(Error::configuration(
                "the API key is empty: pass the key Lean gave you (for the local sandbox, the one it was started with)",
            ));
        }
        if key
            .chars()
            .any(|c| c == ':' || c.is_whitespace() || c.is_control())
        {
            return Err(Error::configuration(
                "the API key contains white space, a control character or ':'; check that it was copied whole and alone",
            ));
        }
        let authorization = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{key}:"))
        );
        Ok(Self {
            environment,
            text: Arc::new(ConfigText {
                api_key,
                base_url: environment.base_url().to_owned(),
                authorization,
                user_agent: user_agent("rust"),
            }),
            retry: RetryPolicy::default(),
            timeout: DEFAULT_TIMEOUT,
        })
    }

    /// Sends requests to another base URL, such as the local sandbox. It
    /// must be `https://`, or `http://` on a loopback host (`localhost`,
    /// `127.x.x.x`, `[::1]`): an API key is never sent in clear text over a
    /// network. The environment still decides what is allowed (the
    /// application endpoint stays refused for production).
    pub fn with_base_url(mut self, base_url: &str) -> Result<Self, Error> {
        let base_url = crate::url::check_base_url("base URL", base_url)?;
        self.text = Arc::new(ConfigText {
            base_url,
            ..ConfigText::clone(&self.text)
        });
        Ok(self)
    }

    /// Names the host language and runtime in the `User-Agent`, e.g.
    /// `"node/20.11.0"` or `"python/3.12.1"`.
    pub fn with_host(mut self, host: &str) -> Self {
        self.text = Arc::new(ConfigText {
            user_agent: user_agent(host),
            ..ConfigText::clone(&self.text)
        });
        self
    }

    /// Replaces the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The environment.
    pub fn environment(&self) -> Environment {
        self.environment
    }

    /// The base URL requests are built on, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.text.base_url
    }

    /// The `User-Agent` header value.
    pub fn user_agent(&self) -> &str {
        &self.text.user_agent
    }

    /// The `Authorization` header value (contains the key: never log it).
    pub(crate) fn authorization(&self) -> &str {
        &self.text.authorization
    }

    /// The API key.
    pub fn api_key(&self) -> &ApiKey {
        &self.text.api_key
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("api_key", &self.text.api_key)
            .field("environment", &self.environment)
            .field("base_url", &self.text.base_url)
            .field("user_agent", &self.text.user_agent)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_key() {
        let config = Config::new("sk_test_secret123", Environment::Sandbox).unwrap();
        let shown = format!("{config:?}");
        assert!(!shown.contains("secret123"), "{shown}");
        assert!(!shown.contains(&config.authorization()[6..]), "{shown}");
    }

    #[test]
    fn credentials_in_a_base_url_are_never_echoed() {
        let config = Config::new("k", Environment::Sandbox).unwrap();
        for bad in [
            "https://sk_live_123:@app.withlean.com/api",
            "http://sk_live_123@example.com",
            "sk_live_123:@app.withlean.com",
            "https://app.withlean.com/api?key=sk_live_123@",
        ] {
            let error = config.clone().with_base_url(bad).unwrap_err();
            assert_eq!(error.code(), "configuration", "{bad}");
            let shown = format!("{error} {error:?} {}", error.to_json());
            assert!(!shown.contains("sk_live_123"), "{shown}");
        }
    }

    #[test]
    fn base_urls() {
        let config = Config::new("k", Environment::Sandbox).unwrap();
        for ok in [
            "https://example.com/api/",
            "http://127.0.0.1:8080",
            "http://localhost:3000/api",
            "http://[::1]:9000",
        ] {
            assert!(config.clone().with_base_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com",
            "ftp://x",
            "example.com",
            "https://u:p@x.com",
            "https://x.com?a=1",
            "http://127.0.0.1.evil.com",
            "https://",
        ] {
            assert_eq!(
                config.clone().with_base_url(bad).unwrap_err().code(),
                "configuration",
                "{bad}"
            );
        }
    }
}
