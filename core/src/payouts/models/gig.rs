//! Gigs: units of work paid to a worker (reference, *Gig*).

use crate::error::FieldErrorCode;
use crate::input::input_model;
use crate::money::Amount;
use crate::validate::{self, Checker, Problem, Rule};
use crate::wire::wire_enum;

input_model! {
    /// A gig to pay. Amounts are decimal strings (`"15.00"`); times ISO 8601.
    ///
    /// Rules beyond each field's own (settled in `payouts-api-notes.md`):
    /// `totalAmount` is required and positive, and includes the tips and
    /// expenses, so it must be at least their sum; `endTime` must not precede
    /// `startTime`.
    pub record NewGig as "a gig" {
        /// The customer to pay.
        partner_user_id: required(validate::identifier) = "partnerUserId",
        /// Everything paid for the gig, tips and expenses included; positive.
        total_amount: amount(positive_amount) = "totalAmount",
        /// The tips part of the total; zero or more.
        tips: amount(non_negative_amount) = "tips",
        /// The expenses part of the total; zero or more.
        expenses: amount(non_negative_amount) = "expenses",
        /// Shown to the worker in the Lean app.
        description: required(validate::description) = "description",
        /// The partner's unique id for the gig: paying the same `gigId` twice
        /// is refused by the API, which makes gig payouts idempotent.
        gig_id: required(validate::identifier) = "gigId",
        /// When the work started.
        start_time: required(time) = "startTime",
        /// When the work ended.
        end_time: required(time) = "endTime",
    }
    impl {
        /// The wire names of the fields, in the reference's order.
        const FIELDS;
        /// Reads and validates the API's JSON shape, reporting every problem.
        fn from_json;
        /// Checks every field and returns the normalised gig, as it will be
        /// sent.
        fn validate;
        /// The total includes the tips and expenses, and the work does not
        /// end before it starts. These compare fields that passed their own
        /// rules, so they parse them again: a field that failed fails again
        /// and is left out.
        fn rules(&self, c: &mut Checker) {
            let amounts = (
                positive_amount(self.total_amount.as_str()),
                non_negative_amount(self.tips.as_str()),
                non_negative_amount(self.expenses.as_str()),
            );
            if let (Ok(total), Ok(tips), Ok(expenses)) = amounts {
                match tips.checked_add(expenses) {
                    Some(parts) if parts <= total => {}
                    _ => c.add(
                        "totalAmount",
                        Problem::new(
                            FieldErrorCode::Inconsistent,
                            format!(
                                "must include tips and expenses: {total} is less than tips {tips} + expenses {expenses}"
                            ),
                        ),
                    ),
                }
            }
            let times = (
                validate::timestamp(&self.start_time),
                validate::timestamp(&self.end_time),
            );
            if let (Ok(start), Ok(end)) = times {
                if end.unix_nanos() < start.unix_nanos() {
                    c.add(
                        "endTime",
                        Problem::new(
                            FieldErrorCode::Inconsistent,
                            format!("must not be before startTime ({})", start.as_str()),
                        ),
                    );
                }
            }
        }
    }
}

/// A gig time, sent in the API's form.
fn time(text: &str) -> Rule<String> {
    validate::timestamp(text).map(validate::Timestamp::into_wire)
}

/// Any amount with at most two decimals.
pub(crate) fn amount(text: &str) -> Rule<Amount> {
    Amount::parse(text).map_err(|e| {
        let code = match e {
            crate::money::AmountError::Empty => FieldErrorCode::Required,
            crate::money::AmountError::InvalidFormat => FieldErrorCode::InvalidFormat,
            crate::money::AmountError::TooManyDecimals => FieldErrorCode::TooManyDecimals,
            crate::money::AmountError::TooLarge => FieldErrorCode::OutOfRange,
            crate::money::AmountError::TooLong => FieldErrorCode::TooLong,
        };
        Problem::new(code, e.message())
    })
}

fn positive_amount(text: &str) -> Rule<Amount> {
    let value = amount(text)?;
    if value.is_positive() {
        Ok(value)
    } else {
        Err(Problem::new(
            FieldErrorCode::OutOfRange,
            format!("must be greater than zero (got {value})"),
        ))
    }
}

fn non_negative_amount(text: &str) -> Rule<Amount> {
    let value = amount(text)?;
    if value.is_negative() {
        Err(Problem::new(
            FieldErrorCode::OutOfRange,
            format!("must be zero or more (got {value})"),
        ))
    } else {
        Ok(value)
    }
}

wire_enum! {
    /// Where a payout (gig or special payment) stands. The reference writes
    /// these in lower case in its tables and upper case in its examples;
    /// both parse, and the canonical spelling is the examples' upper case.
    PaymentStatus {
        /// Not yet deposited.
        Pending = "PENDING",
        /// Deposited in the worker's account.
        Success = "SUCCESS",
        /// Could not be completed; no remedy.
        Failed = "FAILED",
    }
}

super::json::response_model! {
    /// A gig as the API returns it.
    pub struct Gig as "a gig" {
        /// The partner's id for the gig: its identity for the partner.
        gig_id: required = "gigId",
        /// Lean's id for the gig, opaque (the reference's example shows a user
        /// id here).
        id: text = "id",
        /// The customer paid.
        partner_user_id: text = "partnerUserId",
        /// Everything paid, tips and expenses included.
        total_amount: amount = "totalAmount",
        /// Tips part.
        tips: amount = "tips",
        /// Expenses part.
        expenses: amount = "expenses",
        /// Shown to the worker.
        description: text = "description",
        /// ISO 8601, as sent by the API.
        start_time: text = "startTime",
        /// ISO 8601, as sent by the API.
        end_time: text = "endTime",
        /// Whether the money arrived.
        status: wire(PaymentStatus) = "status",
        /// The invoice the payout is billed on.
        invoice_id: text = "invoiceId",
        /// ISO 8601 creation time, as sent.
        created_at: text = "createdAt",
        /// ISO 8601 time of the last change, as sent.
        updated_at: text = "updatedAt",
    }
}
