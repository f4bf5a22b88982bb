//! How the models' own field types cross to Kotlin and Swift (feature
//! `uniffi`), so that the mobile records come from the models' definitions
//! and a field added to a model reaches both languages with no other change.
//!
//! Each crosses as text: amounts (and an input's amount text) as their
//! decimal text, which `core/uniffi.toml` makes a `java.math.BigDecimal` in
//! Kotlin and a `Decimal` in Swift (never a binary float); JSON values and
//! the fields this SDK does not know as JSON text, so nothing the API adds
//! is lost.
//! Wire enums cross as their wire text too (see `wire_enum!`).

use serde_json::{Map, Value};

use crate::money::{Amount, AmountText};

uniffi::custom_type!(Amount, String, {
    lower: |amount| amount.to_wire(),
    try_lift: |text| Ok(Amount::parse(&text)?),
});

// An input's amount crosses as the caller's text, unread: lifting it never
// fails, so an invalid amount is the core's field error, not a failed call.
uniffi::custom_type!(AmountText, String, {
    lower: |text| text.into_string(),
    try_lift: |text| Ok(AmountText::from(text)),
});

/// Any JSON value (such as a special payment's `userdata`), as JSON text.
/// Text that is not JSON arrives as that text, a JSON string: lifting never
/// fails, so a caller's mistyped `userdata` is the core's field error on
/// `userdata` (it must be an object), not a failed call.
pub type JsonValue = Value;

uniffi::custom_type!(JsonValue, String, {
    remote,
    lower: |value| value.to_string(),
    try_lift: |text| Ok(serde_json::from_str(&text).unwrap_or(Value::String(text))),
});

/// The fields of an answer that this SDK version does not know (each
/// result's `extra`), as the JSON text of an object.
pub type UnknownFields = Map<String, Value>;

uniffi::custom_type!(UnknownFields, String, {
    remote,
    lower: |fields| Value::Object(fields).to_string(),
    try_lift: |text| Ok(serde_json::from_str(&text)?),
});
