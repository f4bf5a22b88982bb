//! The refusal of a partner secret on a customer's device: hosts know
//! where they run, the core words the error once.

use crate::error::Result;

/// A credential that belongs on the partner's servers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum PartnerSecret {
    /// The payouts API key.
    ApiKey,
    /// The open-banking OAuth client secret.
    ClientSecret,
    /// The private key of the open-banking mTLS certificate.
    CertificateKey,
}

impl From<PartnerSecret> for lean_core::PartnerSecret {
    fn from(secret: PartnerSecret) -> Self {
        match secret {
            PartnerSecret::ApiKey => Self::ApiKey,
            PartnerSecret::ClientSecret => Self::ClientSecret,
            PartnerSecret::CertificateKey => Self::CertificateKey,
        }
    }
}

/// Always throws the configuration error that refuses `secret` on a
/// device, naming the host's spelling of the opt-in (`opt_in`); a host
/// calls it when it runs in an app and the caller did not opt in.
#[uniffi::export]
pub fn refuse_secret_on_device(secret: PartnerSecret, opt_in: String) -> Result<()> {
    Err(lean_core::PartnerSecret::from(secret)
        .refusal(&opt_in)
        .into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FfiError;

    #[test]
    fn the_refusal_is_the_cores_configuration_error() {
        let Err(FfiError::Failed { details }) =
            refuse_secret_on_device(PartnerSecret::ApiKey, "the opt-in".into())
        else {
            panic!("not refused");
        };
        assert_eq!(details.code, "configuration");
        assert!(details.message.contains("the payouts API key"));
        assert!(details.message.contains("the opt-in"));
    }
}
