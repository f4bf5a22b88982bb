//! Deciding whether a record found after an uncertain create is the one the
//! caller meant to create.
//!
//! A gig or customer is identified by the partner's own id. When a create
//! may have been applied but its answer was lost, or a retry is refused
//! because the id exists, the engine fetches the record by that id. If it
//! holds what was sent, the create succeeded (exactly once); if it holds
//! something else, the id was used for another payout, which is a
//! [`crate::Error::Conflict`], never a silent success.

use crate::models::{Customer, Gig, NewCustomer, NewGig};
use crate::money::Amount;
use crate::validate;

/// Names of the fields of `found` that differ from what was `sent`. Fields
/// the API did not return are not counted.
pub(crate) fn gig_differences(sent: &NewGig, found: &Gig) -> Vec<&'static str> {
    let mut differ = Vec::new();
    let amount = |text: &str| Amount::parse(text).ok();
    let mut check = |name: &'static str, same: Option<bool>| {
        if same == Some(false) {
            differ.push(name);
        }
    };
    check("gigId", Some(sent.gig_id == found.gig_id));
    check(
        "partnerUserId",
        found
            .partner_user_id
            .as_ref()
            .map(|p| *p == sent.partner_user_id),
    );
    check(
        "totalAmount",
        found
            .total_amount
            .map(|a| Some(a) == amount(&sent.total_amount)),
    );
    check("tips", found.tips.map(|a| Some(a) == amount(&sent.tips)));
    check(
        "expenses",
        found.expenses.map(|a| Some(a) == amount(&sent.expenses)),
    );
    check(
        "description",
        found
            .description
            .as_ref()
            .map(|d| d.trim() == sent.description),
    );
    check(
        "startTime",
        found
            .start_time
            .as_deref()
            .map(|t| same_instant(t, &sent.start_time)),
    );
    check(
        "endTime",
        found
            .end_time
            .as_deref()
            .map(|t| same_instant(t, &sent.end_time)),
    );
    differ
}

/// Like [`gig_differences`] for the fields that identify a person.
pub(crate) fn customer_differences(sent: &NewCustomer, found: &Customer) -> Vec<&'static str> {
    let mut differ = Vec::new();
    let mut check = |name: &'static str, same: Option<bool>| {
        if same == Some(false) {
            differ.push(name);
        }
    };
    check(
        "partnerUserId",
        Some(sent.partner_user_id == found.partner_user_id),
    );
    check(
        "firstName",
        found.first_name.as_ref().map(|v| *v == sent.first_name),
    );
    check(
        "lastName",
        found.last_name.as_ref().map(|v| *v == sent.last_name),
    );
    check(
        "birthday",
        found.birthday.as_ref().map(|v| *v == sent.birthday),
    );
    check(
        "email",
        found
            .email
            .as_ref()
            .map(|v| v.eq_ignore_ascii_case(&sent.email)),
    );
    check(
        "phoneNumber",
        found
            .phone_number
            .as_deref()
            .map(|v| validate::phone_number(v).ok().as_deref() == Some(sent.phone_number.as_str())),
    );
    differ
}

/// Two times name the same instant (the API may store `...04` as
/// `...04.000Z`); texts that do not parse are compared as written.
fn same_instant(a: &str, b: &str) -> bool {
    match (validate::timestamp(a), validate::timestamp(b)) {
        (Ok(a), Ok(b)) => a.unix_nanos() == b.unix_nanos(),
        _ => a == b,
    }
}

/// The outcome of a lookup whose record differs from what was sent in
/// `differences` (field names): the record when nothing differs, else a
/// [`crate::Error::Conflict`] that names the fields and what to do.
pub(crate) fn conflict_unless_same<T>(
    outcome: T,
    differences: &[&str],
    what: &str,
) -> Result<T, crate::Error> {
    if differences.is_empty() {
        return Ok(outcome);
    }
    Err(crate::Error::Conflict {
        message: format!(
            "a {what} with this id already exists with a different {}; nothing new was created. Use a new id for a different {what}",
            differences.join(", ")
        ),
    })
}
