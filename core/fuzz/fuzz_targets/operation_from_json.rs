//! Any JSON as an operation call: a valid operation or a validation error,
//! never a panic; whatever validates builds a request, and the normalised
//! input validates again to itself.
#![no_main]

use lean_core::{Call, Config, Environment, Operation, OperationKind, Step};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let Some((&which, json_bytes)) = data.split_first() else {
        return;
    };
    let Ok(value) = serde_json::from_slice::<Value>(json_bytes) else {
        return;
    };
    let kinds = OperationKind::ALL;
    let operation = kinds[which as usize % kinds.len()].name();
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
                let Ok(request) = op.request(&config) else {
                    continue; // refused by the configuration, not the input
                };
                if let Some(body) = &request.body {
                    // The body is the normalised input: validating it again
                    // must give the same body.
                    let mut again = call.clone();
                    again["input"] =
                        serde_json::from_str(body).expect("the core writes valid JSON");
                    if let Ok(op) = Operation::from_json(&again) {
                        assert_eq!(
                            op.request(&config).ok().and_then(|r| r.body).as_ref(),
                            Some(body)
                        );
                    } else if op_has_input(op.kind()) {
                        panic!("the normalised input {body} was refused");
                    }
                }
                let mut call =
                    Call::new(&config, op, [1; 32]).expect("a valid operation starts a call");
                assert!(
                    matches!(call.poll(), Step::Send(_)),
                    "a valid operation sends a request"
                );
            }
            Err(error) => {
                let _ = error.to_json();
            }
        }
    }
});

fn op_has_input(kind: OperationKind) -> bool {
    matches!(
        kind,
        OperationKind::CreateCustomer
            | OperationKind::UpdateCustomer
            | OperationKind::CreateGig
            | OperationKind::CreateSpecialPayment
    )
}
