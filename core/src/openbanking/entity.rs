//! Entities: one customer's connection to one bank, holding the accounts
//! and the permissions the customer granted.

use super::response_model::response_model;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// What the customer allowed Lean to read from this bank. A permission the
/// answer does not mention is `None`, not `false`.
///
/// Lean sends it in two shapes: an object of flags (`{"identity": true}`)
/// and, in its `entity.created` webhook, the array of the names granted
/// (`["identity", "accounts"]`), where a known name left out is `false`.
/// Both read into this one type, written back as the object.
#[serde_with::skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "ObPermissions"))]
pub struct Permissions {
    /// Identity data (name, contact details).
    pub identity: Option<bool>,
    /// The list of accounts.
    pub accounts: Option<bool>,
    /// Balances.
    pub balance: Option<bool>,
    /// Transactions.
    pub transactions: Option<bool>,
    /// Permissions this SDK version does not know.
    #[serde(flatten)]
    #[cfg_attr(feature = "tsify", tsify(type = "Record<string, unknown>"))]
    pub extra: Map<String, Value>,
}

response_model! {
    /// A connected bank entity (`/customers/v1/{customer_id}/entities`).
    pub struct Entity as "ObEntity" {
        /// Lean's id of the entity, the `entity_id` of data calls.
        pub id: String,
        /// The customer it belongs to.
        pub customer_id: Option<String>,
        /// Lean's code of the bank.
        pub bank_identifier: Option<String>,
        /// The application's own id of the customer, as `entity.created`
        /// sends it (the entity lists omit it).
        pub app_user_id: Option<String>,
        /// What may be read.
        pub permissions: Option<Permissions>,
    }
}

impl Permissions {
    /// The permissions this SDK names, by wire name, to be read from
    /// either shape.
    fn known(&mut self) -> [(&'static str, &mut Option<bool>); 4] {
        [
            ("identity", &mut self.identity),
            ("accounts", &mut self.accounts),
            ("balance", &mut self.balance),
            ("transactions", &mut self.transactions),
        ]
    }

    /// The array shape: the names granted; unknown names kept as `true`.
    fn from_granted(names: Vec<Value>) -> Result<Self, String> {
        let mut out = Self::default();
        for (_, flag) in out.known() {
            *flag = Some(false);
        }
        for name in names {
            let Value::String(name) = name else {
                return Err(format!(
                    "permissions: the array holds {name}, not a permission's name"
                ));
            };
            let known = out.known().into_iter().find(|(known, _)| *known == name);
            if let Some((_, flag)) = known {
                *flag = Some(true);
            } else {
                out.extra.insert(name, Value::Bool(true));
            }
        }
        Ok(out)
    }

    /// The object shape: a known name whose value is not a boolean is kept
    /// with the unknown ones rather than refused.
    fn from_flags(mut flags: Map<String, Value>) -> Self {
        let mut out = Self::default();
        for (name, flag) in out.known() {
            if let Some(Value::Bool(granted)) = flags.get(name) {
                *flag = Some(*granted);
                flags.remove(name);
            }
        }
        out.extra = flags;
        out
    }
}

impl<'de> Deserialize<'de> for Permissions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Array(names) => Self::from_granted(names).map_err(D::Error::custom),
            Value::Object(flags) => Ok(Self::from_flags(flags)),
            other => Err(D::Error::custom(format!(
                "permissions must be an object of flags or an array of names, not {other}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_webhooks_array_of_names_reads_as_flags() {
        let p: Permissions =
            serde_json::from_value(json!(["identity", "accounts", "payments"])).unwrap();
        assert_eq!(p.identity, Some(true));
        assert_eq!(p.accounts, Some(true));
        assert_eq!(p.balance, Some(false));
        assert_eq!(p.transactions, Some(false));
        assert_eq!(p.extra["payments"], json!(true));
    }

    #[test]
    fn the_object_of_flags_reads_as_before() {
        let p: Permissions =
            serde_json::from_value(json!({"identity": true, "balance": false, "new": 1})).unwrap();
        assert_eq!(
            (p.identity, p.accounts, p.balance),
            (Some(true), None, Some(false))
        );
        assert_eq!(p.extra["new"], json!(1));
    }

    #[test]
    fn other_shapes_are_refused_with_what_was_sent() {
        let error = serde_json::from_value::<Permissions>(json!("all")).unwrap_err();
        assert!(error.to_string().contains("array of names"), "{error}");
        let error = serde_json::from_value::<Permissions>(json!([1])).unwrap_err();
        assert!(error.to_string().contains("holds 1"), "{error}");
    }
}
