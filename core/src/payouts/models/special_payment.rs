//! Special payments: ad hoc payouts and deductions
//! (reference, *Special Payment*).

use serde_json::Value;

use super::PaymentStatus;
use crate::error::FieldErrorCode;
use crate::input::input_model;
use crate::payouts::models::gig::amount;
use crate::validate::{self, Problem, Rule};
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

input_model! {
    /// A special payment to make. `amount` may be negative (a deduction, shown
    /// as a credit on the invoice) but not zero.
    pub record NewSpecialPayment as "a special payment" {
        /// The customer paid or charged.
        partner_user_id: required(validate::identifier) = "partnerUserId",
        /// Positive pays the worker; negative deducts.
        amount: amount(non_zero_amount) = "amount",
        /// One of [`SpecialPaymentType`]'s values, such as `"bonus"`.
        #[cfg_attr(feature = "tsify", tsify(type = "SpecialPaymentType"))]
        payment_type: required(|text| payment_type(text).map(|t| t.as_str().to_owned())) = "type",
        /// A gig created earlier that this payment relates to, if any.
        gig_id: optional(validate::identifier) = "gigId",
        /// Shown to the worker in the Lean app.
        description: optional(validate::description) = "description",
        /// Any JSON object the partner wants stored with the payment.
        #[cfg_attr(feature = "tsify", tsify(type = "unknown"))]
        #[cfg_attr(feature = "uniffi", uniffi(default = None))]
        userdata: nested(Option<Value>) = "userdata",
    }
    impl {
        /// The wire names of the fields, in the reference's order.
        const FIELDS;
        /// Reads and validates the API's JSON shape, reporting every problem.
        fn from_json;
        /// Checks every field and returns the normalised payment, as it will be
        /// sent.
        fn validate;
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
