//! Unit and property tests of the open-banking module. The behaviour shared
//! with the hosts is in `tests/vectors/openbanking/`; these cover what only
//! Rust can see (redaction of every secret type, exact amounts) and that no
//! input makes anything panic.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use proptest::prelude::*;
use serde_json::{json, Value};

use super::destination::iban;
use super::payment::amount_from_number;
use super::webhooks::{self, WebhookVerifier};
use super::*;
use crate::{Amount, HttpResponse, WebhookSecret};

#[test]
fn no_secret_is_ever_printed() {
    let credentials = ClientCredentials::new("app-1", "very_secret_client").unwrap();
    let app = AppToken::new("very_secret_app").unwrap();
    let body = br#"{"access_token":"very_secret_access","token_type":"Bearer","expires_in":3599}"#;
    let token = Token::parse(&HttpResponse::new(200, vec![], body.to_vec()), UNIX_EPOCH).unwrap();
    let request = credentials
        .token_request(&Environment::uae_production(), &TokenScope::Api)
        .unwrap();
    let verifier = WebhookVerifier::new(&[WebhookSecret::from("very_secret_hook")]).unwrap();
    let answer = HttpResponse::new(200, vec![], body.to_vec());
    let mut sent = Operation::list_payment_destinations()
        .request(&Environment::uae_sandbox(), &Auth::AppToken(app.clone()));
    sent.headers
        .push(("cookie".to_owned(), "very_secret_cookie".to_owned()));
    for text in [
        format!("{answer:?}"),
        format!("{sent:?}"),
        format!("{:?}", crate::RedactedHeaders(&sent.headers)),
        format!("{credentials:?}"),
        format!("{app:?} {app}"),
        format!("{token:?}"),
        format!("{:?} {}", token.access_token(), token.access_token()),
        format!("{:?}", token.auth()),
        format!("{:?}", Auth::AppToken(app.clone())),
        format!("{request:?}"),
        format!("{verifier:?}"),
    ] {
        assert!(!text.contains("very_secret"), "{text}");
    }
    // A token answer that cannot be read never copies the body (it may
    // hold a token) into the error.
    let bad = br#"{"access_token":"very_secret_access","token_type":"mac","expires_in":1}"#;
    let error =
        Token::parse(&HttpResponse::new(200, vec![], bad.to_vec()), UNIX_EPOCH).unwrap_err();
    assert!(!error.to_json().to_string().contains("very_secret"));
}

#[test]
fn ibans() {
    assert_eq!(
        iban("ae07 0331 2345 6789 0123 456").unwrap(),
        "AE070331234567890123456"
    );
    assert_eq!(
        iban("GB82WEST12345698765432").unwrap(),
        "GB82WEST12345698765432"
    );
    assert_eq!(
        iban("SA0380000000608010167519").unwrap(),
        "SA0380000000608010167519"
    );
    for bad in [
        "GB82WEST12345698765433",
        "AE07",
        "7E070331234567890123456",
        "AE0703312345678901234é",
    ] {
        assert!(iban(bad).is_err(), "{bad}");
    }
}

#[test]
fn renewal_never_before_half_life() {
    let body = br#"{"access_token":"t","token_type":"Bearer","expires_in":10}"#;
    let start = UNIX_EPOCH + Duration::from_secs(1_000);
    let token = Token::parse(&HttpResponse::new(200, vec![], body.to_vec()), start).unwrap();
    assert!(!token.needs_renewal(start + Duration::from_secs(4)));
    assert!(token.needs_renewal(start + Duration::from_secs(5)));
    assert!(token.needs_renewal(start + Duration::from_secs(11)));
}

#[test]
fn pending_then_results() {
    let env = Environment::uae_sandbox();
    let auth = Auth::AppToken(AppToken::new("t").unwrap());
    let data = DataRequest::new(DataKind::Balance, "e1", Some("a1"), true).unwrap();
    let op = Operation::get_data(data);
    assert_eq!(
        op.request(&env, &auth).url,
        "https://sandbox.leantech.me/data/v1/balance"
    );
    let pending = HttpResponse::new(
        200,
        vec![],
        json!({"status": "PENDING", "results_id": "r 1"}).to_string(),
    );
    let Outcome::Data(result) = op.parse_response(&pending).unwrap() else {
        panic!("not data");
    };
    assert!(result.is_pending());
    let results = Operation::get_data_results(result.results_id.as_deref().unwrap()).unwrap();
    assert_eq!(
        results.request(&env, &auth).url,
        "https://sandbox.leantech.me/data/v2/results/r%201"
    );
    assert!(results.is_read());
}

#[test]
fn already_exists_is_readable_as_a_code() {
    let response = HttpResponse::new(
        409,
        vec![("x-request-id".into(), "req-1".into())],
        json!({"status": "CUSTOMER_ALREADY_EXISTS", "message": "exists"}).to_string(),
    );
    let error = Operation::get_customer("c")
        .unwrap()
        .parse_response(&response)
        .unwrap_err();
    assert_eq!(
        errors::error_code(&error),
        Some(ErrorCode::CustomerAlreadyExists)
    );
    assert_eq!(
        ErrorCode::CustomerAlreadyExists.documented_status(),
        Some(409)
    );
    assert_eq!(error.to_json()["requestId"], "req-1");
}

#[test]
fn a_duplicate_customer_is_found_by_its_app_user_id() {
    let create = Operation::create_customer(&NewCustomer::new("user/42")).unwrap();
    let lookup = create.lookup().unwrap();
    assert_eq!(lookup.kind(), OperationKind::GetCustomerByAppUserId);
    let auth = Auth::AppToken(AppToken::new("t").unwrap());
    assert_eq!(
        lookup.request(&Environment::uae_sandbox(), &auth).url,
        "https://sandbox.leantech.me/customers/v1/app-user-id/user%2F42"
    );
    assert!(lookup.lookup().is_none());
    assert!(sample(OperationKind::CreatePaymentIntent)
        .lookup()
        .is_none());
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::from),
        prop_oneof![
            Just("app_user_id"),
            Just("amount"),
            Just("currency"),
            Just("status"),
            Just("PENDING"),
            Just("FAILED"),
            Just("results_id"),
            Just("type"),
            Just("payload"),
            Just("results.ready"),
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("app_user_id".to_owned()),
                    Just("customer_id".to_owned()),
                    Just("amount".to_owned()),
                    Just("currency".to_owned()),
                    Just("status".to_owned()),
                    Just("payload".to_owned()),
                    Just("type".to_owned()),
                    Just("id".to_owned()),
                    Just("results_id".to_owned()),
                    Just("entity_id".to_owned()),
                    Just("account_id".to_owned()),
                    Just("iban".to_owned()),
                    Just("content".to_owned()),
                    Just("data".to_owned()),
                    Just("payments".to_owned()),
                    ".{0,6}",
                ],
                inner,
                0..6,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn answers_never_panic(status in 100u16..600, body in json_value(), bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        for kind in OperationKind::ALL {
            let op = sample(kind);
            let _ = op.parse_response(&HttpResponse::new(status, vec![], body.to_string()));
            let _ = op.parse_response(&HttpResponse::new(status, vec![], bytes.clone()));
        }
        let _ = Token::parse(&HttpResponse::new(status, vec![], body.to_string()), SystemTime::UNIX_EPOCH);
        let _ = Token::parse(&HttpResponse::new(status, vec![], bytes.clone()), SystemTime::UNIX_EPOCH);
    }

    #[test]
    fn inputs_never_panic(input in json_value(), name in prop::sample::select(OperationKind::ALL.to_vec())) {
        let call = json!({"operation": name.name(), "input": input.clone(), "customerId": input.clone(),
            "pageNumber": input.clone(), "pageSize": input});
        if let Ok(op) = Operation::from_json(&call) {
            let request = op.request(&Environment::ksa_sandbox(), &Auth::AppToken(AppToken::new("t").unwrap()));
            prop_assert!(request.url.starts_with("https://sandbox.sa.leantech.me/"));
            if let Some(body) = request.body {
                prop_assert!(serde_json::from_str::<Value>(&body).is_ok());
            }
        }
    }

    #[test]
    fn webhooks_never_panic(body in prop::collection::vec(any::<u8>(), 0..256), header in ".{0,140}", envelope in json_value()) {
        let verifier = WebhookVerifier::new(&[WebhookSecret::from("s")]).unwrap();
        let _ = verifier.construct_event(&body, Some(&header));
        let _ = verifier.construct_event(&body, Some(&format!("sha512={header}")));
        let _ = webhooks::parse_event(&body);
        let _ = webhooks::parse_event(envelope.to_string().as_bytes());
    }

    #[test]
    fn signatures_round_trip(body in prop::collection::vec(any::<u8>(), 0..512), secret in "[ -~]{1,40}") {
        let secret = WebhookSecret::from(secret.as_str());
        let verifier = WebhookVerifier::new(std::slice::from_ref(&secret)).unwrap();
        let signature = webhooks::sign(&secret, &body);
        prop_assert!(verifier.verify(&body, Some(&signature)).is_ok());
        let mut other = body.clone();
        other.push(0);
        prop_assert!(verifier.verify(&other, Some(&signature)).is_err());
    }

    /// Every amount in range survives a fractional JSON number exactly:
    /// the justification for reading `100.5` in answers.
    #[test]
    fn fractional_json_amounts_are_exact(cents in -99_999_999_999_999i64..=99_999_999_999_999i64) {
        let text = format!("{}{}.{:02}", if cents < 0 { "-" } else { "" }, cents.abs() / 100, cents.abs() % 100);
        let number: serde_json::Number = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(amount_from_number(&number).unwrap(), Amount::parse(&text).unwrap());
    }

    #[test]
    fn path_segments_stay_one_segment(id in "[^\u{0}-\u{1f}]{1,40}") {
        prop_assume!(id.trim() == id && !id.trim().is_empty() && !id.chars().any(char::is_control));
        prop_assume!(id != "." && id != "..");
        let op = Operation::get_payment_intent(&id).unwrap();
        let url = op.request(&Environment::uae_sandbox(), &Auth::AppToken(AppToken::new("t").unwrap())).url;
        let rest = url.strip_prefix("https://sandbox.leantech.me/payments/v1/intents/").unwrap();
        prop_assert!(!rest.contains('/') && !rest.contains('?') && !rest.contains('#'));
        let decoded = percent_encoding::percent_decode_str(rest).decode_utf8().unwrap();
        prop_assert_eq!(decoded, id.as_str());
    }
}

fn sample(kind: OperationKind) -> Operation {
    Operation::from_json(&json!({
        "operation": kind.name(),
        "input": match kind {
            OperationKind::GetBalance | OperationKind::GetTransactions => json!({"entity_id": "e", "account_id": "a"}),
            OperationKind::CreateCustomer => json!({"app_user_id": "u"}),
            OperationKind::CreatePaymentIntent => json!({"customer_id": "c", "amount": "1", "currency": "AED"}),
            OperationKind::CreatePaymentDestination => json!({"display_name": "A", "name": "A", "bank_identifier": "B", "iban": "AE070331234567890123456"}),
            _ => json!({"entity_id": "e"}),
        },
        "customerId": "c", "appUserId": "u", "entityId": "e", "resultsId": "r", "paymentIntentId": "p",
        "paymentId": "p", "accountId": "a", "refreshId": "r", "startDate": "2026-01-01",
        "endDate": "2026-01-31",
    }))
    .unwrap_or_else(|e| panic!("{}: {e:?}", kind.name()))
}

#[test]
fn a_call_names_its_host_and_hides_its_credentials() {
    let config = Config::new(Environment::uae_sandbox()).with_host("node/20.1 (x)");
    let auth = Auth::AppToken(AppToken::new("secret-app-token-1").unwrap());
    let mut call = Call::new(
        &config,
        &auth,
        sample(OperationKind::CreateCustomer),
        [1; 32],
    );
    assert!(!format!("{call:?}").contains("secret-app-token-1"));
    let crate::Step::Send(request) = call.poll() else {
        panic!("a call starts by sending")
    };
    assert_eq!(
        request.header("user-agent"),
        Some(
            format!(
                "lean-sdk/{} (node/20.1 x; open-banking)",
                crate::SDK_VERSION
            )
            .as_str()
        )
    );
    assert_eq!(request.header("lean-app-token"), Some("secret-app-token-1"));
    assert!(!format!("{request:?}").contains("secret-app-token-1"));
}

#[test]
fn a_customer_lookup_carries_the_calls_credentials() {
    let config = Config::new(Environment::uae_sandbox());
    let auth = Auth::Bearer(AccessToken::new("bearer-xyz").unwrap());
    let mut call = Call::new(
        &config,
        &auth,
        sample(OperationKind::CreateCustomer),
        [1; 32],
    );
    let crate::Step::Send(_) = call.poll() else {
        panic!("a call starts by sending")
    };
    call.on_response(HttpResponse::new(
        409,
        vec![],
        r#"{"status":"CUSTOMER_ALREADY_EXISTS","message":"exists"}"#,
    ));
    let crate::Step::Send(lookup) = call.poll() else {
        panic!("a 409 is looked up")
    };
    assert_eq!(
        lookup.url,
        "https://sandbox.leantech.me/customers/v1/app-user-id/u"
    );
    assert_eq!(lookup.header("authorization"), Some("Bearer bearer-xyz"));
}

#[test]
fn bank_data_numbers_keep_their_exact_text() {
    let body = br#"{"status":"OK","payload":{"balance":12450.75,"n":7,"big":12345678901234567,"e":1.5e3,"neg":-0.10,"s":"1.5 \"2.5\"","list":[0.1,2]}}"#;
    let exact: Value = serde_json::from_slice(&data::exact_numbers(body)).unwrap();
    assert_eq!(
        exact["payload"],
        json!({"balance": "12450.75", "n": 7, "big": "12345678901234567", "e": "1.5e3",
               "neg": "-0.10", "s": "1.5 \"2.5\"", "list": ["0.1", 2]})
    );
    let plain = br#"{"status":"PENDING","results_id":"r-1","timestamp":1700000000}"#;
    assert!(matches!(
        data::exact_numbers(plain),
        std::borrow::Cow::Borrowed(_)
    ));
}

/// The same JSON, with numbers a float could alter written as their text.
fn with_exact_numbers(value: &Value) -> Value {
    match value {
        Value::Number(n)
            if n.is_f64() || n.to_string().bytes().filter(u8::is_ascii_digit).count() > 15 =>
        {
            Value::String(n.to_string())
        }
        Value::Array(items) => Value::Array(items.iter().map(with_exact_numbers).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), with_exact_numbers(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

proptest! {
    #[test]
    fn exact_numbers_only_quotes_numbers(value in json_value()) {
        let text = serde_json::to_vec(&value).unwrap();
        let exact: Value = serde_json::from_slice(&data::exact_numbers(&text)).unwrap();
        prop_assert_eq!(exact, with_exact_numbers(&value));
    }
}
