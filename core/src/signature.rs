//! What both APIs' webhook verifiers share: the secrets they hold, each
//! tried against every webhook, and the errors that say why a signature
//! was refused. Each API keeps its own algorithm and header format.

use std::fmt;

use crate::error::{Error, SignatureProblem};
use crate::secret::{WebhookSecret, REDACTED};

/// One precomputed key per secret. Several secrets are held at once so
/// that a secret can be rotated without dropping webhooks.
#[derive(Clone)]
pub(crate) struct Keys<K>(Vec<K>);

impl<K> Keys<K> {
    /// A key for each of `secrets`: at least one, none empty (an empty key
    /// would accept signatures anyone can make). `empty_secret` is the
    /// error's message for an empty one, saying which secret to pass.
    pub(crate) fn new<'a>(
        secrets: impl IntoIterator<Item = &'a WebhookSecret>,
        empty_secret: &'static str,
        key: impl Fn(&WebhookSecret) -> K,
    ) -> Result<Self, Error> {
        let mut keys = Vec::new();
        for secret in secrets {
            if secret.expose().is_empty() {
                return Err(Error::configuration(empty_secret));
            }
            keys.push(key(secret));
        }
        if keys.is_empty() {
            return Err(Error::configuration(
                "no webhook secret given: pass at least one",
            ));
        }
        Ok(Self(keys))
    }

    /// `Ok` when a key `matches`, else the mismatch error. Every key is
    /// tried, so the time taken does not depend on which one matched.
    pub(crate) fn check(&self, mut matches: impl FnMut(&K) -> bool) -> Result<(), Error> {
        let mut matched = false;
        for key in &self.0 {
            matched |= matches(key);
        }
        if matched {
            Ok(())
        } else {
            Err(refused(
                SignatureProblem::Mismatch,
                "the webhook signature does not match: check the webhook secret, and verify the raw request body exactly as received (not a re-serialised JSON object)",
            ))
        }
    }
}

impl<K> fmt::Debug for Keys<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} secret(s), {REDACTED}", self.0.len())
    }
}

/// The signature header's value, trimmed, or the error (`missing`, its
/// message) for a missing or empty one.
pub(crate) fn header_value<'a>(
    value: Option<&'a str>,
    missing: &'static str,
) -> Result<&'a str, Error> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| refused(SignatureProblem::MissingHeader, missing))
}

/// A refused signature, saying why.
pub(crate) fn refused(problem: SignatureProblem, message: &str) -> Error {
    Error::WebhookSignature {
        problem,
        message: message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use crate::secret::WebhookSecret;

    #[test]
    fn a_verifier_prints_how_many_secrets_and_none_of_them() {
        let secrets = [
            WebhookSecret::from("whsec_first_secret"),
            WebhookSecret::from("whsec_second_secret"),
        ];
        let payouts = format!("{:?}", crate::WebhookVerifier::new(&secrets).unwrap());
        let openbanking = format!(
            "{:?}",
            crate::openbanking::webhooks::WebhookVerifier::new(&secrets).unwrap()
        );
        for text in [payouts, openbanking] {
            assert_eq!(text, "WebhookVerifier(2 secret(s), <redacted>)");
        }
    }
}
