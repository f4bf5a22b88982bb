//! How an open-banking response model is declared.

/// Declares a model read from the API's responses or its webhooks, with what
/// every such model carries, written once so that no new model can forget
/// one of them:
///
/// - serde both ways, absent fields left out when written;
/// - the TypeScript declaration (feature `tsify`) and the Kotlin and Swift
///   record (feature `uniffi`, under the name after `as`, prefixed `Ob`
///   beside the payouts models of the same name);
/// - `extra`, the fields this SDK version does not know, kept as sent: a
///   field Lean adds reaches the caller before the SDK names it.
///
/// Further derives (`Eq`, `Default`) go in their own `#[derive]` before
/// `pub struct`.
macro_rules! response_model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident as $ffi_name:literal {
            $($(#[$field_meta:meta])* pub $field:ident: $type:ty,)*
        }
    ) => {
        $(#[$meta])*
        #[serde_with::skip_serializing_none]
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
        #[cfg_attr(feature = "uniffi", uniffi(name = $ffi_name))]
        pub struct $name {
            $($(#[$field_meta])* pub $field: $type,)*
            /// Fields this SDK version does not know, kept as sent.
            #[serde(flatten)]
            #[cfg_attr(feature = "tsify", tsify(type = "Record<string, unknown>"))]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }
    };
}

pub(crate) use response_model;
