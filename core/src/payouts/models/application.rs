//! Applications: the sandbox-only way to approve a customer
//! (reference, *Application (staging only)*).

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

super::json::response_model! {
    /// The answer to an application submission.
    pub struct Application as "an application" {
        /// The customer the application is for.
        partner_user_id: required = "partnerUserId",
        /// Its state; absent only if the API omits it.
        status: wire(ApplicationStatus) = "status",
    }
}
