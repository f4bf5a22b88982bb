//! Where open-banking requests go: the API host, the OAuth token host and
//! whether the host demands mutual TLS.

use std::fmt;

use crate::error::Error;

/// Lean's two deployments of the open-banking API, which share nothing:
/// an application, its tokens and its customers live in one region.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Region {
    /// United Arab Emirates (`leantech.me`).
    Uae,
    /// Kingdom of Saudi Arabia (`sa.leantech.me`).
    Ksa,
}

/// A deployment of the open-banking API. Built from one of the documented
/// constructors or from [`Environment::custom`]; every field is readable so
/// that a host can configure its transport (mTLS) from it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Environment {
    name: &'static str,
    api_base_url: String,
    token_base_url: Option<String>,
    mtls: bool,
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Environment")
            .field("name", &self.name)
            .field("api_base_url", &self.api_base_url)
            .field("token_base_url", &self.token_base_url)
            .field("mtls", &self.mtls)
            .finish()
    }
}

impl Environment {
    fn documented(name: &'static str, api: &str, token: Option<&str>, mtls: bool) -> Self {
        Self {
            name,
            api_base_url: api.to_owned(),
            token_base_url: token.map(str::to_owned),
            mtls,
        }
    }

    /// UAE sandbox, `https://sandbox.leantech.me`: mock data, no mTLS.
    /// Its OAuth token host is not documented, so OAuth here needs
    /// [`Environment::with_token_base_url`]; the `lean-app-token` header
    /// works without it.
    pub fn uae_sandbox() -> Self {
        Self::documented("uae-sandbox", "https://sandbox.leantech.me", None, false)
    }

    /// The UAE sandbox host that enforces mTLS,
    /// `https://mtls.sandbox.leantech.me`, for testing certificates before
    /// going live. Token host: undocumented, as for [`Self::uae_sandbox`].
    pub fn uae_sandbox_mtls() -> Self {
        Self::documented(
            "uae-sandbox-mtls",
            "https://mtls.sandbox.leantech.me",
            None,
            true,
        )
    }

    /// UAE production, `https://api.leantech.me`, tokens from
    /// `https://auth.leantech.me`; every backend call needs mTLS.
    pub fn uae_production() -> Self {
        Self::documented(
            "uae-production",
            "https://api.leantech.me",
            Some("https://auth.leantech.me"),
            true,
        )
    }

    /// KSA sandbox, `https://sandbox.sa.leantech.me`, tokens from
    /// `https://auth.sandbox.sa.leantech.me`. The documents require mTLS
    /// only in production, so none here.
    pub fn ksa_sandbox() -> Self {
        Self::documented(
            "ksa-sandbox",
            "https://sandbox.sa.leantech.me",
            Some("https://auth.sandbox.sa.leantech.me"),
            false,
        )
    }

    /// KSA production, `https://api.sa.leantech.me`, tokens from
    /// `https://auth.sa.leantech.me`; mTLS required.
    pub fn ksa_production() -> Self {
        Self::documented(
            "ksa-production",
            "https://api.sa.leantech.me",
            Some("https://auth.sa.leantech.me"),
            true,
        )
    }

    /// Any other host (a local emulator, a proxy). The URL must be
    /// `https://`, or `http://` for a loopback host, with no query, fragment
    /// or credentials; a trailing `/` is dropped. No token host and no mTLS
    /// until set.
    pub fn custom(api_base_url: &str) -> Result<Self, Error> {
        Ok(Self {
            name: "custom",
            api_base_url: crate::url::check_base_url("api base URL", api_base_url)?,
            token_base_url: None,
            mtls: false,
        })
    }

    /// The same environment with another OAuth token host: required for
    /// OAuth in the UAE sandbox, whose token host is undocumented.
    pub fn with_token_base_url(mut self, token_base_url: &str) -> Result<Self, Error> {
        self.token_base_url = Some(crate::url::check_base_url(
            "token base URL",
            token_base_url,
        )?);
        Ok(self)
    }

    /// The same environment with mTLS required or not (for custom hosts).
    pub fn with_mtls(mut self, required: bool) -> Self {
        self.mtls = required;
        self
    }

    /// Reads a name as hosts pass it: `uae-sandbox`, `uae-sandbox-mtls`,
    /// `uae-production`, `ksa-sandbox`, `ksa-production` (any case, `_` for
    /// `-`).
    pub fn parse(name: &str) -> Result<Self, Error> {
        match name.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "uae-sandbox" => Ok(Self::uae_sandbox()),
            "uae-sandbox-mtls" => Ok(Self::uae_sandbox_mtls()),
            "uae-production" => Ok(Self::uae_production()),
            "ksa-sandbox" => Ok(Self::ksa_sandbox()),
            "ksa-production" => Ok(Self::ksa_production()),
            _ => Err(Error::Configuration {
                message: format!(
                    "unknown open-banking environment {name:?}: use \"uae-sandbox\", \"uae-sandbox-mtls\", \"uae-production\", \"ksa-sandbox\", \"ksa-production\", or a custom base URL"
                ),
            }),
        }
    }

    /// The environment's name (`uae-production`, or `custom`).
    pub fn name(&self) -> &str {
        self.name
    }

    /// The region of a documented environment; `None` for custom hosts.
    pub fn region(&self) -> Option<Region> {
        match self.name {
            "custom" => None,
            n if n.starts_with("ksa") => Some(Region::Ksa),
            _ => Some(Region::Uae),
        }
    }

    /// The API base URL, without a trailing `/`.
    pub fn api_base_url(&self) -> &str {
        &self.api_base_url
    }

    /// The OAuth token host, when documented or configured.
    pub fn token_base_url(&self) -> Option<&str> {
        self.token_base_url.as_deref()
    }

    /// The OAuth token endpoint, `{token host}/oauth2/token`, or a
    /// configuration error saying how to set the host when it is unknown.
    pub fn token_url(&self) -> Result<String, Error> {
        match &self.token_base_url {
            Some(base) => Ok(format!("{base}/oauth2/token")),
            None => Err(Error::Configuration {
                message: format!(
                    "the OAuth token host of {} is not documented: set it with with_token_base_url (or authenticate with the lean-app-token header)",
                    self.name
                ),
            }),
        }
    }

    /// True when the host refuses connections without the application's
    /// client certificate: the host's transport must present it.
    pub fn requires_mtls(&self) -> bool {
        self.mtls
    }
}
