//! Gigs: units of work paid to a worker (reference, *Gig*).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{FieldErrorCode, ValidationError};
use crate::input::JsonInput;
use crate::money::{Amount, AmountText};
use crate::validate::{self, Checker, Problem, Rule};
use crate::wire::wire_enum;

/// A gig to pay. Amounts are decimal strings (`"15.00"`); times ISO 8601.
///
/// Rules beyond each field's own (settled in `payouts-api-notes.md`):
/// `totalAmount` is required and positive, and includes the tips and
/// expenses, so it must be at least their sum; `endTime` must not precede
/// `startTime`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewGig {
    /// The customer to pay.
    pub partner_user_id: String,
    /// Everything paid for the gig, tips and expenses included; positive.
    #[cfg_attr(feature = "tsify", tsify(type = "string"))]
    pub total_amount: AmountText,
    /// The tips part of the total; zero or more.
    #[cfg_attr(feature = "tsify", tsify(type = "string"))]
    pub tips: AmountText,
    /// The expenses part of the total; zero or more.
    #[cfg_attr(feature = "tsify", tsify(type = "string"))]
    pub expenses: AmountText,
    /// Shown to the worker in the Lean app.
    pub description: String,
    /// The partner's unique id for the gig: paying the same `gigId` twice
    /// is refused by the API, which makes gig payouts idempotent.
    pub gig_id: String,
    /// When the work started.
    pub start_time: String,
    /// When the work ended.
    pub end_time: String,
}

impl NewGig {
    /// The wire names of the fields, in the reference's order.
    pub const FIELDS: &'static [&'static str] = &[
        "partnerUserId",
        "totalAmount",
        "tips",
        "expenses",
        "description",
        "gigId",
        "startTime",
        "endTime",
    ];

    /// Reads and validates the API's JSON shape, reporting every problem,
    /// checking the text where it lies in `value` (no copy before the
    /// rules normalise it).
    pub fn from_json(value: &Value) -> Result<Self, ValidationError> {
        let mut input = JsonInput::new(value, "a gig", Self::FIELDS)?;
        let partner_user_id = input.borrowed_text("partnerUserId");
        let total_amount = input.borrowed_amount("totalAmount");
        let tips = input.borrowed_amount("tips");
        let expenses = input.borrowed_amount("expenses");
        let gig = NewGigText {
            partner_user_id,
            total_amount: &total_amount,
            tips: &tips,
            expenses: &expenses,
            description: input.borrowed_text("description"),
            gig_id: input.borrowed_text("gigId"),
            start_time: input.borrowed_text("startTime"),
            end_time: input.borrowed_text("endTime"),
        };
        gig.check(Checker::with_errors(input.into_errors()))
    }

    /// Checks every field and returns the normalised gig, as it will be
    /// sent.
    pub fn validate(&self) -> Result<Self, ValidationError> {
        NewGigText {
            partner_user_id: &self.partner_user_id,
            total_amount: self.total_amount.as_str(),
            tips: self.tips.as_str(),
            expenses: self.expenses.as_str(),
            description: &self.description,
            gig_id: &self.gig_id,
            start_time: &self.start_time,
            end_time: &self.end_time,
        }
        .check(Checker::new())
    }
}

/// A gig to pay as borrowed text, wherever it lies: what the rules check.
/// Input read from JSON is validated through this without copying each
/// field into a `String` first; [`NewGig::validate`] goes through it too,
/// so the rules and their answers are the same.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct NewGigText<'a> {
    /// See `NewGig::partner_user_id`.
    pub partner_user_id: &'a str,
    /// See `NewGig::total_amount`.
    pub total_amount: &'a str,
    /// See `NewGig::tips`.
    pub tips: &'a str,
    /// See `NewGig::expenses`.
    pub expenses: &'a str,
    /// See `NewGig::description`.
    pub description: &'a str,
    /// See `NewGig::gig_id`.
    pub gig_id: &'a str,
    /// See `NewGig::start_time`.
    pub start_time: &'a str,
    /// See `NewGig::end_time`.
    pub end_time: &'a str,
}

impl NewGigText<'_> {
    fn check(&self, mut c: Checker) -> Result<NewGig, ValidationError> {
        let partner_user_id = c.check("partnerUserId", validate::identifier(self.partner_user_id));
        let total = c.check("totalAmount", positive_amount(self.total_amount));
        let tips = c.check("tips", non_negative_amount(self.tips));
        let expenses = c.check("expenses", non_negative_amount(self.expenses));
        let description = c.check("description", validate::description(self.description));
        let gig_id = c.check("gigId", validate::identifier(self.gig_id));
        let start = c.check("startTime", validate::timestamp(self.start_time));
        let end = c.check("endTime", validate::timestamp(self.end_time));
        if let (Some(total), Some(tips), Some(expenses)) = (total, tips, expenses) {
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
        if let (Some(start), Some(end)) = (&start, &end) {
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
        c.finish(|| {
            Some(NewGig {
                partner_user_id: partner_user_id?,
                total_amount: total?.into(),
                tips: tips?.into(),
                expenses: expenses?.into(),
                description: description?,
                gig_id: gig_id?,
                start_time: start?.into_wire(),
                end_time: end?.into_wire(),
            })
        })
    }
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
