//! How each API declares the names of its operations: one row per
//! operation, from which its enum, `ALL`, `name` and `from_name` are
//! written, so that a new operation cannot be left out of any of them.

/// An API's operation names, for the code both APIs share (reading a
/// call's `"operation"`).
pub(crate) trait OperationName: Copy + 'static {
    /// The API's operations, in their declared order.
    const KINDS: &'static [Self];

    /// The camelCase name used by hosts and vectors.
    fn wire_name(self) -> &'static str;

    /// Every name, for an error that says what was expected.
    fn all_names() -> String {
        Self::KINDS
            .iter()
            .map(|k| k.wire_name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Declares an API's operation enum from rows `Variant = "camelName"`,
/// each after its doc comment.
macro_rules! operation_kinds {
    (
        $(#[$meta:meta])*
        pub enum $kind:ident {
            $( $(#[$doc:meta])* $variant:ident = $name:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $kind {
            $( $(#[$doc])* $variant, )+
        }

        impl $kind {
            /// Every operation, in the order of the reference.
            pub const ALL: [$kind; [$($name),+].len()] = [$(Self::$variant),+];

            /// The camelCase name used by hosts and vectors.
            pub fn name(self) -> &'static str {
                match self {
                    $( Self::$variant => $name, )+
                }
            }

            /// The operation of a camelCase name.
            pub fn from_name(name: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|k| k.name() == name)
            }
        }

        impl $crate::operation_kind::OperationName for $kind {
            const KINDS: &'static [Self] = &Self::ALL;

            fn wire_name(self) -> &'static str {
                self.name()
            }
        }
    };
}
pub(crate) use operation_kinds;
