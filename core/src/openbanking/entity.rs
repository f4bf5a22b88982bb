//! Entities: one customer's connection to one bank, holding the accounts
//! and the permissions the customer granted.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What the customer allowed Lean to read from this bank. A permission the
/// answer does not mention is `None`, not `false`.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct Permissions {
    /// Identity data (name, contact details).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<bool>,
    /// The list of accounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts: Option<bool>,
    /// Balances.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance: Option<bool>,
    /// Transactions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transactions: Option<bool>,
    /// Permissions this SDK version does not know.
    #[serde(flatten)]
    #[cfg_attr(feature = "tsify", tsify(type = "Record<string, unknown>"))]
    pub extra: Map<String, Value>,
}

/// A connected bank entity (`/customers/v1/{customer_id}/entities`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct Entity {
    /// Lean's id of the entity, the `entity_id` of data calls.
    pub id: String,
    /// The customer it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// Lean's code of the bank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_identifier: Option<String>,
    /// What may be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Permissions>,
    /// Fields this SDK version does not know.
    #[serde(flatten)]
    #[cfg_attr(feature = "tsify", tsify(type = "Record<string, unknown>"))]
    pub extra: Map<String, Value>,
}
