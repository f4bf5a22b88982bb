//! Reading operation inputs from JSON, the form every host passes them in.
//!
//! A typed `serde` derive would stop at the first wrong field; partners
//! filling a form want all of them. This reader takes each field on its
//! own, records wrong JSON types and unknown fields as [`FieldError`]s, and
//! hands the rest to the validation rules, which then skip the fields
//! already reported.
//!
//! An input is read either from a parsed [`Value`] ([`JsonInput::new`]) or
//! straight from JSON text ([`InputSeed`], [`read_call`]): the second skips
//! the `Value` tree (a map and a copy of every string) and borrows the text
//! of each field from the source, the hot path of every binding's calls.
//! Both report exactly the same problems in the same order.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Number, Value};

use crate::error::{FieldError, FieldErrorCode, ValidationError};

/// The most fields one input has (a customer has 13).
const MAX_FIELDS: usize = 16;

/// One field's JSON value as read: text borrowed from the source where it
/// holds no escapes, objects kept whole (`userdata`), arrays only noted.
#[derive(Debug)]
pub(crate) enum Field<'a> {
    Null,
    Bool,
    Number(Number),
    Text(Cow<'a, str>),
    Array,
    Object(Cow<'a, Value>),
}

impl<'a> Field<'a> {
    fn of(value: &'a Value) -> Self {
        match value {
            Value::Null => Self::Null,
            Value::Bool(_) => Self::Bool,
            Value::Number(n) => Self::Number(n.clone()),
            Value::String(s) => Self::Text(Cow::Borrowed(s)),
            Value::Array(_) => Self::Array,
            Value::Object(_) => Self::Object(Cow::Borrowed(value)),
        }
    }

    /// The JSON type, for messages: the same words as [`json_type`].
    fn type_name(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool => "a boolean",
            Self::Number(_) => "a number",
            Self::Text(_) => "text",
            Self::Array => "an array",
            Self::Object(_) => "an object",
        }
    }
}

/// One JSON object being read field by field.
pub(crate) struct JsonInput<'a> {
    fields: &'static [&'static str],
    values: [Option<Field<'a>>; MAX_FIELDS],
    errors: Vec<FieldError>,
}

impl<'a> JsonInput<'a> {
    /// Starts reading `value`, which must be an object whose keys are all in
    /// `fields` (the operation's wire names).
    pub(crate) fn new(
        value: &'a Value,
        what: &str,
        fields: &'static [&'static str],
    ) -> Result<Self, ValidationError> {
        let Value::Object(map) = value else {
            return Err(not_object(what, json_type(value)));
        };
        let mut input = Self::empty(fields);
        for (key, value) in map {
            if !input.set(key, Field::of(value)) {
                input.errors.push(unknown_field(key, what, fields));
            }
        }
        Ok(input)
    }

    fn empty(fields: &'static [&'static str]) -> Self {
        Self {
            fields,
            values: std::array::from_fn(|_| None),
            errors: Vec::new(),
        }
    }

    /// Keeps the value of a known field (the last one given wins, as in a
    /// parsed object); false for an unknown field.
    fn set(&mut self, key: &str, field: Field<'a>) -> bool {
        match self.slot(key) {
            Some(slot) => {
                *slot = Some(field);
                true
            }
            None => false,
        }
    }

    fn slot(&mut self, key: &str) -> Option<&mut Option<Field<'a>>> {
        let index = self.fields.iter().position(|f| *f == key)?;
        self.values.get_mut(index)
    }

    fn take(&mut self, field: &str) -> Option<Field<'a>> {
        self.slot(field).and_then(Option::take)
    }

    /// A text field. Missing and `null` read as empty text, which the rules
    /// report as `required`.
    pub(crate) fn text(&mut self, field: &str) -> String {
        self.borrowed_text(field).into_owned()
    }

    /// An optional text field; `null` is the same as absent.
    pub(crate) fn optional_text(&mut self, field: &str) -> Option<String> {
        self.optional_borrowed_text(field).map(Cow::into_owned)
    }

    /// [`JsonInput::text`] without a copy where the source allows.
    pub(crate) fn borrowed_text(&mut self, field: &str) -> Cow<'a, str> {
        self.optional_borrowed_text(field).unwrap_or_default()
    }

    /// [`JsonInput::optional_text`] without a copy where the source allows.
    pub(crate) fn optional_borrowed_text(&mut self, field: &str) -> Option<Cow<'a, str>> {
        match self.take(field)? {
            Field::Null => None,
            Field::Text(s) => Some(s),
            other => {
                self.wrong_type(field, "text", &other);
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

    /// [`JsonInput::amount`] without a copy where the source allows.
    pub(crate) fn borrowed_amount(&mut self, field: &str) -> Cow<'a, str> {
        match self.take(field) {
            None | Some(Field::Null) => Cow::Borrowed(""),
            Some(Field::Text(s)) => s,
            Some(Field::Number(n)) if n.is_i64() || n.is_u64() => Cow::Owned(n.to_string()),
            Some(Field::Number(n)) => {
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
                self.wrong_type(field, "an amount string like \"15.00\"", &other);
                Cow::Borrowed("")
            }
        }
    }

    /// An optional JSON object (`userdata`).
    pub(crate) fn optional_object(&mut self, field: &str) -> Option<Value> {
        match self.take(field)? {
            Field::Null => None,
            Field::Object(object) => Some(object.into_owned()),
            other => {
                self.wrong_type(field, "a JSON object", &other);
                None
            }
        }
    }

    /// The problems found while reading.
    pub(crate) fn into_errors(self) -> Vec<FieldError> {
        self.errors
    }

    fn wrong_type(&mut self, field: &str, expected: &str, found: &Field<'_>) {
        self.errors.push(FieldError::new(
            field,
            FieldErrorCode::InvalidType,
            format!("must be {expected}, found {}", found.type_name()),
        ));
    }
}

fn not_object(what: &str, found: &str) -> ValidationError {
    ValidationError {
        errors: vec![FieldError::new(
            "$",
            FieldErrorCode::InvalidType,
            format!("{what} must be a JSON object, found {found}"),
        )],
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

/// Reads one input object straight from JSON text into a [`JsonInput`]:
/// `what` names it in messages ("a gig"), `fields` are its wire names.
/// A value that is not an object is the same `$` error as in
/// [`JsonInput::new`].
#[derive(Clone, Copy)]
pub(crate) struct InputSeed {
    pub(crate) what: &'static str,
    pub(crate) fields: &'static [&'static str],
}

impl InputSeed {
    /// The error of an operation whose input was not read: unreachable, as
    /// every operation that reads one has a seed.
    pub(crate) fn missing() -> ValidationError {
        ValidationError {
            errors: vec![FieldError::new(
                "$",
                FieldErrorCode::InvalidValue,
                "the input could not be read",
            )],
        }
    }
}

/// What the text reader reads next. One visitor for the three, so that
/// `serde_json`'s parser is instantiated once more for this reader, not
/// once per shape (each instance costs kilobytes of wasm).
#[derive(Clone, Copy)]
enum Reader {
    /// One value, as a [`Field`] (also object keys, and values skipped).
    Field,
    /// An input object.
    Input(InputSeed),
    /// A whole call; the function gives each operation's input.
    Call(fn(&str) -> Option<InputSeed>),
}

enum Read<'de> {
    Field(Field<'de>),
    Input(Result<JsonInput<'de>, ValidationError>),
    Call(CallInput<'de>),
}

impl<'de> DeserializeSeed<'de> for Reader {
    type Value = Read<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl Reader {
    /// A value that is not an object.
    fn scalar<'de, E: de::Error>(self, field: Field<'de>) -> Result<Read<'de>, E> {
        match self {
            Self::Field => Ok(Read::Field(field)),
            Self::Input(seed) => Ok(Read::Input(Err(not_object(seed.what, field.type_name())))),
            Self::Call(_) => Err(E::custom("a call is an object")),
        }
    }
}

impl<'de> Visitor<'de> for Reader {
    type Value = Read<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.scalar(Field::Null)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        self.scalar(Field::Bool)
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Self::Value, E> {
        self.scalar(Field::Number(n.into()))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
        self.scalar(Field::Number(n.into()))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Self::Value, E> {
        // As a parsed `Value` holds it (JSON text has no NaN or infinity).
        self.scalar(Number::from_f64(n).map_or(Field::Null, Field::Number))
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
        self.scalar(Field::Text(Cow::Borrowed(s)))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        self.scalar(Field::Text(Cow::Owned(s.to_owned())))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element_seed(Reader::Field)?.is_some() {}
        self.scalar(Field::Array)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        match self {
            Self::Field => {
                let object = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Read::Field(Field::Object(Cow::Owned(object))))
            }
            Self::Input(seed) => read_input(map, seed).map(|input| Read::Input(Ok(input))),
            Self::Call(spec) => read_call_map(map, spec).map(Read::Call),
        }
    }
}

/// The next key of `map`, borrowed from the source unless it holds escapes.
fn next_key<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Cow<'de, str>>, A::Error> {
    match map.next_key_seed(Reader::Field)? {
        None => Ok(None),
        Some(Read::Field(Field::Text(key))) => Ok(Some(key)),
        Some(_) => Err(de::Error::custom("a key is text")),
    }
}

/// The next value of `map`, as a [`Field`].
fn next_field<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Field<'de>, A::Error> {
    match map.next_value_seed(Reader::Field)? {
        Read::Field(field) => Ok(field),
        _ => Err(de::Error::custom("a value")),
    }
}

fn read_input<'de, A: MapAccess<'de>>(
    mut map: A,
    seed: InputSeed,
) -> Result<JsonInput<'de>, A::Error> {
    let mut input = JsonInput::empty(seed.fields);
    // Unknown keys in the order, and once each, as a parsed object (sorted
    // by key) lists them.
    let mut unknown: Vec<Cow<'de, str>> = Vec::new();
    while let Some(key) = next_key(&mut map)? {
        let field = next_field(&mut map)?;
        if !input.set(&key, field) {
            if let Err(at) = unknown.binary_search(&key) {
                unknown.insert(at, key);
            }
        }
    }
    for key in unknown {
        let error = unknown_field(&key, seed.what, seed.fields);
        input.errors.push(error);
    }
    Ok(input)
}

/// The arguments of a call besides its input, by name.
pub(crate) const CALL_ARGS: [&str; 4] = ["partnerUserId", "gigId", "id", "idempotencyKey"];

/// A call in its host-neutral JSON form, read: the operation's name, its
/// arguments ([`CALL_ARGS`]) and its input.
pub(crate) struct CallInput<'a> {
    /// The operation's name; text of another JSON type reads as empty.
    pub(crate) operation: Cow<'a, str>,
    args: [Option<Field<'a>>; CALL_ARGS.len()],
    /// The input, read as the operation's input type; `None` when the
    /// operation takes none (or is unknown).
    pub(crate) input: Option<Result<JsonInput<'a>, ValidationError>>,
}

impl<'a> CallInput<'a> {
    /// Reads a parsed call; `spec` gives the input's name and fields of an
    /// operation name, `None` for operations without an input.
    pub(crate) fn of_value(call: &'a Value, spec: fn(&str) -> Option<InputSeed>) -> Self {
        let operation = call
            .get("operation")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let input = spec(operation).map(|seed| {
            JsonInput::new(
                call.get("input").unwrap_or(&Value::Null),
                seed.what,
                seed.fields,
            )
        });
        Self {
            operation: Cow::Borrowed(operation),
            args: CALL_ARGS.map(|name| call.get(name).map(Field::of)),
            input,
        }
    }

    /// True when the argument `field` is given and not `null`.
    pub(crate) fn has(&self, field: &str) -> bool {
        let index = CALL_ARGS.iter().position(|f| *f == field);
        let arg = index.and_then(|i| self.args.get(i)).and_then(Option::as_ref);
        !matches!(arg, None | Some(Field::Null))
    }

    /// A text argument (`"gigId"`, `"idempotencyKey"`): absent and `null`
    /// read as empty text, which the identifier rules report as `required`;
    /// any other JSON type is refused.
    pub(crate) fn text(&mut self, field: &str) -> Result<Cow<'a, str>, crate::Error> {
        let index = CALL_ARGS.iter().position(|f| *f == field);
        match index.and_then(|i| self.args.get_mut(i)).and_then(Option::take) {
            None | Some(Field::Null) => Ok(Cow::Borrowed("")),
            Some(Field::Text(s)) => Ok(s),
            Some(other) => Err(wrong_call_type(field, other.type_name())),
        }
    }
}

/// Reads a call straight from JSON text, as [`CallInput::of_value`] reads
/// it parsed. `Err` when the text is not JSON or takes a shape this reader
/// leaves to the parsed form (not an object, the input before the
/// operation's name, a name given twice): the caller then parses the text
/// into a `Value`, which settles every case exactly as before.
pub(crate) fn read_call(
    text: &[u8],
    spec: fn(&str) -> Option<InputSeed>,
) -> serde_json::Result<CallInput<'_>> {
    let mut de = serde_json::Deserializer::from_slice(text);
    let read = Reader::Call(spec).deserialize(&mut de)?;
    de.end()?;
    match read {
        Read::Call(call) => Ok(call),
        _ => Err(de::Error::custom("a call is an object")),
    }
}

fn read_call_map<'de, A: MapAccess<'de>>(
    mut map: A,
    spec: fn(&str) -> Option<InputSeed>,
) -> Result<CallInput<'de>, A::Error> {
    let mut operation: Option<Cow<'de, str>> = None;
    let mut args: [Option<Field<'de>>; CALL_ARGS.len()] = std::array::from_fn(|_| None);
    let mut input = None;
    while let Some(key) = next_key(&mut map)? {
        if key == "operation" {
            if operation.is_some() {
                return Err(de::Error::custom("the operation is named twice"));
            }
            operation = Some(match next_field(&mut map)? {
                Field::Text(name) => name,
                _ => Cow::Borrowed(""),
            });
        } else if key == "input" {
            let Some(name) = &operation else {
                return Err(de::Error::custom("the input precedes the operation"));
            };
            input = match spec(name) {
                Some(seed) => match map.next_value_seed(Reader::Input(seed))? {
                    Read::Input(read) => Some(read),
                    _ => return Err(de::Error::custom("an input")),
                },
                None => {
                    next_field(&mut map)?;
                    None
                }
            };
        } else {
            let field = next_field(&mut map)?;
            if let Some(i) = CALL_ARGS.iter().position(|f| *f == key) {
                args[i] = Some(field);
            }
        }
    }
    let operation = operation.unwrap_or_default();
    // An absent input reads as `null`, which its reader refuses.
    let input = input.or_else(|| spec(&operation).map(|seed| Err(not_object(seed.what, "null"))));
    Ok(CallInput {
        operation,
        args,
        input,
    })
}

/// A text argument of a call in its host-neutral JSON form (`"gigId"`,
/// `"idempotencyKey"`): absent and `null` read as empty text, which the
/// identifier rules report as `required`; any other JSON type is refused.
pub(crate) fn call_text(call: &Value, field: &str) -> Result<String, crate::Error> {
    match call.get(field) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(wrong_call_type(field, json_type(other))),
    }
}

fn wrong_call_type(field: &str, found: &str) -> crate::Error {
    crate::validate::field_error(
        field,
        crate::validate::Problem::new(
            FieldErrorCode::InvalidType,
            format!("must be text, found {found}"),
        ),
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    fn gig_seed(name: &str) -> Option<InputSeed> {
        (name == "createGig").then_some(InputSeed {
            what: "a gig",
            fields: &["gigId", "tips"],
        })
    }

    #[test]
    fn a_call_is_read_from_text_borrowing_its_strings() {
        let text = br#"{"operation":"createGig","gigId":7,"input":{"gigId":"g\u0031","tips":"1.00","x":[1]}}"#;
        let mut call = read_call(text, gig_seed).expect("read");
        assert_eq!(call.operation, "createGig");
        assert!(call.has("gigId"));
        assert!(call.text("gigId").is_err());
        let mut input = call.input.take().expect("an input").expect("an object");
        assert!(matches!(input.borrowed_text("tips"), Cow::Borrowed("1.00")));
        assert_eq!(input.borrowed_text("gigId"), "g1");
        let errors = input.into_errors();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "x");
    }

    #[test]
    fn shapes_left_to_the_parsed_form_are_refused() {
        for text in [
            &br#"{"input":{},"operation":"createGig"}"#[..],
            br#"{"operation":"createGig","operation":"createGig"}"#,
            br#"[]"#,
            br#"{"operation":"createGig"} x"#,
        ] {
            assert!(read_call(text, gig_seed).is_err());
        }
    }
}
