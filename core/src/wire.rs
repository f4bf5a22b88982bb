//! Enums of wire names that both APIs' models use: tolerant of letter case
//! and of values this version of the SDK does not know yet. Under the
//! feature `uniffi` each crosses to Kotlin and Swift as its wire text.

/// Declares an enum of wire names that parses case-insensitively, writes its
/// canonical spelling, and keeps any other value as `Unknown` instead of
/// failing: the documents disagree on casing and may add values.
///
/// `Name as FfiName { ... }` gives the Kotlin and Swift type another name,
/// for an enum whose name the other API's models use too.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident $(as $ffi:ident)? { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
        pub enum $name {
            $($(#[$vmeta])* #[cfg_attr(feature = "tsify", serde(rename = $wire))] $variant,)+
            /// A value this version of the SDK does not know, kept as sent.
            #[cfg_attr(feature = "tsify", serde(untagged))]
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

        #[cfg(feature = "uniffi")]
        $crate::wire::wire_enum!(@uniffi $name $($ffi)?);
    };
    // Kotlin and Swift see the wire text, as JSON does: a value this
    // version does not know still crosses.
    (@uniffi $name:ident $ffi:ident) => {
        type $ffi = $name;
        $crate::wire::wire_enum!(@uniffi $ffi);
    };
    (@uniffi $name:ident) => {
        uniffi::custom_type!($name, String, {
            lower: |value| match value {
                $name::Unknown(text) => text,
                known => known.as_str().to_owned(),
            },
            try_lift: |text| Ok($name::parse(&text)),
        });
    };
}
pub(crate) use wire_enum;
