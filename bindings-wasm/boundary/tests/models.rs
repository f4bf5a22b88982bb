//! `tests/vectors/models.json`: every result model of the core, by the name
//! the npm declarations give it, with its wire fields in order and which of
//! them are amounts. The hosts that write their result models by hand
//! (Python's `_fields` tables) check theirs against it, so a field added to
//! a core model fails their tests until they have it too.
//!
//! The file is generated from the declarations the npm package ships
//! (module `declarations`, from the core's `tsify` derives), so it
//! lists what the core declares and nothing written again by hand. A result
//! model is a declared type that keeps the fields this SDK does not know
//! (`{ ... } & Record<string, unknown>`). The declarations type an amount
//! as `string`, like any text: which text fields are amounts is asked of the
//! core itself, by reading a model whose field holds a decimal and then a
//! word; an amount field takes only the first.
//!
//! A test regenerates it in memory and fails when the kept file differs:
//! rewrite it with `LEAN_UPDATE_MODELS=1 cargo test -p
//! lean-sdk-wasm-boundary --features declarations --test models` and commit it.

use lean_core::openbanking as ob;
use lean_core::{HttpResponse, OperationKind};
use lean_sdk_wasm_boundary::declarations;
use serde_json::{json, Map, Value};

/// Reads a model's JSON object the way the core reads it in an answer or a
/// webhook; `Err` when the core refuses it.
type Reader = fn(Value) -> Result<(), String>;

/// The reader of each result model of one API, by its declared name.
type Readers = fn(&str) -> Option<Reader>;

/// A decimal every amount field takes, and any text field too.
const DECIMAL: &str = "10.00";

/// A field of a result model, as declared for TypeScript.
struct Field {
    name: String,
    ty: String,
    required: bool,
}

/// The result models of one declarations file, each with its fields in
/// declaration order.
fn result_models(decls: &str) -> Vec<(String, Vec<Field>)> {
    decls
        .lines()
        .filter_map(|line| {
            let (name, body) = line.strip_prefix("export type ")?.split_once(" = { ")?;
            let body = body.strip_suffix(" } & Record<string, unknown>;")?;
            let fields = body
                .split("; ")
                .map(|field| {
                    let (name, ty) = field
                        .split_once(": ")
                        .unwrap_or_else(|| panic!("a field of {line} has no type"));
                    assert!(
                        !ty.contains('{'),
                        "{name}: an inline object type is not read here"
                    );
                    let (name, required) = match name.strip_suffix('?') {
                        Some(name) => (name, false),
                        None => (name, true),
                    };
                    Field {
                        name: name.to_owned(),
                        ty: ty.to_owned(),
                        required,
                    }
                })
                .collect();
            Some((name.to_owned(), fields))
        })
        .collect()
}

/// The answer of a payouts operation of `kind` with `body`, read by the core.
fn payouts_answer(kind: OperationKind, body: Value) -> Result<(), String> {
    let response = HttpResponse::new(200, Vec::new(), body.to_string());
    lean_core::payouts::parse_response(kind, &response)
        .map(drop)
        .map_err(|e| e.to_string())
}

/// How the core reads each payouts result model that has text fields.
fn payouts_reader(model: &str) -> Option<Reader> {
    let reader: Reader = match model {
        "Customer" => |v| payouts_answer(OperationKind::GetCustomer, v),
        "Application" => |v| payouts_answer(OperationKind::SubmitApplication, v),
        "Gig" => |v| payouts_answer(OperationKind::GetGig, v),
        "SpecialPayment" => |v| payouts_answer(OperationKind::GetSpecialPayment, v),
        _ => return None,
    };
    Some(reader)
}

/// The core's reading of an open-banking model, its `Deserialize`.
macro_rules! deserialize {
    ($model:ty) => {
        |v| {
            serde_json::from_value::<$model>(v)
                .map(drop)
                .map_err(|e| e.to_string())
        }
    };
}

/// How the core reads each open-banking result model that has text fields.
fn openbanking_reader(model: &str) -> Option<Reader> {
    let reader: Reader = match model {
        "Customer" => deserialize!(ob::Customer),
        "Entity" => deserialize!(ob::Entity),
        "DataResult" => deserialize!(ob::DataResult),
        "DataPage" => deserialize!(ob::DataPage),
        "PaymentIntent" => deserialize!(ob::PaymentIntent),
        "Destination" => deserialize!(ob::Destination),
        "Bank" => deserialize!(ob::Bank),
        "Payment" => deserialize!(ob::Payment),
        "ResultsReady" => deserialize!(ob::webhooks::ResultsReady),
        "PaymentIntentCreated" => deserialize!(ob::webhooks::PaymentIntentCreated),
        "PaymentSource" => deserialize!(ob::webhooks::PaymentSource),
        "TransactionAvailability" => deserialize!(ob::webhooks::TransactionAvailability),
        "AccountDataStatus" => deserialize!(ob::webhooks::AccountDataStatus),
        "DataRefreshStatus" => deserialize!(ob::webhooks::DataRefreshStatus),
        "DataRefresh" => deserialize!(ob::webhooks::DataRefresh),
        "BankAvailability" => deserialize!(ob::webhooks::BankAvailability),
        _ => return None,
    };
    Some(reader)
}

/// A value the core takes for a required field of type `ty` (any text
/// field, wire enums included, takes [`DECIMAL`]).
fn minimal(ty: &str) -> Value {
    match ty {
        "boolean" => json!(true),
        "number" => json!(1),
        _ if ty.ends_with("[]") => json!([]),
        _ => json!(DECIMAL),
    }
}

/// The text fields of `model` that are amounts: the core reads the field
/// holding [`DECIMAL`] and refuses it holding a word.
fn amounts(model: &str, fields: &[Field], reader: Option<Reader>) -> Vec<String> {
    let texts: Vec<&Field> = fields.iter().filter(|f| f.ty == "string").collect();
    if texts.is_empty() {
        return Vec::new();
    }
    let read = reader.unwrap_or_else(|| {
        panic!("{model} has text fields: add how the core reads it to the readers of bindings-wasm/boundary/tests/models.rs")
    });
    let required: Map<String, Value> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| (f.name.clone(), minimal(&f.ty)))
        .collect();
    let holding = |field: &Field, text: &str| {
        let mut object = required.clone();
        object.insert(field.name.clone(), json!(text));
        read(Value::Object(object))
    };
    texts
        .into_iter()
        .filter(|field| {
            if let Err(e) = holding(field, DECIMAL) {
                panic!("the core refuses {model}.{} = {DECIMAL:?}: {e}", field.name);
            }
            holding(field, "ten").is_err()
        })
        .map(|field| field.name.clone())
        .collect()
}

/// The text of `tests/vectors/models.json`.
fn document() -> String {
    let apis: [(&str, String, Readers); 2] = [
        (
            "openbanking",
            declarations::openbanking(),
            openbanking_reader,
        ),
        ("payouts", declarations::payouts(), payouts_reader),
    ];
    let mut out = Map::new();
    for (api, decls, reader) in apis {
        let mut models = result_models(&decls);
        models.sort_by(|a, b| a.0.cmp(&b.0));
        let mut listed = Map::new();
        for (model, fields) in models {
            let amounts = amounts(&model, &fields, reader(&model));
            let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
            listed.insert(model, json!({ "amounts": amounts, "fields": names }));
        }
        out.insert(api.to_owned(), Value::Object(listed));
    }
    let mut text = serde_json::to_string_pretty(&Value::Object(out)).expect("JSON of strings");
    text.push('\n');
    text
}

/// The kept file is what the core declares: a field added to a result
/// model regenerates it, so the hosts' checks never read a stale list.
#[test]
fn kept_models_are_current() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/models.json"
    );
    if std::env::var_os("LEAN_UPDATE_MODELS").is_some_and(|v| !v.is_empty()) {
        std::fs::write(path, document()).expect("writes tests/vectors/models.json");
    }
    let kept = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        kept == document(),
        "tests/vectors/models.json differs from the core's result models: regenerate it with \
         `LEAN_UPDATE_MODELS=1 cargo test -p lean-sdk-wasm-boundary --features declarations --test models` and commit it"
    );
}

/// The amounts are found, not assumed: the models known to carry money
/// show them, so a probe that stopped telling amounts apart fails here.
#[test]
fn the_known_amounts_are_found() {
    let document: Value = serde_json::from_str(&document()).expect("JSON");
    for (api, model, amount) in [
        ("payouts", "Gig", "totalAmount"),
        ("payouts", "SpecialPayment", "amount"),
        ("openbanking", "PaymentIntent", "amount"),
    ] {
        let amounts = &document[api][model]["amounts"];
        assert!(
            amounts
                .as_array()
                .is_some_and(|a| a.contains(&json!(amount))),
            "{api} {model}: {amounts}"
        );
        assert!(!amounts
            .as_array()
            .is_some_and(|a| a.contains(&json!("description"))));
    }
}
