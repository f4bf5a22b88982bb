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
