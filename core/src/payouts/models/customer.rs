//! Customers: the workers a partner pays (reference, *Customer*).

use crate::error::FieldErrorCode;
use crate::input::input_model;
use crate::validate::{self, Checker, Problem};
use crate::wire::wire_enum;

input_model! {
    /// A customer to register. Required fields are plain strings, optional ones
    /// `Option`; validation normalises them (see [`crate::validate`]).
    pub record NewCustomer as "a customer" {
        /// Given name, at most 40 characters.
        first_name: required(validate::person_name) = "firstName",
        /// Middle name, if any.
        middle_name: optional(validate::person_name) = "middleName",
        /// Surname, at most 40 characters.
        last_name: required(validate::person_name) = "lastName",
        /// Date of birth, `YYYY-MM-DD`.
        birthday: required(validate::calendar_date) = "birthday",
        /// US phone number; unique per customer.
        phone_number: required(validate::phone_number) = "phoneNumber",
        /// Email address; unique per customer.
        email: required(validate::email) = "email",
        /// Street address, at most 35 characters.
        street: required(validate::street) = "street",
        /// Second address line, if any.
        street2: optional(validate::street) = "street2",
        /// City, at most 21 characters.
        city: required(validate::city) = "city",
        /// Two-letter US state code.
        state: required(validate::us_state) = "state",
        /// ZIP or ZIP+4.
        postal_code: required(validate::postal_code) = "postalCode",
        /// The partner's own unique id for this person.
        partner_user_id: required(validate::identifier) = "partnerUserId",
        /// When the person joined the partner's platform, `YYYY-MM-DD`.
        registration_date: required(validate::calendar_date) = "registrationDate",
    }
    impl {
        /// The wire names of the fields, in the reference's order.
        const FIELDS;
        /// Reads and validates the API's JSON shape, reporting every problem.
        fn from_json;
        /// Checks every field and returns the normalised customer, as it will
        /// be sent.
        fn validate;
    }
}

input_model! {
    /// Changes to a customer that is still `PENDING` (`PATCH
    /// /customer/:partnerUserId`, from the older API documents). Only the fields
    /// given are changed; at least one must be. Clearing an optional field is
    /// not offered: the documents do not say how the API would take it.
    pub record CustomerUpdate as "a customer update" {
        /// Given name, at most 40 characters.
        first_name: change(validate::person_name) = "firstName",
        /// Middle name, if any.
        middle_name: change(validate::person_name) = "middleName",
        /// Surname, at most 40 characters.
        last_name: change(validate::person_name) = "lastName",
        /// Date of birth, `YYYY-MM-DD`.
        birthday: change(validate::calendar_date) = "birthday",
        /// US phone number, sent as ten digits.
        phone_number: change(validate::phone_number) = "phoneNumber",
        /// Email address, at most 50 characters.
        email: change(validate::email) = "email",
        /// Street address, at most 35 characters.
        street: change(validate::street) = "street",
        /// Second address line, at most 35 characters.
        street2: change(validate::street) = "street2",
        /// City, at most 21 characters.
        city: change(validate::city) = "city",
        /// Two-letter US state code, sent upper-cased.
        state: change(validate::us_state) = "state",
        /// ZIP or ZIP+4.
        postal_code: change(validate::postal_code) = "postalCode",
        /// When the person joined the partner's platform, `YYYY-MM-DD`.
        registration_date: change(validate::calendar_date) = "registrationDate",
    }
    impl {
        /// The wire names of the fields that can change (`partnerUserId` is the
        /// customer's identity and cannot).
        const FIELDS;
        /// Reads and validates the API's JSON shape.
        fn from_json;
        /// Checks the fields given and returns the normalised update.
        fn validate;
        /// An update that changes nothing is refused as a whole (`$`).
        fn rules(&self, c: &mut Checker) {
            if *self == Self::default() {
                c.add(
                    "$",
                    Problem::new(
                        FieldErrorCode::Required,
                        format!(
                            "an update must change at least one of: {}",
                            Self::FIELDS.join(", ")
                        ),
                    ),
                );
            }
        }
    }
}

wire_enum! {
    /// Whether a customer can be paid. Only `Active` customers receive
    /// payouts. Canonical spelling is upper case, as in the API's answers.
    CustomerStatus {
        /// Registered; onboarding not finished.
        Pending = "PENDING",
        /// Seen in the partner sample: created, not yet onboarding.
        Created = "CREATED",
        /// Seen in the partner sample: onboarding started in the app.
        PendingRegistration = "PENDING_REGISTRATION",
        /// Account open: can be paid.
        Active = "ACTIVE",
        /// Deactivated or suspended: cannot be paid.
        Inactive = "INACTIVE",
    }
}

super::json::response_model! {
    /// A customer as the API returns it.
    pub struct Customer as "a customer" {
        /// The partner's id for this person: the customer's identity.
        partner_user_id: required = "partnerUserId",
        /// Given name.
        first_name: text = "firstName",
        /// Middle name, if any.
        middle_name: text = "middleName",
        /// Surname.
        last_name: text = "lastName",
        /// Date of birth, `YYYY-MM-DD`.
        birthday: text = "birthday",
        /// Phone number, as stored.
        phone_number: text = "phoneNumber",
        /// Email address.
        email: text = "email",
        /// Street address.
        street: text = "street",
        /// Second address line.
        street2: text = "street2",
        /// City.
        city: text = "city",
        /// Two-letter US state code.
        state: text = "state",
        /// ZIP or ZIP+4.
        postal_code: text = "postalCode",
        /// When the person joined the partner's platform.
        registration_date: text = "registrationDate",
        /// Whether the customer can be paid.
        status: wire(CustomerStatus) = "status",
        /// ISO 8601 creation time, as sent.
        created_at: text = "createdAt",
        /// ISO 8601 time of the last change, as sent.
        updated_at: text = "updatedAt",
    }
}
