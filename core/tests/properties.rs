//! Properties of the public API over generated input: nothing panics on
//! any input, and validation is a normalisation (validating its own output
//! gives that output back unchanged).

use lean_core::webhooks::{self, WebhookVerifier};
use lean_core::{
    parse_response, validate, HttpResponse, NewCustomer, NewGig, NewSpecialPayment, Operation,
    OperationKind, WebhookSecret,
};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Any JSON value, nested a few levels, with keys often drawn from the API's
/// own field names so that generated objects reach the field rules.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,40}".prop_map(Value::from),
        plausible_text().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((field_name(), inner), 0..10)
                .prop_map(|fields| Value::Object(fields.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn field_name() -> impl Strategy<Value = String> {
    let known: Vec<&'static str> = NewCustomer::FIELDS
        .iter()
        .chain(NewGig::FIELDS)
        .chain(NewSpecialPayment::FIELDS)
        .chain(&["operation", "input", "gigId", "id", "idempotencyKey"])
        .copied()
        .collect();
    prop_oneof![
        4 => prop::sample::select(known).prop_map(str::to_owned),
        1 => "[a-zA-Z_]{0,12}",
    ]
}

/// Text close to what the rules accept: amounts, dates, times, phones,
/// states, names, with the odd stray character.
fn plausible_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "-?[0-9]{1,14}(\\.[0-9]{0,4})?",
        "(19|20|00|99)[0-9]{2}-[0-1][0-9]-[0-3][0-9]",
        "(19|20|00|99)[0-9]{2}-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9](\\.[0-9]{1,10})?(Z|[+-][0-2][0-9]:[0-5][0-9])?",
        "\\+?1?[ (.-]{0,2}[0-9]{3}[ ).-]{0,2}[0-9]{3}[ .-]?[0-9]{4}",
        "[a-zA-Z]{2}",
        "[0-9]{5}(-?[0-9]{4})?",
        "[ a-zA-Z'.,-]{0,45}",
        "[a-z.+]{1,20}@[a-z-]{1,10}\\.[a-z]{2,4}",
        "(?i)(bonus|reimbursement|cancellation|wait[ _]time|correction|flagged|other)",
        "[ -~]{0,20}[\u{80}-\u{10FFFF}]?",
    ]
}

/// Every operation's name, and one that names none.
fn operation_names() -> Vec<&'static str> {
    OperationKind::ALL
        .iter()
        .map(|kind| kind.name())
        .chain(["deleteEverything"])
        .collect()
}

/// A customer whose fields are each plausible, so that a good share of them
/// validate and the normalisation property is exercised, not just refusal.
fn customer_json() -> impl Strategy<Value = Value> {
    (
        "[ A-Za-z'.,-]{1,42}",
        "[ A-Za-z'.,-]{1,42}",
        "(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])",
        "(\\+1 |1-| )?(\\([2-9][0-9]{2}\\) |[2-9][0-9]{2}[-. ]?)[2-9][0-9]{2}[-. ]?[0-9]{4} ?",
        " ?[a-z0-9.+]{1,20}@[a-z]{1,10}\\.[a-z]{2,3} ?",
        "[ -~]{1,37}",
        prop::option::of("[ -~]{0,37}"),
        "[ A-Za-z]{1,22}",
        prop::sample::select(validate::US_STATE_CODES.to_vec()),
        any::<bool>(),
        "[0-9]{5}(-?[0-9]{4})?",
        "[!-~]{1,20}",
    )
        .prop_map(
            |(first, last, birthday, phone, email, street, street2, city, state, lower, zip, id)| {
                json!({
                    "firstName": first, "lastName": last, "birthday": birthday, "phoneNumber": phone,
                    "email": email, "street": street, "street2": street2, "city": city,
                    "state": if lower { state.to_ascii_lowercase() } else { state.to_owned() },
                    "postalCode": zip, "partnerUserId": id, "registrationDate": "2020-01-01",
                })
            },
        )
}

fn amount() -> impl Strategy<Value = String> {
    "(0|[1-9][0-9]{0,5})(\\.[0-9]{1,2}0{0,2})?"
}

fn time() -> impl Strategy<Value = String> {
    "20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-](0[0-9]|1[0-4]):(00|30|45))?"
}

fn gig_json() -> impl Strategy<Value = Value> {
    (
        amount(),
        amount(),
        amount(),
        "[ -~]{1,30}",
        "[!-~]{1,20}",
        time(),
        time(),
    )
        .prop_map(|(total, tips, expenses, description, gig_id, start, end)| {
            json!({
                "partnerUserId": "uid_1", "totalAmount": total, "tips": tips, "expenses": expenses,
                "description": description, "gigId": gig_id, "startTime": start, "endTime": end,
            })
        })
}

fn payment_json() -> impl Strategy<Value = Value> {
    (
        "-?(0|[1-9][0-9]{0,5})(\\.[0-9]{1,3})?",
        "(?i)(bonus|reimbursement|cancellation|wait[ _]time|correction|flagged|other|tip)",
        prop::option::of("[!-~]{1,20}"),
        prop::option::of("[ -~]{0,30}"),
        prop::option::of(any_json()),
    )
        .prop_map(|(amount, kind, gig_id, description, userdata)| {
            json!({
                "partnerUserId": "uid_1", "amount": amount, "type": kind, "gigId": gig_id,
                "description": description, "userdata": userdata,
            })
        })
}

/// An object whose members are all text, often the gig's own fields, with
/// quotes, escapes and control characters now and then.
fn text_object() -> impl Strategy<Value = Value> {
    prop::collection::vec(
        (
            prop_oneof![
                3 => prop::sample::select(NewGig::FIELDS.to_vec()).prop_map(str::to_owned),
                1 => field_name(),
            ],
            prop_oneof![plausible_text(), "[ -~\"\\\\\t\n\u{1}é]{0,12}"],
        ),
        0..12,
    )
    .prop_map(|members| {
        Value::Object(
            members
                .into_iter()
                .map(|(k, v)| (k, Value::from(v)))
                .collect(),
        )
    })
}

/// Validating `input` as `operation`, then validating what it became, gives
/// the same request: the rules are a normalisation.
fn assert_normalises(operation: &str, input: Value) -> Result<(), TestCaseError> {
    let call = json!({ "operation": operation, "input": input });
    let Ok(first) = Operation::from_json(&call) else {
        return Ok(());
    };
    let config = lean_core::Config::new("k", lean_core::Environment::Sandbox).unwrap();
    let sent = first.request(&config).unwrap();
    let body: Value = serde_json::from_str(sent.body.as_deref().unwrap()).unwrap();
    let again = Operation::from_json(&json!({ "operation": operation, "input": body.clone() }));
    prop_assert!(
        again.is_ok(),
        "{operation}: its own output {body} was refused: {again:?}"
    );
    let resent = again.unwrap().request(&config).unwrap();
    prop_assert_eq!(resent.body, sent.body);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn operations_from_any_json_never_panic(
        op in prop::sample::select(operation_names()),
        input in prop_oneof![gig_json(), text_object(), any_json()],
        extra in any_json(),
    ) {
        let mut call = match extra {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        call.insert("operation".into(), op.into());
        call.insert("input".into(), input);
        if let Err(error) = Operation::from_json(&Value::Object(call)) {
            let shown = error.to_json();
            prop_assert!(shown["code"].is_string());
            for field_error in error.field_errors() {
                prop_assert!(!field_error.message.is_empty());
            }
        }
    }

    #[test]
    fn any_json_as_a_whole_call_never_panics(call in any_json()) {
        let _ = Operation::from_json(&call);
    }

    #[test]
    fn customers_normalise(input in customer_json()) {
        assert_normalises("createCustomer", input)?;
    }

    #[test]
    fn customer_updates_normalise(input in customer_json(), keep in prop::collection::vec(any::<bool>(), 12)) {
        let Value::Object(fields) = input else { unreachable!() };
        let partial: Map<String, Value> = fields
            .into_iter()
            .filter(|(k, _)| k != "partnerUserId")
            .zip(keep)
            .filter_map(|(field, keep)| keep.then_some(field))
            .collect();
        let call = json!({ "operation": "updateCustomer", "partnerUserId": "uid_1", "input": partial });
        if let Ok(first) = Operation::from_json(&call) {
            let config = lean_core::Config::new("k", lean_core::Environment::Sandbox).unwrap();
            let sent = first.request(&config).unwrap();
            let body: Value = serde_json::from_str(sent.body.as_deref().unwrap()).unwrap();
            let again = Operation::from_json(&json!({ "operation": "updateCustomer", "partnerUserId": "uid_1", "input": body }));
            prop_assert_eq!(again.unwrap().request(&config).unwrap().body, sent.body);
        }
    }

    #[test]
    fn gigs_normalise(input in gig_json()) {
        assert_normalises("createGig", input)?;
    }

    #[test]
    fn special_payments_normalise(input in payment_json()) {
        assert_normalises("createSpecialPayment", input)?;
    }

    /// Each field rule on its own: whatever it accepts, it accepts again
    /// unchanged.
    #[test]
    fn field_rules_are_idempotent(text in prop_oneof![plausible_text(), ".{0,60}"]) {
        type Rule = fn(&str) -> validate::Rule<String>;
        let rules: [(&str, Rule); 10] = [
            ("person_name", validate::person_name),
            ("street", validate::street),
            ("city", validate::city),
            ("description", validate::description),
            ("identifier", validate::identifier),
            ("email", validate::email),
            ("phone_number", validate::phone_number),
            ("us_state", validate::us_state),
            ("postal_code", validate::postal_code),
            ("calendar_date", validate::calendar_date),
        ];
        for (name, rule) in rules {
            if let Ok(once) = rule(&text) {
                prop_assert_eq!(rule(&once), Ok(once.clone()), "{} of {:?}", name, text);
            }
        }
        if let Ok(once) = validate::timestamp(&text) {
            let twice = validate::timestamp(once.as_str());
            prop_assert_eq!(twice.as_ref().map(|t| t.as_str()), Ok(once.as_str()));
            prop_assert_eq!(twice.unwrap().unix_nanos(), once.unix_nanos());
        }
        if let Ok(once) = lean_core::Amount::parse(&text) {
            prop_assert_eq!(lean_core::Amount::parse(&once.to_string()), Ok(once));
        }
    }

    #[test]
    fn responses_never_panic(
        status in prop_oneof![100u16..600, any::<u16>()],
        body in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..256),
            any_json().prop_map(|v| v.to_string().into_bytes()),
        ],
        retry_after in prop::option::of(prop_oneof![".{0,30}", "[0-9]{1,25}(\\.[0-9]{1,5})?", Just("Wed, 21 Oct 2015 07:28:30 GMT".to_owned())]),
        date in prop::option::of(prop_oneof![".{0,30}", Just("Wed, 21 Oct 2015 07:28:00 GMT".to_owned())]),
    ) {
        let mut headers = vec![("X-Request-Id".to_owned(), "req".to_owned())];
        headers.extend(retry_after.map(|v| ("Retry-After".to_owned(), v)));
        headers.extend(date.map(|v| ("Date".to_owned(), v)));
        let response = HttpResponse::new(status, headers, body);
        for kind in OperationKind::ALL {
            match parse_response(kind, &response) {
                Ok(outcome) => { let _ = outcome.to_json(); }
                Err(error) => {
                    let shown = error.to_json();
                    prop_assert!(shown["code"].is_string());
                    if !(200..300).contains(&status) {
                        prop_assert_eq!(&shown["status"], &json!(status));
                    }
                }
            }
        }
    }

    #[test]
    fn webhook_verify_never_panics(
        body in prop::collection::vec(any::<u8>(), 0..512),
        header in prop::option::of(prop_oneof![".{0,64}", "[A-Za-z0-9+/=]{0,40}"]),
        secret in prop::collection::vec(any::<u8>(), 1..40),
    ) {
        let secrets = [WebhookSecret::new(secret)];
        let verifier = WebhookVerifier::new(&secrets).unwrap();
        let _ = verifier.verify(&body, header.as_deref());
        let _ = verifier.construct_event(&body, header.as_deref());
        let _ = webhooks::parse_event(&body);
        let good = webhooks::sign(&secrets[0], &body);
        prop_assert!(verifier.verify(&body, Some(&good)).is_ok());
        prop_assert!(verifier.verify(&body, Some(good.trim_end_matches('='))).is_ok());
        let mut other = body.clone();
        other.push(b'x');
        prop_assert_eq!(verifier.verify(&other, Some(&good)).unwrap_err().code(), "signature_mismatch");
    }

    #[test]
    fn webhook_events_never_panic(event in prop_oneof![".{0,20}", "(customer|gig|specialpayment|payout)\\.[a-z]{1,10}"], data in any_json()) {
        let body = json!({ "event": event, "data": data }).to_string();
        let secrets = [WebhookSecret::from("whsec")];
        let signature = webhooks::sign(&secrets[0], body.as_bytes());
        match WebhookVerifier::new(&secrets).unwrap().construct_event(body.as_bytes(), Some(&signature)) {
            Ok(event) => { let _ = event.to_json(); }
            Err(error) => prop_assert_eq!(error.code(), "invalid_payload"),
        }
    }
}

/// `userdata` is the partner's own data: a number in it reaches the API
/// exactly as written (serde_json's default float parser can be one unit in
/// the last place off; the core enables its exact one).
#[test]
fn userdata_numbers_survive_exactly() {
    let text = r#"{"operation": "createSpecialPayment", "input": {"partnerUserId": "u", "amount": "1.00", "type": "bonus",
        "userdata": {"x": 1.8694599511863176e-90, "y": 0.1, "z": 2.2250738585072014e-308}}}"#;
    let call: Value = serde_json::from_str(text).unwrap();
    let config = lean_core::Config::new("k", lean_core::Environment::Sandbox).unwrap();
    let body = Operation::from_json(&call)
        .unwrap()
        .request(&config)
        .unwrap()
        .body
        .unwrap();
    assert!(body.contains("1.8694599511863176e-90"), "{body}");
    assert!(body.contains("\"y\":0.1"), "{body}");
    assert!(body.contains("2.2250738585072014e-308"), "{body}");
}
