//! Deciding whether a record found after an uncertain create is the one the
//! caller meant to create.
//!
//! A gig or customer is identified by the caller's own id. When a create
//! may have been applied but its answer was lost, or a create is refused
//! because the id exists, the engine fetches the record by that id. Only a
//! record that shows every field that was sent, each equal to what was
//! sent, is the caller's (the create succeeded, exactly once). A record
//! that shows another value for any field is another payout under the same
//! id: a [`crate::Error::Conflict`], never a silent success. A record that
//! does not show a field that was sent proves nothing either way, so the
//! outcome stays unknown.

use crate::models::{Customer, Gig, NewCustomer, NewGig};
use crate::money::Amount;
use crate::validate;

/// What a lookup's record says about the create.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Verdict<T> {
    /// Every field sent is there, with the value sent.
    Same(T),
    /// These fields hold other values: another record under the same id.
    Differs {
        /// `gig` or `customer`, for messages.
        what: &'static str,
        /// Wire names of the differing fields.
        fields: Vec<&'static str>,
    },
    /// Nothing differs, but these fields that were sent are not shown.
    Missing {
        /// `gig` or `customer`, for messages.
        what: &'static str,
        /// Wire names of the fields not shown.
        fields: Vec<&'static str>,
    },
}

impl<T> Verdict<T> {
    /// The same verdict about the record in another form.
    pub(crate) fn map<U>(self, f: impl FnOnce(T) -> U) -> Verdict<U> {
        match self {
            Self::Same(found) => Verdict::Same(f(found)),
            Self::Differs { what, fields } => Verdict::Differs { what, fields },
            Self::Missing { what, fields } => Verdict::Missing { what, fields },
        }
    }
}

/// Field-by-field comparison of a found record with what was sent.
pub(crate) struct Comparison {
    what: &'static str,
    differ: Vec<&'static str>,
    missing: Vec<&'static str>,
}

impl Comparison {
    pub(crate) fn new(what: &'static str) -> Self {
        Self {
            what,
            differ: Vec::new(),
            missing: Vec::new(),
        }
    }

    /// Compares one field that was sent: `found` is what the record shows
    /// (`None` when it does not show the field), `same` says whether it
    /// equals what was sent.
    pub(crate) fn field<T>(
        &mut self,
        name: &'static str,
        found: Option<T>,
        same: impl FnOnce(T) -> bool,
    ) {
        match found.map(same) {
            None => self.missing.push(name),
            Some(false) => self.differ.push(name),
            Some(true) => {}
        }
    }

    /// The verdict, the record being `outcome`. A difference outweighs a
    /// missing field: one differing field is enough to know the record is
    /// another.
    pub(crate) fn verdict<T>(self, outcome: T) -> Verdict<T> {
        if !self.differ.is_empty() {
            Verdict::Differs {
                what: self.what,
                fields: self.differ,
            }
        } else if !self.missing.is_empty() {
            Verdict::Missing {
                what: self.what,
                fields: self.missing,
            }
        } else {
            Verdict::Same(outcome)
        }
    }
}

/// Compares a found gig with the one sent.
pub(crate) fn gig(sent: &NewGig, found: Gig) -> Verdict<Gig> {
    let mut c = Comparison::new("gig");
    let amount = |text: &str| Amount::parse(text).ok();
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
