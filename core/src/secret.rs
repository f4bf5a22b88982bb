//! Secret values that must never leak into logs, errors or debug output.
//!
//! Both the API key and webhook secrets are wrapped so that `Debug` and
//! `Display` print a fixed placeholder. Hosts that expose `repr()` or
//! `toString()` build on these impls, so redaction happens once, here.

/// What a secret prints as, wherever it is printed.
pub(crate) const REDACTED: &str = "<redacted>";

/// Makes secret types print as [`REDACTED`]: `Debug` as `Name(<redacted>)`,
/// `Display` as `<redacted>`. Every secret type of the crate goes through
/// it, so redaction is written once.
macro_rules! redacted {
    ($($name:ident),+ $(,)?) => {$(
        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({})", stringify!($name), $crate::secret::REDACTED)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::secret::REDACTED)
            }
        }
    )+};
}
pub(crate) use redacted;

redacted!(ApiKey, WebhookSecret);

/// A Lean API key. It authenticates every request (HTTP Basic, key as the
/// user name) and is printed only as `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key. Checking that it is usable happens in
    /// [`crate::Config::new`], so that the error can name the setting.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key itself, for the one place that must see it: the
    /// `Authorization` header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<&str> for ApiKey {
    fn from(key: &str) -> Self {
        Self::new(key)
    }
}

impl From<String> for ApiKey {
    fn from(key: String) -> Self {
        Self::new(key)
    }
}

/// The key of a webhook endpoint's HMAC: the API key in the older documents,
/// a per-endpoint secret in the partner sample. Either works; raw bytes are
/// kept because HMAC keys are bytes, not text.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret(Vec<u8>);

impl WebhookSecret {
    /// Wraps a secret given as bytes.
    pub fn new(secret: impl Into<Vec<u8>>) -> Self {
        Self(secret.into())
    }

    /// The key bytes, for computing the HMAC only.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl From<&str> for WebhookSecret {
    fn from(secret: &str) -> Self {
        Self::new(secret.as_bytes())
    }
}

impl From<String> for WebhookSecret {
    fn from(secret: String) -> Self {
        Self::new(secret.into_bytes())
    }
}

impl From<&[u8]> for WebhookSecret {
    fn from(secret: &[u8]) -> Self {
        Self::new(secret)
    }
}

/// A credential that belongs on the partner's servers: whoever holds it acts
/// as the partner. Hosts whose code runs on the customer's device (a mobile
/// app, a web page) refuse a client built with one unless the caller opts
/// in, with [`PartnerSecret::refusal`] as the error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PartnerSecret {
    /// The payouts API key.
    ApiKey,
    /// The open-banking OAuth client secret.
    ClientSecret,
    /// The private key of the open-banking mTLS certificate.
    CertificateKey,
}

impl PartnerSecret {
    /// What the secret is, as the error names it.
    fn name(self) -> &'static str {
        match self {
            Self::ApiKey => "the payouts API key",
            Self::ClientSecret => "the open-banking client secret",
            Self::CertificateKey => "the private key of the mTLS certificate",
        }
    }

    /// What anyone who extracts it can do.
    fn risk(self) -> &'static str {
        match self {
            Self::ApiKey => "pay out money in your name",
            Self::ClientSecret => "read the bank data of every customer who connected",
            Self::CertificateKey => "call Lean as your servers do",
        }
    }

    /// The configuration error a device host raises for a client built with
    /// this secret, explaining the backend pattern; `opt_in` is the host's
    /// spelling of the explicit opt-in (`dangerouslyAllowSecretsOnDevice =
    /// true`), named so that the message says how to proceed anyway.
    pub fn refusal(self, opt_in: &str) -> crate::Error {
        crate::Error::configuration(format!(
            "{} must not ship in an app or a web page: anyone can extract it there and {}. Keep \
             it on your backend and call Lean from there (for Lean's Link SDK, your backend \
             mints a customer token with customerToken). To use it here anyway (an internal \
             tool, a test), pass {opt_in}.",
            self.name(),
            self.risk(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let key = ApiKey::new("sk_live_very_secret");
        let secret = WebhookSecret::from("whsec_very_secret");
        for text in [
            format!("{key:?}"),
            format!("{key}"),
            format!("{secret:?}"),
            format!("{secret}"),
        ] {
            assert!(!text.contains("very_secret"), "{text}");
            assert!(text.contains(REDACTED));
        }
    }

    #[test]
    fn a_refusal_names_the_secret_the_backend_pattern_and_the_opt_in() {
        let error = PartnerSecret::ClientSecret.refusal("dangerouslyAllowSecretsOnDevice: true");
        assert_eq!(error.code(), "configuration");
        let message = error.to_string();
        for part in [
            "the open-banking client secret",
            "your backend",
            "customerToken",
            "dangerouslyAllowSecretsOnDevice: true",
        ] {
            assert!(message.contains(part), "{part} missing from: {message}");
        }
    }
}
