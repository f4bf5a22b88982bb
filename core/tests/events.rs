//! No event carries a secret or personal data: calls of both APIs and the
//! token policy run with known secrets, personal data in the request and
//! response bodies, and every event's JSON and line is scanned for them.

use std::time::{Duration, SystemTime};

use lean_core::engine::Event;
use lean_core::openbanking::{
    self, AfterUnauthorized, Auth, ClientCredentials, Environment as ObEnvironment, TokenPolicy,
    TokenScope, TokenStep, TokenTicket,
};
use lean_core::{Call, Config, Drive, Environment, HttpResponse, Operation, Step, TransportError};
use serde_json::json;

const API_KEY: &str = "sk_live_kn0wn-s3cret-key";
const CLIENT_SECRET: &str = "cl13nt-s3cret-v4lue";
const TOKEN: &str = "t0k3n-n0t-for-l0gs";
/// Personal data sent in bodies, and a body's own text.
const PERSONAL: [&str; 5] = [
    "Janet",
    "janet.private@example.com",
    "4085550123",
    "700 Treehouse Drive",
    "echoed-body-text",
];

fn scan(events: &[Event], secrets: &[&str]) {
    assert!(!events.is_empty());
    for event in events {
        let shown = format!("{} {} {event:?}", event.to_json(), event);
        for secret in secrets {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }
}

/// Drives `call`, answering each request with the next of `answers`,
/// draining events after every step.
fn run<D: Drive>(call: &mut D, answers: Vec<Result<HttpResponse, TransportError>>) -> Vec<Event> {
    call.record_events(true);
    let mut answers = answers.into_iter();
    let mut events = Vec::new();
    loop {
        let step = call.poll();
        events.extend(call.take_events());
        match step {
            Step::Send(_) => match answers.next().expect("an answer for every request") {
                Ok(response) => call.on_response_timed(response, Duration::from_millis(3)),
                Err(error) => call.on_transport_error_timed(error, Duration::from_millis(3)),
            },
            Step::Wait(_) => {}
            Step::Done(_) => {
                events.extend(call.take_events());
                return events;
            }
        }
    }
}

fn echoing(status: u16) -> HttpResponse {
    let body = json!({"message": "echoed-body-text", "email": "janet.private@example.com"});
    HttpResponse::new(
        status,
        vec![("x-request-id".into(), "req-visible".into())],
        body.to_string(),
    )
}

#[test]
fn payouts_events_hold_no_key_and_no_personal_data() {
    let config = Config::new(API_KEY, Environment::Sandbox).unwrap();
    let customer = json!({"operation": "createCustomer", "input": {
        "firstName": "Janet", "lastName": "Doe", "birthday": "1980-12-31",
        "phoneNumber": "4085550123", "email": "janet.private@example.com",
        "street": "700 Treehouse Drive", "city": "San Jose", "state": "CA",
        "postalCode": "95101", "partnerUserId": "uid_1", "registrationDate": "2020-01-01"}});
    let mut call = Call::new(&config, Operation::from_json(&customer).unwrap(), [5; 32]).unwrap();
    let events = run(
        &mut call,
        vec![
            Err(TransportError::timeout("timed out")),
            Ok(echoing(503)),
            Ok(echoing(404)),
            Ok(echoing(503)),
            Ok(echoing(400)),
            Ok(echoing(200)),
        ],
    );
    let basic = "c2tfbGl2ZV9rbjB3bi1zM2NyZXQta2V5Og=="; // base64(API_KEY + ":")
    let mut secrets = vec![API_KEY, basic];
    secrets.extend(PERSONAL);
    scan(&events, &secrets);
    let names: Vec<&str> = events.iter().map(Event::name).collect();
    assert!(names.contains(&"lookup_started"), "{names:?}");
    assert!(
        events.iter().any(|e| e.to_string().contains("req-visible")),
        "request ids are shown: {names:?}"
    );
}

#[test]
fn token_policy_and_open_banking_events_hold_no_secret_or_token() {
    let credentials = ClientCredentials::new("app-1", CLIENT_SECRET).unwrap();
    let environment = ObEnvironment::parse("ksa-sandbox").unwrap();
    let mut policy = TokenPolicy::new(credentials, environment.clone(), TokenScope::Api).unwrap();
    policy.record_events(true);
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
    let token_answer = HttpResponse::new(
        200,
        vec![],
        json!({"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600}).to_string(),
    );
    let mut events = Vec::new();
    let mut auth = None;
    for _ in 0..2 {
        let mut ticket = TokenTicket::new();
        let Ok(TokenStep::Fetch(_, _)) = policy.poll(&mut ticket, now) else {
            panic!("a fetch");
        };
        policy
            .on_token_response(&mut ticket, &token_answer, now)
            .unwrap();
        let Ok(TokenStep::Use(used)) = policy.poll(&mut ticket, now) else {
            panic!("a token");
        };
        let config = openbanking::Config::new(environment.clone());
        let operation = openbanking::Operation::from_json(
            &json!({"operation": "createCustomer", "input": {"app_user_id": "user-42"}}),
        )
        .unwrap();
        let mut call = openbanking::Call::new(&config, &used, operation, [5; 32]);
        events.extend(run(&mut call, vec![Ok(echoing(401))]));
        assert_eq!(
            policy.on_unauthorized(&mut ticket),
            AfterUnauthorized::RenewAndRetry
        );
        auth = Some(used);
        events.extend(policy.take_events());
    }
    assert!(matches!(auth, Some(Auth::Bearer(_))));
    let mut ticket = TokenTicket::new();
    let failing = policy.poll(&mut ticket, now);
    assert!(matches!(failing, Ok(TokenStep::Fetch(..))), "{failing:?}");
    policy.on_token_transport_error(&mut ticket, TransportError::timeout(CLIENT_SECRET));
    events.extend(policy.take_events());
    let names: Vec<&str> = events.iter().map(Event::name).collect();
    for name in [
        "token_fetch_started",
        "token_fetched",
        "token_rejected",
        "token_fetch_failed",
    ] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    let mut secrets = vec![CLIENT_SECRET, TOKEN];
    secrets.extend(PERSONAL);
    scan(&events, &secrets);
}

#[test]
fn events_are_off_until_asked_for_but_attempts_are_always_kept() {
    let config = Config::new(API_KEY, Environment::Sandbox).unwrap();
    let mut call = Call::new(&config, Operation::get_gig("g1").unwrap(), [5; 32]).unwrap();
    let mut answers = vec![echoing(503), echoing(404)].into_iter();
    let result = loop {
        match call.poll() {
            Step::Send(_) => call.on_response(answers.next().unwrap()),
            Step::Wait(_) => {}
            Step::Done(result) => break result,
        }
    };
    assert!(call.take_events().is_empty());
    let error = result.unwrap_err();
    assert_eq!(error.attempts(), call.attempt_log());
    let statuses: Vec<Option<u16>> = error.attempts().iter().map(|a| a.status).collect();
    assert_eq!(statuses, [Some(503), Some(404)]);
    assert_eq!(error.to_json()["attempts"][1]["requestId"], "req-visible");
}
