//! The banks Lean supports (`/banks/v1/`): what an application shows in its
//! own bank picker before handing the customer to the Link SDK.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A bank as the supported-banks list describes it. Only `identifier` is
/// required: it is the `bank_identifier` entities and payments name; the
/// rest is presentation, sent as Lean has it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct Bank {
    /// Lean's code of the bank (`LEANMB1`), the `bank_identifier` of
    /// entities and destinations.
    pub identifier: String,
    /// The bank's name for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The address of the bank's logo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// The bank's brand colour (`#1a1a1a`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_color: Option<String>,
    /// The background to show the logo on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background_color: Option<String>,
    /// `RETAIL`, `CORPORATE`... as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_type: Option<String>,
    /// `PERSONAL`, `BUSINESS`... as sent: the value `listBanks` filters
    /// on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_type: Option<String>,
    /// Whether payments and data work with this bank now, as sent
    /// (`{"active": {"payments", "data"}, "enabled": {...}}` in Lean's
    /// `bank.availability.updated`): kept as JSON because its shape differs
    /// by region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(type = "unknown"))]
    pub availability: Option<Value>,
    /// Fields this SDK version does not know.
    #[serde(flatten)]
    #[cfg_attr(feature = "tsify", tsify(type = "Record<string, unknown>"))]
    pub extra: Map<String, Value>,
}
