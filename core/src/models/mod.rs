//! The API's objects: what partners send (inputs, validated) and what the
//! API returns (responses, tolerant of anything new).
//!
//! Inputs use the API's wire names through `serde(rename_all =
//! "camelCase")`, so their JSON form is exactly the request body. Responses
//! are read and written by hand (module `json`) and ignore nothing: unknown
//! fields are kept in `extra`, unknown status names in an `Unknown`
//! variant, so a new API field never breaks a partner.

mod application;
mod customer;
mod gig;
mod json;
mod special_payment;

pub use application::{Application, ApplicationStatus};
pub use customer::{Customer, CustomerStatus, CustomerUpdate, NewCustomer};
pub use gig::{Gig, NewGig, NewGigText, PaymentStatus};
pub use special_payment::{NewSpecialPayment, SpecialPayment, SpecialPaymentType};

/// Declares an enum of wire names that parses case-insensitively, writes its
/// canonical spelling, and keeps any other value as `Unknown` instead of
/// failing: the documents disagree on casing and may add values.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version of the SDK does not know, kept as sent.
            Unknown(String),
        }

        impl $name {
            /// Every documented value, in the reference's order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// Reads a wire value in any letter case.
            pub fn parse(text: &str) -> Self {
                $(if text.eq_ignore_ascii_case($wire) {
                    return Self::$variant;
                })+
                Self::Unknown(text.to_owned())
            }

            /// The canonical wire spelling (or the unknown value as sent).
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Unknown(other) => other,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Ok(Self::parse(&text))
            }
        }
    };
}
pub(crate) use wire_enum;
