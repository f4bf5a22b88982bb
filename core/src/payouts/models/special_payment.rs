//! Special payments: ad hoc payouts and deductions
//! (reference, *Special Payment*).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::PaymentStatus;
use crate::error::{FieldErrorCode, ValidationError};
use crate::input::{json_type, JsonInput};
use crate::money::AmountText;
use crate::payouts::models::gig::amount;
use crate::validate::{self, Checker, Problem, Rule};
use crate::wire::wire_enum;

wire_enum! {
    /// What a special payment is for (the seven documented values).
    SpecialPaymentType {
        /// A bonus.
        Bonus = "bonus",
        /// Reimbursed costs.
        Reimbursement = "reimbursement",
        /// A cancellation fee.
        Cancellation = "cancellation",
        /// Paid waiting time.
        WaitTime = "wait time",
        /// A correction of an earlier payout.
        Correction = "correction",
        /// Flagged by the partner.
        Flagged = "flagged",
        /// Anything else.
        Other = "other",
    }
}

/// A special payment to make. `amount` may be negative (a deduction, shown
/// as a credit on the invoice) but not zero.
#[serde_with::skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewSpecialPayment {
    /// The customer paid or charged.
    pub partner_user_id: String,
    /// Positive pays the worker; negative deducts.
    #[cfg_attr(feature = "tsify", tsify(type = "string"))]
    pub amount: AmountText,
    /// One of [`SpecialPaymentType`]'s values, such as `"bonus"`.
    #[serde(rename = "type")]
    #[cfg_attr(feature = "tsify", tsify(type = "SpecialPaymentType"))]
    pub payment_type: String,
    /// A gig created earlier that this payment relates to, if any.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub gig_id: Option<String>,
    /// Shown to the worker in the Lean app.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub description: Option<String>,
    /// Any JSON object the partner wants stored with the payment.
    #[cfg_attr(feature = "tsify", tsify(type = "unknown"))]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub userdata: Option<Value>,
}

impl NewSpecialPayment {
    /// The wire names of the fields, in the reference's order.
    pub const FIELDS: &'static [&'static str] = &[
        "partnerUserId",
        "amount",
        "type",
        "gigId",
        "description",
        "userdata",
    ];

    /// Reads and validates the API's JSON shape, reporting every problem.
    pub fn from_json(value: &Value) -> Result<Self, ValidationError> {
        let mut input = JsonInput::new(value, "a special payment", Self::FIELDS)?;
        let payment = Self {
            partner_user_id: input.text("partnerUserId"),
            amount: input.amount("amount").into(),
            payment_type: input.text("type"),
            gig_id: input.optional_text("gigId"),
            description: input.optional_text("description"),
            userdata: input.optional_object("userdata"),
        };
        payment.check(Checker::with_errors(input.into_errors()))
    }

    /// Checks every field and returns the normalised payment, as it will be
    /// sent.
    pub fn validate(&self) -> Result<Self, ValidationError> {
        self.check(Checker::new())
    }

    fn check(&self, mut c: Checker) -> Result<Self, ValidationError> {
        let partner_user_id = c.check("partnerUserId", validate::identifier(&self.partner_user_id));
        let amount = c.check("amount", non_zero_amount(self.amount.as_str()));
        let payment_type = c.check("type", payment_type(&self.payment_type));
        let gig_id = c.check_optional("gigId", self.gig_id.as_deref(), validate::identifier);
        let description = c.check_optional(
            "description",
            self.description.as_deref(),
            validate::description,
        );
        let userdata = match &self.userdata {
            None | Some(Value::Null) => None,
            Some(object @ Value::Object(_)) => Some(object.clone()),
            Some(other) => {
                c.add(
                    "userdata",
                    Problem::new(
                        FieldErrorCode::InvalidType,
                        format!("must be a JSON object, found {}", json_type(other)),
                    ),
                );
                None
            }
        };
        c.finish(|| {
            Some(Self {
                partner_user_id: partner_user_id?,
                amount: amount?.into(),
                payment_type: payment_type?.as_str().to_owned(),
                gig_id,
                description,
                userdata,
            })
        })
    }
}

fn non_zero_amount(text: &str) -> Rule<crate::money::Amount> {
    let value = amount(text)?;
    if value.is_zero() {
        Err(Problem::new(
            FieldErrorCode::OutOfRange,
            "must not be zero: use a positive amount to pay, a negative one to deduct",
        ))
    } else {
        Ok(value)
    }
}

/// Any letter case is accepted, and `_` for the space of `wait time`; the
/// value is sent in the reference's spelling.
fn payment_type(text: &str) -> Rule<SpecialPaymentType> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::required());
    }
    match SpecialPaymentType::parse(&text.replace('_', " ")) {
        SpecialPaymentType::Unknown(_) => Err(Problem::new(
            FieldErrorCode::InvalidValue,
            format!(
                "must be one of: {}",
                SpecialPaymentType::KNOWN
                    .iter()
                    .map(|t| format!("\"{t}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
        known => Ok(known),
    }
}

super::json::response_model! {
    /// A special payment as the API returns it.
    pub struct SpecialPayment as "a special payment" {
        /// Lean's id for the payment.
        id: required = "id",
        /// The customer paid or charged.
        partner_user_id: text = "partnerUserId",
        /// Positive paid, negative deducted.
        amount: amount = "amount",
        /// What it is for.
        payment_type: wire(SpecialPaymentType) = "type",
        /// Shown to the worker.
        description: text = "description",
        /// The linked gig, if any.
        gig_id: text = "gigId",
        /// Whether the money arrived.
        status: wire(PaymentStatus) = "status",
        /// The partner's own data, as stored.
        userdata: json = "userdata",
        /// The invoice the payment is billed on.
        invoice_id: text = "invoiceId",
        /// ISO 8601 creation time, as sent.
        created_at: text = "createdAt",
        /// ISO 8601 time of the last change, as sent.
        updated_at: text = "updatedAt",
    }
}
