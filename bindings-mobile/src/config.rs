//! The payouts client's configuration as it crosses: validated by the
//! core, the key kept inside Rust. Its `start` is in `call.rs`, beside the
//! call it starts.

use std::sync::Arc;

use crate::error::{guard, Result};

/// Where requests go and how they authenticate. The key is kept inside
/// Rust and never printed.
#[derive(uniffi::Object)]
pub struct NativeConfig(pub(crate) lean_core::Config);

impl std::fmt::Debug for NativeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[uniffi::export]
impl NativeConfig {
    /// `environment` is `"sandbox"` or `"production"`; `base_url` overrides
    /// its URL (https, or http on loopback); `max_retries` replaces the
    /// default of 2; `host` names the platform in the `User-Agent`
    /// (`"kotlin/2.1.0"`, `"swift/6.0"`).
    #[uniffi::constructor]
    pub fn new(
        api_key: String,
        environment: String,
        base_url: Option<String>,
        max_retries: Option<u32>,
        host: String,
    ) -> Result<Arc<Self>> {
        guard(|| {
            let environment = lean_core::Environment::parse(&environment)?;
            let mut config = lean_core::Config::new(api_key, environment)?.with_host(&host);
            if let Some(url) = base_url {
                config = config.with_base_url(&url)?;
            }
            if let Some(max_retries) = max_retries {
                config.retry.max_retries = max_retries;
            }
            Ok(Arc::new(Self(config)))
        })
    }

    /// The base URL requests are built on.
    pub fn base_url(&self) -> String {
        self.0.base_url().to_owned()
    }

    /// How long one attempt may take before the host reports a timeout.
    pub fn timeout_ms(&self) -> u64 {
        self.0.timeout.as_millis() as u64
    }

    /// The configuration with the key redacted, for `toString()`.
    pub fn describe(&self) -> String {
        format!("{:?}", self.0)
    }
}
