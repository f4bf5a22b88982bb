//! Any JSON as an operation call: a valid operation or a validation error,
//! never a panic; whatever validates builds a request, and the normalised
//! input validates again to itself.
#![no_main]

use lean_core::{Call, Config, Environment, Operation, Step};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

const OPERATIONS: [&str; 10] = [
    "createCustomer",
    "getCustomer",
    "updateCustomer",
    "submitApplication",
    "createGig",
    "getGig",
    "listGigs",
    "createSpecialPayment",
    "getSpecialPayment",
    "listSpecialPayments",
];

fuzz_target!(|data: &[u8]| {
    let Some((&which, json_bytes)) = data.split_first() else {
        return;
    };
    let Ok(value) = serde_json::from_slice::<Value>(json_bytes) else {
        return;
    };
    let operation = OPERATIONS[which as usize % OPERATIONS.len()];
    // The fuzzed value is tried both as the input and as the whole call.
    let mut calls = vec![value.clone()];
    if let Value::Object(map) = &value {
        let mut call = map.clone();
        call.insert("operation".to_owned(), json!(operation));
        calls.push(Value::Object(call));
    }
    calls.push(json!({ "operation": operation, "input": value, "partnerUserId": "u", "gigId": "g", "id": "i" }));
    let config = Config::new("k", Environment::Sandbox).expect("a valid config");
    for call in calls {
        match Operation::from_json(&call) {
            Ok(op) => {
                if let Ok(mut call) = Call::new(&config, op, [1; 32]) {
                    assert!(
                        matches!(call.poll(), Step::Send(_)),
                        "a valid operation sends a request"
                    );
                }
            }
            Err(error) => {
                let _ = error.to_json();
            }
        }
    }
});
