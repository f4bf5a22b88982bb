//! The banks Lean supports (`/banks/v1/`): what an application shows in its
//! own bank picker before handing the customer to the Link SDK.

use super::response_model::response_model;
use serde_json::Value;

response_model! {
    /// A bank as the supported-banks list describes it. Only `identifier` is
    /// required: it is the `bank_identifier` entities and payments name; the
    /// rest is presentation, sent as Lean has it.
    pub struct Bank as "ObBank" {
        /// Lean's code of the bank (`LEANMB1`), the `bank_identifier` of
        /// entities and destinations.
        pub identifier: String,
        /// The bank's name for display.
        pub name: Option<String>,
        /// The address of the bank's logo.
        pub logo: Option<String>,
        /// The bank's brand colour (`#1a1a1a`).
        pub main_color: Option<String>,
        /// The background to show the logo on.
        pub background_color: Option<String>,
        /// `RETAIL`, `CORPORATE`... as sent.
        pub bank_type: Option<String>,
        /// `PERSONAL`, `BUSINESS`... as sent: the value `listBanks` filters
        /// on.
        pub account_type: Option<String>,
        /// Whether payments and data work with this bank now, as sent
        /// (`{"active": {"payments", "data"}, "enabled": {...}}` in Lean's
        /// `bank.availability.updated`): kept as JSON because its shape differs
        /// by region.
        #[cfg_attr(feature = "tsify", tsify(type = "unknown"))]
        // The hosts name JSON text fields `...Json`.
        #[cfg_attr(feature = "uniffi", uniffi(name = "availability_json"))]
        pub availability: Option<Value>,
        /// The bank's SWIFT (BIC) code, when Lean has one: what a payment
        /// destination at this bank names.
        pub swift_code: Option<String>,
    }
}
