//! Reading operation inputs from JSON, the form every host passes them in.
//!
//! A typed `serde` derive would stop at the first wrong field; partners
//! filling a form want all of them. This reader takes each field on its
//! own, records wrong JSON types and unknown fields as [`FieldError`]s, and
//! hands the rest to the validation rules, which then skip the fields
//! already reported.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::error::{FieldError, FieldErrorCode, ValidationError};

/// One JSON object being read field by field.
pub(crate) struct JsonInput<'a> {
    map: &'a Map<String, Value>,
    errors: Vec<FieldError>,
}

impl<'a> JsonInput<'a> {
    /// Starts reading `value`, which must be an object whose keys are all in
    /// `fields` (the operation's wire names).
    pub(crate) fn new(
        value: &'a Value,
        what: &str,
        fields: &[&str],
    ) -> Result<Self, ValidationError> {
        let Value::Object(map) = value else {
            return Err(ValidationError {
                errors: vec![FieldError::new(
                    "$",
                    FieldErrorCode::InvalidType,
                    format!("{what} must be a JSON object, found {}", json_type(value)),
                )],
            });
        };
        let errors = map
            .keys()
            .filter(|key| !fields.contains(&key.as_str()))
            .map(|key| unknown_field(key, what, fields))
            .collect();
        Ok(Self { map, errors })
    }

    /// A text field. Missing and `null` read as empty text, which the rules
    /// report as `required`.
    pub(crate) fn text(&mut self, field: &str) -> String {
        self.borrowed_text(field).to_owned()
    }

    /// [`JsonInput::text`] without a copy: the text stays in the parsed
    /// JSON, where the rules read it.
    pub(crate) fn borrowed_text(&mut self, field: &str) -> &'a str {
        match self.map.get(field) {
            None | Some(Value::Null) => "",
            Some(Value::String(s)) => s,
            Some(other) => {
                self.wrong_type(field, "text", other);
                ""
            }
        }
    }

    /// An optional text field; `null` is the same as absent.
    pub(crate) fn optional_text(&mut self, field: &str) -> Option<String> {
        match self.map.get(field)? {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            other => {
                self.wrong_type(field, "text", other);
                None
            }
        }
    }

    /// An amount: a string, or a JSON integer (exact). A number with a
    /// fraction is refused: it has been a binary float on its way here and
    /// may no longer be the amount the caller meant.
    pub(crate) fn amount(&mut self, field: &str) -> String {
        self.borrowed_amount(field).into_owned()
    }

    /// [`JsonInput::amount`] without a copy of text amounts.
    pub(crate) fn borrowed_amount(&mut self, field: &str) -> Cow<'a, str> {
        match self.map.get(field) {
            None | Some(Value::Null) => Cow::Borrowed(""),
            Some(Value::String(s)) => Cow::Borrowed(s),
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => Cow::Owned(n.to_string()),
            Some(Value::Number(n)) => {
                self.errors.push(FieldError::new(
                    field,
                    FieldErrorCode::InvalidType,
                    format!(
                        "must be a string such as \"{n}\", not a number: binary floating point cannot hold every amount exactly"
                    ),
                ));
                Cow::Borrowed("")
            }
            Some(other) => {
                self.wrong_type(field, "an amount string like \"15.00\"", other);
                Cow::Borrowed("")
            }
        }
    }

    /// An optional JSON object (`userdata`).
    pub(crate) fn optional_object(&mut self, field: &str) -> Option<Value> {
        match self.map.get(field)? {
            Value::Null => None,
            object @ Value::Object(_) => Some(object.clone()),
            other => {
                self.wrong_type(field, "a JSON object", other);
                None
            }
        }
    }

    /// The problems found while reading.
    pub(crate) fn into_errors(self) -> Vec<FieldError> {
        self.errors
    }

    fn wrong_type(&mut self, field: &str, expected: &str, found: &Value) {
        self.errors.push(FieldError::new(
            field,
            FieldErrorCode::InvalidType,
            format!("must be {expected}, found {}", json_type(found)),
        ));
    }
}

fn unknown_field(key: &str, what: &str, fields: &[&str]) -> FieldError {
    let squash = |s: &str| s.replace(['_', '-'], "").to_ascii_lowercase();
    let message = match fields.iter().find(|f| squash(f) == squash(key)) {
        Some(known) => format!("is not a field of {what}; did you mean \"{known}\"?"),
        None => format!(
            "is not a field of {what}; expected one of: {}",
            fields.join(", ")
        ),
    };
    FieldError::new(key, FieldErrorCode::UnknownField, message)
}

/// A text argument of a call in its host-neutral JSON form (`"gigId"`,
/// `"idempotencyKey"`): absent and `null` read as empty text, which the
/// identifier rules report as `required`; any other JSON type is refused.
pub(crate) fn call_text(call: &Value, field: &str) -> Result<String, crate::Error> {
    match call.get(field) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(crate::validate::field_error(
            field,
            crate::validate::Problem::new(
                FieldErrorCode::InvalidType,
                format!("must be text, found {}", json_type(other)),
            ),
        )),
    }
}

/// The JSON type of a value, for messages.
pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The most members a call or input read by [`FlatCall`] may have: a gig
/// has 8 fields; more sends the call to the parsed form.
const FLAT_MEMBERS: usize = 12;

/// Members of one JSON object whose values are all plain strings, borrowed
/// from the text, in the order given, duplicates included.
#[derive(Clone, Copy)]
pub(crate) struct FlatObject<'a> {
    members: [(&'a str, &'a str); FLAT_MEMBERS],
    len: usize,
}

impl<'a> FlatObject<'a> {
    const EMPTY: Self = Self {
        members: [("", ""); FLAT_MEMBERS],
        len: 0,
    };

    /// The members read.
    pub(crate) fn members(&self) -> &[(&'a str, &'a str)] {
        self.members.get(..self.len).unwrap_or_default()
    }

    /// The value of `key`, if given: the last one given, as in a parsed
    /// object.
    pub(crate) fn get(&self, key: &str) -> Option<&'a str> {
        self.members()
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
    }

    /// Adds a member; `None` when there is no room left.
    fn push(&mut self, key: &'a str, value: &'a str) -> Option<()> {
        *self.members.get_mut(self.len)? = (key, value);
        self.len += 1;
        Some(())
    }
}

/// A call in the shape every binding writes, read straight from its JSON
/// text: an object whose members are plain strings (no escapes) besides an
/// `input` object whose members are plain strings too. Of members given
/// twice the last counts, as in a parsed object. Reading it costs one
/// pass over the text and no allocation, where parsing into a `Value` first
/// builds a map and copies every string (a fifth of a create-gig call in
/// wasm). Any other shape, and any text that is not JSON, reads as `None`,
/// and the caller parses the text into a `Value` instead: this reader only
/// ever accepts valid JSON, and only shapes whose meaning it cannot get
/// wrong, so the outcome is always exactly that of the parsed form.
pub(crate) struct FlatCall<'a> {
    /// The members besides `input` (`operation`, `gigId`, ...).
    pub(crate) args: FlatObject<'a>,
    /// The `input` member, when given.
    pub(crate) input: Option<FlatObject<'a>>,
}

impl<'a> FlatCall<'a> {
    /// Reads `text`, or `None` when it is not in the flat shape.
    pub(crate) fn read(text: &'a str) -> Option<Self> {
        let mut scan = Scan { text, at: 0 };
        let mut call = Self {
            args: FlatObject::EMPTY,
            input: None,
        };
        scan.object(|scan, key| {
            if key == "input" {
                if call.input.is_some() {
                    return None;
                }
                let mut input = FlatObject::EMPTY;
                scan.object(|scan, key| input.push(key, scan.string()?))?;
                call.input = Some(input);
                Some(())
            } else {
                call.args.push(key, scan.string()?)
            }
        })?;
        scan.skip_white_space();
        (scan.at == text.len()).then_some(call)
    }
}

/// A cursor over JSON text for [`FlatCall`].
struct Scan<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Scan<'a> {
    fn skip_white_space(&mut self) {
        let rest = self.text.as_bytes().get(self.at..).unwrap_or_default();
        self.at += rest
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            .count();
    }

    /// Consumes `byte` after optional white space.
    fn eat(&mut self, byte: u8) -> bool {
        self.skip_white_space();
        let found = self.text.as_bytes().get(self.at) == Some(&byte);
        self.at += usize::from(found);
        found
    }

    /// A string without escapes (and so without control characters, which
    /// JSON refuses unescaped), borrowed; `None` for anything else.
    fn string(&mut self) -> Option<&'a str> {
        if !self.eat(b'"') {
            return None;
        }
        let start = self.at;
        let rest = self.text.as_bytes().get(start..)?;
        let len = rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        if rest.get(len) != Some(&b'"') {
            return None;
        }
        self.at = start + len + 1;
        // Both ends are next to an ASCII quote: character boundaries.
        self.text.get(start..start + len)
    }

    /// An object, handing each key to `member`, which reads its value.
    fn object(&mut self, mut member: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        if !self.eat(b'{') {
            return None;
        }
        if self.eat(b'}') {
            return Some(());
        }
        loop {
            let key = self.string()?;
            if !self.eat(b':') {
                return None;
            }
            member(self, key)?;
            if self.eat(b'}') {
                return Some(());
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flat_call_borrows_its_text() {
        let text = r#" {"operation" : "createGig","input":{"gigId":"g1","tips":""}, "x":"é"} "#;
        let call = FlatCall::read(text).expect("flat");
        assert_eq!(call.args.get("operation"), Some("createGig"));
        assert_eq!(call.args.get("x"), Some("é"));
        let input = call.input.expect("an input");
        assert_eq!(input.members(), [("gigId", "g1"), ("tips", "")]);
        let twice = FlatCall::read(r#"{"a":"b","a":"c"}"#).expect("flat");
        assert_eq!(twice.args.get("a"), Some("c"));
    }

    #[test]
    fn other_shapes_and_text_that_is_not_json_are_not_flat() {
        for text in [
            "",
            "{",
            "{}}",
            "{} x",
            "[]",
            r#"{"a":"b",}"#,
            r#"{,"a":"b"}"#,
            r#"{"a":"b""c":"d"}"#,
            r#"{"a" "b"}"#,
            r#"{"a":"b\"c"}"#,
            "{\"a\":\"b\u{1}\"}",
            r#"{"a":1}"#,
            r#"{"a":null}"#,
            r#"{"input":{},"input":{}}"#,
            r#"{"input":{"a":{}}}"#,
            r#"{"input":"text"}"#,
            r#"{"a":"b"}  {"#,
            "{\"a\":\"b\"}\u{a0}",
        ] {
            assert!(FlatCall::read(text).is_none(), "{text}");
        }
        let many: Vec<String> = (0..=FLAT_MEMBERS)
            .map(|i| format!("\"k{i}\":\"v\""))
            .collect();
        assert!(FlatCall::read(&format!("{{{}}}", many.join(","))).is_none());
        assert!(FlatCall::read(&format!("{{{}}}", many[1..].join(","))).is_some());
    }
}
