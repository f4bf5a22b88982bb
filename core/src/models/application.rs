//! Applications: the sandbox-only way to approve a customer
//! (reference, *Application (staging only)*).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::wire_enum;

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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    /// The customer the application is for.
    pub partner_user_id: String,
    /// Its state; absent only if the API omits it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ApplicationStatus>,
    /// Fields this SDK version does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
