//! Payment intents: an amount a customer is asked to pay
//! (`/payments/v1/intents`).

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::destination::Destination;
use super::response_model::response_model;
use crate::error::{FieldErrorCode, ValidationError};
use crate::input::JsonInput;
use crate::money::Amount;
use crate::validate::{self, Checker, Problem};

/// A payment intent to create.
#[cfg_attr(feature = "tsify", serde_with::skip_serializing_none)]
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct NewPaymentIntent {
    /// The paying customer.
    pub customer_id: String,
    /// The amount, exact, above zero, at most two decimals.
    #[cfg_attr(feature = "tsify", tsify(type = "string"))]
    pub amount: Amount,
    /// ISO 4217 code, three letters (upper-cased).
    pub currency: String,
    /// Shown to the customer; at most 500 characters.
    pub description: Option<String>,
    /// Where the money goes, when not the application's default.
    pub payment_destination_id: Option<String>,
    /// The purpose code the bank requires for some payments.
    pub purpose_code: Option<String>,
}

impl NewPaymentIntent {
    /// The wire names of the fields.
    pub const FIELDS: &'static [&'static str] = &[
        "customer_id",
        "amount",
        "currency",
        "description",
        "payment_destination_id",
        "purpose_code",
    ];

    /// Checks every field; reports all problems at once.
    pub fn validate(&self) -> Result<Self, ValidationError> {
        let amount = Ok(self.amount);
        check(Checker::new(), self, amount)
    }

    /// Reads and validates the JSON form. `amount` must be a string
    /// (`"100.50"`) or a JSON integer; a fractional JSON number is refused,
    /// since it may have been rounded by a binary float on the way.
    pub fn from_json(input: &Value) -> Result<Self, ValidationError> {
        let mut reader = JsonInput::new(input, "a payment intent", Self::FIELDS)?;
        let intent = Self {
            customer_id: reader.text("customer_id"),
            amount: Amount::ZERO,
            currency: reader.text("currency"),
            description: reader.optional_text("description"),
            payment_destination_id: reader.optional_text("payment_destination_id"),
            purpose_code: reader.optional_text("purpose_code"),
        };
        let amount_text = reader.amount("amount");
        let amount = if amount_text.trim().is_empty() {
            Err(Problem::required())
        } else {
            Amount::parse(&amount_text).map_err(|e| {
                let code = match e {
                    crate::AmountError::TooManyDecimals => FieldErrorCode::TooManyDecimals,
                    crate::AmountError::TooLarge => FieldErrorCode::OutOfRange,
                    crate::AmountError::TooLong => FieldErrorCode::TooLong,
                    _ => FieldErrorCode::InvalidFormat,
                };
                Problem::new(code, e.message())
            })
        };
        check(Checker::with_errors(reader.into_errors()), &intent, amount)
    }

    /// The JSON body. The amount is written as a JSON number straight from
    /// its decimal text (`100.50`), never through a binary float.
    pub(crate) fn body(&self) -> String {
        let mut fields = vec![
            ("customer_id", json_text(&self.customer_id)),
            ("amount", self.amount.to_string()),
            ("currency", json_text(&self.currency)),
        ];
        for (name, value) in [
            ("description", &self.description),
            ("payment_destination_id", &self.payment_destination_id),
            ("purpose_code", &self.purpose_code),
        ] {
            if let Some(v) = value {
                fields.push((name, json_text(v)));
            }
        }
        let inner: Vec<String> = fields
            .into_iter()
            .map(|(k, v)| format!("{}:{v}", json_text(k)))
            .collect();
        format!("{{{}}}", inner.join(","))
    }
}

fn json_text(text: &str) -> String {
    Value::String(text.to_owned()).to_string()
}

fn check(
    mut checker: Checker,
    input: &NewPaymentIntent,
    amount: validate::Rule<Amount>,
) -> Result<NewPaymentIntent, ValidationError> {
    let customer_id = checker.check("customer_id", validate::identifier(&input.customer_id));
    let amount = checker.check(
        "amount",
        amount.and_then(|a| {
            if a.is_positive() {
                Ok(a)
            } else {
                Err(Problem::new(
                    FieldErrorCode::OutOfRange,
                    "must be above zero",
                ))
            }
        }),
    );
    let currency = checker.check("currency", currency(&input.currency));
    let description = checker.check_optional(
        "description",
        input.description.as_deref(),
        validate::description,
    );
    let destination = checker.check_optional(
        "payment_destination_id",
        input.payment_destination_id.as_deref(),
        validate::identifier,
    );
    let purpose = checker.check_optional("purpose_code", input.purpose_code.as_deref(), |t| {
        validate::identifier(t.trim())
    });
    checker.finish(|| {
        Some(NewPaymentIntent {
            customer_id: customer_id?,
            amount: amount?,
            currency: currency?,
            description,
            payment_destination_id: destination,
            purpose_code: purpose,
        })
    })
}

/// Three ASCII letters (ISO 4217), upper-cased: `aed` becomes `AED`.
pub(crate) fn currency(text: &str) -> validate::Rule<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::required());
    }
    if text.len() != 3 || !text.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(Problem::new(
            FieldErrorCode::InvalidFormat,
            "must be a three-letter ISO 4217 currency code such as AED or SAR",
        ));
    }
    Ok(text.to_ascii_uppercase())
}

response_model! {
    /// A payment intent as the API returns it.
    pub struct PaymentIntent as "ObPaymentIntent" {
        /// Lean's id of the intent.
        pub payment_intent_id: String,
        /// The paying customer.
        pub customer_id: Option<String>,
        /// The amount, exact.
        #[serde(default, deserialize_with = "optional_amount")]
        #[cfg_attr(feature = "tsify", tsify(type = "string"))]
        pub amount: Option<Amount>,
        /// The currency, as sent.
        pub currency: Option<String>,
        /// The description, as sent.
        pub description: Option<String>,
        /// The payments made against the intent, as sent: their shape is not
        /// documented beyond being a list.
        #[serde(
            default,
            deserialize_with = "null_as_empty",
            skip_serializing_if = "Vec::is_empty"
        )]
        #[cfg_attr(feature = "tsify", tsify(type = "unknown[]"))]
        // The hosts name JSON text fields `...Json`.
        #[cfg_attr(feature = "uniffi", uniffi(name = "payments_json"))]
        pub payments: Vec<Value>,
        /// Where the money goes.
        pub payment_destination: Option<Destination>,
    }
}

/// Reads an amount from an answer: a string (`"100.50"`) or an integer is
/// read exactly. A fractional JSON number (`100.5`) arrives here as its
/// exact text, because answers are read with
/// [`super::data::exact_numbers`]; should one come as a number anyway, its
/// shortest decimal text is the text that was sent for every amount of at
/// most 15 significant digits (a property test checks). Anything with more
/// than two decimals is refused, not rounded.
pub(crate) fn optional_amount<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Amount>, D::Error> {
    use serde::de::Error as _;
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) => Amount::parse(&s).map(Some).map_err(D::Error::custom),
        Value::Number(n) => amount_from_number(&n).map(Some).map_err(D::Error::custom),
        other => Err(D::Error::custom(format!(
            "expected an amount, found {other}"
        ))),
    }
}

/// `null` reads as an empty list, as an absent field does.
fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Value>, D::Error> {
    Ok(Option::<Vec<Value>>::deserialize(d)?.unwrap_or_default())
}

pub(crate) fn amount_from_number(n: &serde_json::Number) -> Result<Amount, crate::AmountError> {
    if let Some(i) = n.as_i64() {
        return Amount::from_whole(i);
    }
    // `Number`'s Display is the shortest text that reads back as the same
    // float (ryu): see `optional_amount`.
    Amount::parse(&n.to_string())
}

response_model! {
    /// A payment made against an intent (`GET /payments/v1/{payment_id}`), in
    /// the shape of Lean's `payment.created` and `payment.updated` webhooks.
    pub struct Payment as "ObPayment" {
        /// Lean's id of the payment.
        pub id: String,
        /// The amount, exact (sent as a JSON number).
        #[serde(default, deserialize_with = "optional_amount")]
        #[cfg_attr(feature = "tsify", tsify(type = "string"))]
        pub amount: Option<Amount>,
        /// The currency, as sent.
        pub currency: Option<String>,
        /// `PENDING_WITH_BANK`, `ACCEPTED_BY_BANK`, `FAILED`... as sent: kept
        /// as text so a status Lean adds later still reads.
        pub status: Option<String>,
        /// The intent the payment pays.
        pub intent_id: Option<String>,
        /// The paying customer.
        pub customer_id: Option<String>,
        /// Where the money went.
        pub payment_destination_id: Option<String>,
        /// The bank's own reference, for reconciliation.
        pub bank_transaction_reference: Option<String>,
        /// Why the payment failed, when it did.
        pub reason: Option<String>,
        /// The application's metadata, as sent.
        #[cfg_attr(feature = "tsify", tsify(type = "Record<string, unknown>"))]
        // The hosts name JSON text fields `...Json`.
        #[cfg_attr(feature = "uniffi", uniffi(name = "metadata_json"))]
        pub metadata: Option<Map<String, Value>>,
    }
}
