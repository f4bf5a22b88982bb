//! Customers: the workers a partner pays (reference, *Customer*).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{FieldErrorCode, ValidationError};
use crate::input::JsonInput;
use crate::validate::{self, Checker, Problem};
use crate::wire::wire_enum;

/// A customer to register. Required fields are plain strings, optional ones
/// `Option`; validation normalises them (see [`crate::validate`]).
#[serde_with::skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewCustomer {
    /// Given name, at most 40 characters.
    pub first_name: String,
    /// Middle name, if any.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub middle_name: Option<String>,
    /// Surname, at most 40 characters.
    pub last_name: String,
    /// Date of birth, `YYYY-MM-DD`.
    pub birthday: String,
    /// US phone number; unique per customer.
    pub phone_number: String,
    /// Email address; unique per customer.
    pub email: String,
    /// Street address, at most 35 characters.
    pub street: String,
    /// Second address line, if any.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub street2: Option<String>,
    /// City, at most 21 characters.
    pub city: String,
    /// Two-letter US state code.
    pub state: String,
    /// ZIP or ZIP+4.
    pub postal_code: String,
    /// The partner's own unique id for this person.
    pub partner_user_id: String,
    /// When the person joined the partner's platform, `YYYY-MM-DD`.
    pub registration_date: String,
}

impl NewCustomer {
    /// The wire names of the fields, in the reference's order.
    pub const FIELDS: &'static [&'static str] = &[
        "firstName",
        "middleName",
        "lastName",
        "birthday",
        "phoneNumber",
        "email",
        "street",
        "street2",
        "city",
        "state",
        "postalCode",
        "partnerUserId",
        "registrationDate",
    ];

    /// Reads and validates the API's JSON shape, reporting every problem.
    pub fn from_json(value: &Value) -> Result<Self, ValidationError> {
        let mut input = JsonInput::new(value, "a customer", Self::FIELDS)?;
        let customer = Self {
            first_name: input.text("firstName"),
            middle_name: input.optional_text("middleName"),
            last_name: input.text("lastName"),
            birthday: input.text("birthday"),
            phone_number: input.text("phoneNumber"),
            email: input.text("email"),
            street: input.text("street"),
            street2: input.optional_text("street2"),
            city: input.text("city"),
            state: input.text("state"),
            postal_code: input.text("postalCode"),
            partner_user_id: input.text("partnerUserId"),
            registration_date: input.text("registrationDate"),
        };
        customer.check(Checker::with_errors(input.into_errors()))
    }

    /// Checks every field and returns the normalised customer, as it will
    /// be sent.
    pub fn validate(&self) -> Result<Self, ValidationError> {
        self.check(Checker::new())
    }

    fn check(&self, mut c: Checker) -> Result<Self, ValidationError> {
        let first_name = c.check("firstName", validate::person_name(&self.first_name));
        let middle_name = c.check_optional(
            "middleName",
            self.middle_name.as_deref(),
            validate::person_name,
        );
        let last_name = c.check("lastName", validate::person_name(&self.last_name));
        let birthday = c.check("birthday", validate::calendar_date(&self.birthday));
        let phone_number = c.check("phoneNumber", validate::phone_number(&self.phone_number));
        let email = c.check("email", validate::email(&self.email));
        let street = c.check("street", validate::street(&self.street));
        let street2 = c.check_optional("street2", self.street2.as_deref(), validate::street);
        let city = c.check("city", validate::city(&self.city));
        let state = c.check("state", validate::us_state(&self.state));
        let postal_code = c.check("postalCode", validate::postal_code(&self.postal_code));
        let partner_user_id = c.check("partnerUserId", validate::identifier(&self.partner_user_id));
        let registration_date = c.check(
            "registrationDate",
            validate::calendar_date(&self.registration_date),
        );
        c.finish(|| {
            Some(Self {
                first_name: first_name?,
                middle_name,
                last_name: last_name?,
                birthday: birthday?,
                phone_number: phone_number?,
                email: email?,
                street: street?,
                street2,
                city: city?,
                state: state?,
                postal_code: postal_code?,
                partner_user_id: partner_user_id?,
                registration_date: registration_date?,
            })
        })
    }
}

/// Changes to a customer that is still `PENDING` (`PATCH
/// /customer/:partnerUserId`, from the older API documents). Only the fields
/// given are changed; at least one must be. Clearing an optional field is
/// not offered: the documents do not say how the API would take it.
#[serde_with::skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CustomerUpdate {
    /// Given name, at most 40 characters.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub first_name: Option<String>,
    /// Middle name, if any.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub middle_name: Option<String>,
    /// Surname, at most 40 characters.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub last_name: Option<String>,
    /// Date of birth, `YYYY-MM-DD`.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub birthday: Option<String>,
    /// US phone number, sent as ten digits.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub phone_number: Option<String>,
    /// Email address, at most 50 characters.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub email: Option<String>,
    /// Street address, at most 35 characters.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub street: Option<String>,
    /// Second address line, at most 35 characters.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub street2: Option<String>,
    /// City, at most 21 characters.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub city: Option<String>,
    /// Two-letter US state code, sent upper-cased.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub state: Option<String>,
    /// ZIP or ZIP+4.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub postal_code: Option<String>,
    /// When the person joined the partner's platform, `YYYY-MM-DD`.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub registration_date: Option<String>,
}

impl CustomerUpdate {
    /// The wire names of the fields that can change (`partnerUserId` is the
    /// customer's identity and cannot).
    pub const FIELDS: &'static [&'static str] = &[
        "firstName",
        "middleName",
        "lastName",
        "birthday",
        "phoneNumber",
        "email",
        "street",
        "street2",
        "city",
        "state",
        "postalCode",
        "registrationDate",
    ];

    /// Reads and validates the API's JSON shape.
    pub fn from_json(value: &Value) -> Result<Self, ValidationError> {
        let mut input = JsonInput::new(value, "a customer update", Self::FIELDS)?;
        let update = Self {
            first_name: input.optional_text("firstName"),
            middle_name: input.optional_text("middleName"),
            last_name: input.optional_text("lastName"),
            birthday: input.optional_text("birthday"),
            phone_number: input.optional_text("phoneNumber"),
            email: input.optional_text("email"),
            street: input.optional_text("street"),
            street2: input.optional_text("street2"),
            city: input.optional_text("city"),
            state: input.optional_text("state"),
            postal_code: input.optional_text("postalCode"),
            registration_date: input.optional_text("registrationDate"),
        };
        update.check(Checker::with_errors(input.into_errors()))
    }

    /// Checks the fields given and returns the normalised update.
    pub fn validate(&self) -> Result<Self, ValidationError> {
        self.check(Checker::new())
    }

    fn check(&self, mut c: Checker) -> Result<Self, ValidationError> {
        let field = |c: &mut Checker,
                     name: &str,
                     value: &Option<String>,
                     rule: fn(&str) -> validate::Rule<String>| {
            value.as_deref().and_then(|text| c.check(name, rule(text)))
        };
        let update = Self {
            first_name: field(&mut c, "firstName", &self.first_name, validate::person_name),
            middle_name: field(
                &mut c,
                "middleName",
                &self.middle_name,
                validate::person_name,
            ),
            last_name: field(&mut c, "lastName", &self.last_name, validate::person_name),
            birthday: field(&mut c, "birthday", &self.birthday, validate::calendar_date),
            phone_number: field(
                &mut c,
                "phoneNumber",
                &self.phone_number,
                validate::phone_number,
            ),
            email: field(&mut c, "email", &self.email, validate::email),
            street: field(&mut c, "street", &self.street, validate::street),
            street2: field(&mut c, "street2", &self.street2, validate::street),
            city: field(&mut c, "city", &self.city, validate::city),
            state: field(&mut c, "state", &self.state, validate::us_state),
            postal_code: field(
                &mut c,
                "postalCode",
                &self.postal_code,
                validate::postal_code,
            ),
            registration_date: field(
                &mut c,
                "registrationDate",
                &self.registration_date,
                validate::calendar_date,
            ),
        };
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
        c.finish(|| Some(update))
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
