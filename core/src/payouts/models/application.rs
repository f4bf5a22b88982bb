//! Applications: the sandbox-only way to approve a customer
//! (reference, *Application (staging only)*).

use serde_json::{Map, Value};

use super::json::{Reader, Writer};
use crate::wire::wire_enum;

wire_enum! {
    /// Where an application stands. Canonical spelling is lower case, as in
    /// the reference.
    ApplicationStatus {
        /// Received, not yet vetted.
        Submitted = "submitted",
        /// Approved: the customer's account opens.
        Approved = "approved",
        /// Refused.
        Rejected = "rejected",
    }
}

/// The answer to an application submission.
#[cfg_attr(feature = "tsify", serde_with::skip_serializing_none)]
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "tsify",
    derive(tsify::Tsify),
    serde(rename_all = "camelCase")
)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Application {
    /// The customer the application is for.
    pub partner_user_id: String,
    /// Its state; absent only if the API omits it.
    pub status: Option<ApplicationStatus>,
    /// Fields this SDK version does not know, kept as sent.
    #[cfg_attr(
        feature = "tsify",
        serde(flatten),
        tsify(type = "Record<string, unknown>")
    )]
    pub extra: Map<String, Value>,
}

impl Application {
    /// Reads the API's JSON object (see the module `models::json`).
    pub(crate) fn from_json(value: Value) -> Result<Self, String> {
        let mut r = Reader::new(value, "an application")?;
        Ok(Self {
            partner_user_id: r.required_text("partnerUserId")?,
            status: r.wire("status", ApplicationStatus::parse)?,
            extra: r.rest(),
        })
    }

    /// The API's JSON object, the status in canonical spelling.
    pub(crate) fn to_json(&self) -> Value {
        Writer::default()
            .text("partnerUserId", Some(&self.partner_user_id))
            .text(
                "status",
                self.status.as_ref().map(ApplicationStatus::as_str),
            )
            .finish(&self.extra)
    }
}
