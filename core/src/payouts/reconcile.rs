//! Whether a gig or customer found by the caller's own id, after a create
//! whose answer was lost or that was refused as a duplicate, is the one the
//! caller sent: every sent field shown and equal, field by field.

use crate::engine::reconcile::{Comparison, Verdict};
use crate::money::{Amount, AmountText};
use crate::validate;

use super::models::{Customer, Gig, NewCustomer, NewGig};

/// Compares a found gig with the one sent.
pub(crate) fn gig(sent: &NewGig, found: Gig) -> Verdict<Gig> {
    let mut c = Comparison::new("gig");
    let amount = |text: &AmountText| Amount::parse(text.as_str()).ok();
    c.field("gigId", Some(&found.gig_id), |id| *id == sent.gig_id);
    c.field("partnerUserId", found.partner_user_id.as_ref(), |p| {
        *p == sent.partner_user_id
    });
    c.field("totalAmount", found.total_amount, |a| {
        Some(a) == amount(&sent.total_amount)
    });
    c.field("tips", found.tips, |a| Some(a) == amount(&sent.tips));
    c.field("expenses", found.expenses, |a| {
        Some(a) == amount(&sent.expenses)
    });
    c.field("description", found.description.as_ref(), |d| {
        d.trim() == sent.description
    });
    c.field("startTime", found.start_time.as_deref(), |t| {
        same_instant(t, &sent.start_time)
    });
    c.field("endTime", found.end_time.as_deref(), |t| {
        same_instant(t, &sent.end_time)
    });
    c.verdict(found)
}

/// Compares a found customer with the one sent, every field that was sent.
pub(crate) fn customer(sent: &NewCustomer, found: Customer) -> Verdict<Customer> {
    let mut c = Comparison::new("customer");
    let text = |a: &String, b: &str| a.trim() == b;
    c.field("partnerUserId", Some(&found.partner_user_id), |v| {
        *v == sent.partner_user_id
    });
    c.field("firstName", found.first_name.as_ref(), |v| {
        text(v, &sent.first_name)
    });
    if let Some(middle) = &sent.middle_name {
        c.field("middleName", found.middle_name.as_ref(), |v| {
            text(v, middle)
        });
    }
    c.field("lastName", found.last_name.as_ref(), |v| {
        text(v, &sent.last_name)
    });
    c.field("birthday", found.birthday.as_ref(), |v| *v == sent.birthday);
    c.field("phoneNumber", found.phone_number.as_deref(), |v| {
        validate::phone_number(v).ok().as_deref() == Some(sent.phone_number.as_str())
    });
    c.field("email", found.email.as_ref(), |v| {
        v.trim().eq_ignore_ascii_case(&sent.email)
    });
    c.field("street", found.street.as_ref(), |v| text(v, &sent.street));
    if let Some(street2) = &sent.street2 {
        c.field("street2", found.street2.as_ref(), |v| text(v, street2));
    }
    c.field("city", found.city.as_ref(), |v| text(v, &sent.city));
    c.field("state", found.state.as_ref(), |v| {
        v.trim().eq_ignore_ascii_case(&sent.state)
    });
    c.field("postalCode", found.postal_code.as_ref(), |v| {
        text(v, &sent.postal_code)
    });
    c.field("registrationDate", found.registration_date.as_ref(), |v| {
        *v == sent.registration_date
    });
    c.verdict(found)
}

/// Two times name the same instant (the API may store `...04` as
/// `...04.000Z`); texts that do not parse are compared as written.
fn same_instant(a: &str, b: &str) -> bool {
    match (validate::timestamp(a), validate::timestamp(b)) {
        (Ok(a), Ok(b)) => a.unix_nanos() == b.unix_nanos(),
        _ => a == b,
    }
}
