//! The engine against scripted and randomly flaky transports.

use crate::config::RetryPolicy;
use crate::http::HttpResponse;
use crate::payouts::config::Config;
use crate::payouts::config::Environment;
use crate::payouts::models::{NewGig, NewSpecialPayment};
use crate::payouts::operation::Operation;
use crate::*;
use proptest::prelude::*;
use std::collections::HashMap;
use std::time::Duration;

fn config(max_retries: u32) -> Config {
    Config::new("test_key", Environment::Sandbox)
        .unwrap()
        .with_retry(RetryPolicy {
            max_retries,
            ..RetryPolicy::default()
        })
}

fn gig(id: &str) -> NewGig {
    NewGig {
        partner_user_id: "uid_1".into(),
        total_amount: "15.00".into(),
        tips: "3.00".into(),
        expenses: "2.00".into(),
        description: "Job".into(),
        gig_id: id.into(),
        start_time: "2021-03-01T21:04:04".into(),
        end_time: "2021-03-01T21:31:05".into(),
    }
}

fn payment() -> NewSpecialPayment {
    NewSpecialPayment {
        partner_user_id: "uid_1".into(),
        amount: "4.56".into(),
        payment_type: "bonus".into(),
        ..Default::default()
    }
}

/// A call creating gig `g1`, with `max_retries` and this seed's bytes.
fn gig_call(max_retries: u32, seed: u8) -> Call {
    Call::new(
        &config(max_retries),
        Operation::create_gig(&gig("g1")).unwrap(),
        [seed; 32],
    )
    .unwrap()
}

/// A call creating [`payment`], with `max_retries` and this seed's bytes.
fn payment_call(max_retries: u32, seed: u8) -> Call {
    Call::new(
        &config(max_retries),
        Operation::create_special_payment(&payment(), None).unwrap(),
        [seed; 32],
    )
    .unwrap()
}

fn json_response(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(
        status,
        vec![("content-type".into(), "application/json".into())],
        body,
    )
}

fn gig_body(id: &str, total: &str) -> String {
    format!(
        r#"{{"gigId":"{id}","partnerUserId":"uid_1","totalAmount":"{total}","tips":"3.00","expenses":"2.00","description":"Job","startTime":"2021-03-01T21:04:04.000Z","endTime":"2021-03-01T21:31:05.000Z","status":"PENDING"}}"#
    )
}

/// Drives `call` with `answer` as the transport; returns the result and the
/// requests sent.
fn drive(
    mut call: Call,
    mut answer: impl FnMut(&HttpRequest) -> Result<HttpResponse, TransportError>,
) -> (Result<Outcome, Error>, Vec<HttpRequest>) {
    let mut sent = Vec::new();
    for _ in 0..100 {
        match call.poll() {
            Step::Send(request) => {
                match answer(&request) {
                    Ok(response) => call.on_response(response),
                    Err(e) => call.on_transport_error(e),
                }
                sent.push(request);
            }
            Step::Wait(delay) => assert!(delay <= Duration::from_secs(60)),
            Step::Done(result) => return (result, sent),
        }
    }
    panic!("the call did not finish in 100 steps");
}

#[test]
fn success_on_first_attempt() {
    let call = gig_call(2, 1);
    let (result, sent) = drive(call, |_| Ok(json_response(200, &gig_body("g1", "15.00"))));
    assert!(matches!(result, Ok(Outcome::Gig(g)) if g.gig_id == "g1"));
    assert_eq!(sent.len(), 1);
}

#[test]
fn never_retries_client_errors() {
    for status in [401, 404, 422] {
        let call = Call::new(&config(5), Operation::get_gig("g1").unwrap(), [1; 32]).unwrap();
        let (result, sent) = drive(call, |_| Ok(json_response(status, r#"{"message":"no"}"#)));
        assert_eq!(sent.len(), 1, "status {status}");
        assert!(matches!(result, Err(Error::Api(e)) if e.status == status && e.message == "no"));
    }
}

#[test]
fn retries_503_then_gives_up_with_the_api_error() {
    let call = Call::new(&config(2), Operation::list_gigs(), [1; 32]).unwrap();
    let (result, sent) = drive(call, |_| Ok(json_response(503, "")));
    assert_eq!(sent.len(), 3);
    assert_eq!(result.unwrap_err().code(), "service_unavailable");
}

#[test]
fn honours_retry_after() {
    let mut call = Call::new(&config(2), Operation::list_gigs(), [1; 32]).unwrap();
    assert!(matches!(call.poll(), Step::Send(_)));
    call.on_response(HttpResponse::new(
        429,
        vec![("Retry-After".into(), "7".into())],
        "",
    ));
    assert_eq!(call.poll(), Step::Wait(Duration::from_secs(7)));
    assert!(matches!(call.poll(), Step::Send(_)));
    call.on_response(json_response(200, "[]"));
    assert_eq!(call.poll(), Step::Done(Ok(Outcome::Gigs(vec![]))));
    // Done is sticky.
    assert_eq!(call.poll(), Step::Done(Ok(Outcome::Gigs(vec![]))));
}

#[test]
fn a_retry_after_beyond_the_limit_ends_the_call() {
    let mut call = Call::new(&config(2), Operation::list_gigs(), [1; 32]).unwrap();
    call.poll();
    call.on_response(HttpResponse::new(
        429,
        vec![("retry-after".into(), "3600".into())],
        "",
    ));
    match call.poll() {
        Step::Done(Err(Error::Api(e))) => {
            assert_eq!(e.retry_after, Some(Duration::from_secs(3600)))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn special_payments_keep_one_idempotency_key() {
    let call = payment_call(3, 9);
    let key = call.idempotency_key().unwrap().to_owned();
    assert_eq!(key.len(), 36);
    assert_eq!(&key[14..15], "4", "a UUID v4: {key}");
    let mut n = 0;
    let (result, sent) = drive(call, |_| {
        n += 1;
        if n < 3 {
            Err(TransportError::timeout("timed out"))
        } else {
            Ok(json_response(
                200,
                r#"{"id":"sp_1","amount":"4.56","type":"bonus","status":"PENDING"}"#,
            ))
        }
    });
    assert!(result.is_ok());
    assert_eq!(sent.len(), 3);
    assert!(sent
        .iter()
        .all(|r| r.header("idempotency-key") == Some(key.as_str())));
}

#[test]
fn every_attempt_sends_the_same_request() {
    let operations = [
        Operation::create_gig(&gig("g1")).unwrap(),
        Operation::create_special_payment(&payment(), None).unwrap(),
        Operation::list_gigs(),
    ];
    for operation in operations {
        let call = Call::new(&config(2), operation, [3; 32]).unwrap();
        let (_, sent) = drive(call, |_| Ok(json_response(503, "")));
        // A gig is looked up after its first 503 instead of sent again.
        let attempts: Vec<_> = sent.iter().filter(|r| r.method == sent[0].method).collect();
        assert!(sent.len() >= 3);
        assert!(attempts.iter().all(|r| **r == sent[0]), "{sent:?}");
    }
}

#[test]
fn the_callers_key_is_used() {
    let op = Operation::create_special_payment(&payment(), Some("order-77-bonus")).unwrap();
    let call = Call::new(&config(0), op, [9; 32]).unwrap();
    assert_eq!(call.idempotency_key(), Some("order-77-bonus"));
}

#[test]
fn an_unknown_payment_outcome_says_how_to_finish_it() {
    let call = payment_call(1, 9);
    let key = call.idempotency_key().unwrap().to_owned();
    let (result, _) = drive(call, |_| Err(TransportError::other("connection reset")));
    match result {
        Err(Error::Transport {
            outcome_unknown: true,
            message,
            idempotency_key,
            ..
        }) => {
            assert!(message.contains(&key), "{message}");
            assert_eq!(idempotency_key.as_deref(), Some(key.as_str()));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn connect_failures_are_known_not_applied() {
    let call = gig_call(1, 9);
    let (result, sent) = drive(call, |_| Err(TransportError::connect("refused")));
    assert_eq!(sent.len(), 2, "no lookup: nothing can have been created");
    assert!(matches!(
        result,
        Err(Error::Transport {
            outcome_unknown: false,
            ..
        })
    ));
}

#[test]
fn a_gig_created_by_a_lost_attempt_is_found_not_paid_twice() {
    let call = gig_call(2, 2);
    let mut created = false;
    let (result, sent) = drive(call, |request| match (request.method, created) {
        (crate::Method::Post, false) => {
            created = true;
            Err(TransportError::other("connection dropped after the write"))
        }
        (crate::Method::Post, true) => {
            Ok(json_response(400, r#"{"message":"gigId already exists"}"#))
        }
        (crate::Method::Get, _) => Ok(json_response(200, &gig_body("g1", "15.00"))),
        _ => unreachable!(),
    });
    assert!(
        matches!(&result, Ok(Outcome::Gig(g)) if g.gig_id == "g1"),
        "{result:?}"
    );
    assert_eq!(
        sent.iter().map(|r| r.method).collect::<Vec<_>>(),
        [crate::Method::Post, crate::Method::Get],
        "looked up first, never sent again"
    );
    assert!(sent[1].url.ends_with("/gig/g1"));
}

#[test]
fn a_reused_gig_id_with_other_content_is_a_conflict() {
    let call = gig_call(2, 2);
    let (result, _) = drive(call, |request| match request.method {
        crate::Method::Post => Ok(json_response(400, r#"{"message":"gigId already exists"}"#)),
        _ => Ok(json_response(200, &gig_body("g1", "99.00"))),
    });
    match result {
        Err(Error::Conflict { message, .. }) => {
            assert!(message.contains("totalAmount"), "{message}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_plain_bad_request_stays_a_bad_request() {
    let call = gig_call(2, 2);
    let (result, sent) = drive(call, |request| match request.method {
        crate::Method::Post => Ok(json_response(
            400,
            r#"{"message":"customer is not active"}"#,
        )),
        _ => Ok(json_response(404, r#"{"message":"not found"}"#)),
    });
    assert_eq!(sent.len(), 2);
    assert!(matches!(result, Err(Error::Api(e)) if e.message == "customer is not active"));
}

#[test]
fn exhausted_retries_on_a_gig_end_with_a_definite_answer() {
    let call = gig_call(1, 2);
    let (result, _) = drive(call, |request| match request.method {
        crate::Method::Post => Err(TransportError::timeout("timed out")),
        _ => Ok(json_response(404, "")),
    });
    assert!(
        matches!(
            result,
            Err(Error::Transport {
                outcome_unknown: false,
                ..
            })
        ),
        "{result:?}"
    );
}

#[test]
fn misuse_is_an_internal_error_not_a_panic() {
    let mut call = Call::new(&config(0), Operation::list_gigs(), [0; 32]).unwrap();
    call.on_response(json_response(200, "[]"));
    assert!(matches!(
        call.poll(),
        Step::Done(Err(Error::Internal { .. }))
    ));
    let mut call = Call::new(&config(0), Operation::list_gigs(), [0; 32]).unwrap();
    call.poll();
    assert!(matches!(
        call.poll(),
        Step::Done(Err(Error::Internal { .. }))
    ));
}

#[test]
fn applications_are_refused_in_production() {
    let config = Config::new("k", Environment::Production).unwrap();
    let error = Call::new(
        &config,
        Operation::submit_application("uid").unwrap(),
        [0; 32],
    )
    .unwrap_err();
    assert_eq!(error.code(), "configuration");
}

/// A server that applies each create at most once per id and a transport
/// that fails at random, before or after the server applies the request.
#[derive(Default)]
struct FlakyServer {
    gigs: HashMap<String, String>,
    payments: HashMap<String, String>,
    applied: u32,
}

impl FlakyServer {
    fn handle(&mut self, request: &HttpRequest) -> HttpResponse {
        let body: Value = request
            .body
            .as_deref()
            .map(|b| serde_json::from_str(b).unwrap())
            .unwrap_or(Value::Null);
        match (request.method, request.url.rsplit('/').next().unwrap()) {
            (crate::Method::Post, "gig") => {
                let id = body["gigId"].as_str().unwrap().to_owned();
                if self.gigs.contains_key(&id) {
                    return json_response(400, r#"{"message":"gigId exists"}"#);
                }
                self.applied += 1;
                let text = gig_body(&id, body["totalAmount"].as_str().unwrap());
                self.gigs.insert(id, text.clone());
                json_response(200, &text)
            }
            (crate::Method::Post, "specialpayment") => {
                let key = request.header("idempotency-key").unwrap().to_owned();
                let text = self.payments.entry(key).or_insert_with(|| {
                    self.applied += 1;
                    r#"{"id":"sp","amount":"4.56","type":"bonus"}"#.to_owned()
                });
                json_response(200, text)
            }
            (crate::Method::Get, id) => match self.gigs.get(id) {
                Some(text) => json_response(200, text),
                None => json_response(404, ""),
            },
            _ => unreachable!(),
        }
    }
}

use serde_json::Value;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever the failures, each payout is applied at most once, and a
    /// success is reported only for a payout that was applied; with enough
    /// retries every payout succeeds.
    #[test]
    fn flaky_transports_never_duplicate_or_lose(faults in proptest::collection::vec(0u8..6, 0..12), seed: [u8; 32], is_gig: bool) {
        let mut server = FlakyServer::default();
        let op = if is_gig { Operation::create_gig(&gig("g-prop")).unwrap() } else { Operation::create_special_payment(&payment(), None).unwrap() };
        let call = Call::new(&config(12), op, seed).unwrap();
        let mut faults = faults.into_iter();
        let (result, sent) = drive(call, |request| match faults.next().unwrap_or(0) {
            1 => Err(TransportError::connect("refused")),
            2 => Err(TransportError::timeout("timed out before the server saw it")),
            3 => { server.handle(request); Err(TransportError::other("dropped after commit")) }
            4 => Ok(json_response(503, "")),
            5 => { server.handle(request); Ok(json_response(500, "")) }
            _ => Ok(server.handle(request)),
        });
        prop_assert!(server.applied <= 1);
        prop_assert!(sent.len() <= 2 * 13);
        prop_assert!(result.is_ok(), "{:?}", result);
        prop_assert_eq!(server.applied, 1);
    }

    /// With a small budget, a failed call says whether the payout may exist,
    /// and never claims "not created" for one that was.
    #[test]
    fn failures_tell_the_truth(faults in proptest::collection::vec(0u8..6, 0..8), seed: [u8; 32]) {
        let mut server = FlakyServer::default();
        let call = Call::new(&config(1), Operation::create_gig(&gig("g-truth")).unwrap(), seed).unwrap();
        let mut faults = faults.into_iter();
        let (result, _) = drive(call, |request| match faults.next().unwrap_or(0) {
            1 => Err(TransportError::connect("refused")),
            3 => { server.handle(request); Err(TransportError::other("dropped")) }
            4 => Ok(json_response(503, "")),
            5 => { server.handle(request); Ok(json_response(500, "")) }
            _ => Ok(server.handle(request)),
        });
        match result {
            Ok(_) => prop_assert_eq!(server.applied, 1),
            Err(Error::Transport { outcome_unknown: false, .. }) => prop_assert_eq!(server.applied, 0),
            Err(Error::Api(e)) if e.status >= 500 => prop_assert_eq!(server.applied, 0),
            Err(Error::Transport { outcome_unknown: true, .. }) => {}
            Err(other) => prop_assert!(false, "unexpected {:?}", other),
        }
    }
}

#[test]
fn transport_errors_from_their_host_names() {
    assert_eq!(
        TransportError::from_kind_name("connect", "refused").kind,
        TransportErrorKind::Connect
    );
    assert_eq!(
        TransportError::from_kind_name("timeout", "slow").kind,
        TransportErrorKind::Timeout
    );
    let unknown = TransportError::from_kind_name("reset?", "gone");
    assert_eq!(
        (unknown.kind, unknown.message.as_str()),
        (TransportErrorKind::Other, "gone")
    );
}

fn create_gig_call(max_retries: u32) -> Call {
    Call::new(
        &config(max_retries),
        Operation::create_gig(&gig("g1")).unwrap(),
        [4; 32],
    )
    .unwrap()
}

#[test]
fn an_application_whose_answer_was_lost_is_never_sent_again() {
    let call = Call::new(
        &config(3),
        Operation::submit_application("uid_1").unwrap(),
        [4; 32],
    )
    .unwrap();
    let (result, sent) = drive(call, |_| Err(TransportError::other("reset")));
    assert_eq!(sent.len(), 1);
    let error = result.unwrap_err();
    let json = error.to_json();
    assert_eq!(json["outcomeUnknown"], true, "{json}");
    assert_eq!(
        json["sentIds"],
        serde_json::json!({"partnerUserId": "uid_1"})
    );
    assert!(json.get("idempotencyKey").is_none(), "{json}");
    assert!(
        error.to_string().contains("partnerUserId \"uid_1\""),
        "{error}"
    );
}

#[test]
fn a_lookup_404_lets_the_gig_be_sent_again() {
    let mut posts = 0;
    let (result, sent) = drive(create_gig_call(2), |request| match request.method {
        crate::Method::Post => {
            posts += 1;
            if posts == 1 {
                Err(TransportError::other("dropped before the server read it"))
            } else {
                Ok(json_response(200, &gig_body("g1", "15.00")))
            }
        }
        _ => Ok(json_response(404, "")),
    });
    assert!(result.is_ok(), "{result:?}");
    let methods: Vec<_> = sent.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["POST", "GET", "POST"]);
}

#[test]
fn a_lookup_that_omits_a_sent_field_is_not_a_match() {
    let mut gig = gig("g1");
    gig.total_amount = "999.00".into();
    let call = Call::new(&config(2), Operation::create_gig(&gig).unwrap(), [4; 32]).unwrap();
    let (result, _) = drive(call, |request| match request.method {
        crate::Method::Post => Ok(json_response(400, r#"{"message":"bad"}"#)),
        _ => Ok(json_response(200, r#"{"gigId":"g1"}"#)),
    });
    match result {
        Err(Error::Transport {
            outcome_unknown: true,
            message,
            sent_ids,
            ..
        }) => {
            assert!(message.contains("totalAmount"), "{message}");
            assert_eq!(sent_ids, [("gigId".to_owned(), "g1".to_owned())]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn redirects_are_answers_never_followed() {
    for status in [301, 302, 303, 307, 308] {
        let (result, sent) = drive(create_gig_call(2), |_| {
            Ok(HttpResponse::new(
                status,
                vec![("Location".into(), "https://other.example/steal".into())],
                "",
            ))
        });
        assert_eq!(sent.len(), 1, "not retried, not looked up");
        let error = result.unwrap_err();
        assert_eq!(error.code(), "redirect");
        let message = error.to_string();
        assert!(
            message.contains("https://other.example/steal") && message.contains("never follows"),
            "{message}"
        );
        let json = error.to_json();
        assert_eq!(json["status"], status);
        assert_eq!(json["location"], "https://other.example/steal");
    }
}

#[test]
fn an_unreadable_2xx_of_a_payment_says_it_was_applied_and_its_key() {
    let call = Call::new(
        &config(2),
        Operation::create_special_payment(&payment(), Some("pay-9")).unwrap(),
        [4; 32],
    )
    .unwrap();
    let (result, sent) = drive(call, |_| {
        Ok(json_response(200, r#"{"id":"sp_1","amount":[]}"#))
    });
    assert_eq!(sent.len(), 1);
    let error = result.unwrap_err();
    let json = error.to_json();
    assert_eq!(json["code"], "invalid_response");
    assert_eq!(json["applied"], true);
    assert_eq!(json["idempotencyKey"], "pay-9");
    assert_eq!(json["body"], r#"{"id":"sp_1","amount":[]}"#);
    assert!(error.to_string().contains("pay-9"), "{error}");
}

#[test]
fn an_interrupted_create_reports_what_was_sent() {
    let mut call = create_gig_call(2);
    assert!(matches!(call.poll(), Step::Send(_)));
    let error = call.interrupt("cancelled by the caller");
    match &error {
        Error::Transport {
            outcome_unknown: true,
            sent_ids,
            message,
            ..
        } => {
            assert_eq!(sent_ids, &[("gigId".to_owned(), "g1".to_owned())]);
            assert!(message.contains("cancelled by the caller"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(call.poll(), Step::Done(Err(error)));
}

#[test]
fn an_interrupt_before_anything_was_sent_says_so() {
    let mut call = create_gig_call(2);
    let error = call.interrupt("cancelled");
    assert!(
        matches!(&error, Error::Transport { outcome_unknown: false, message, .. } if message.contains("nothing was sent")),
        "{error:?}"
    );
}

#[test]
fn an_interrupt_while_waiting_after_an_uncertain_attempt_is_unknown() {
    let mut call = Call::new(
        &config(2),
        Operation::create_special_payment(&payment(), Some("pay-7")).unwrap(),
        [4; 32],
    )
    .unwrap();
    assert!(matches!(call.poll(), Step::Send(_)));
    call.on_transport_error(TransportError::timeout("slow"));
    assert!(matches!(call.poll(), Step::Wait(_)));
    let error = call.interrupt("shutting down");
    let json = error.to_json();
    assert_eq!(json["outcomeUnknown"], true, "{json}");
    assert_eq!(json["idempotencyKey"], "pay-7");
}

#[test]
fn an_interrupt_after_a_definite_refusal_is_not_unknown() {
    let mut call = create_gig_call(2);
    assert!(matches!(call.poll(), Step::Send(_)));
    call.on_response(json_response(429, ""));
    assert!(matches!(call.poll(), Step::Wait(_)));
    let error = call.interrupt("cancelled");
    assert!(
        matches!(&error, Error::Transport { outcome_unknown: false, message, .. } if message.contains("no attempt was applied")),
        "{error:?}"
    );
}

#[test]
fn an_interrupted_read_applied_nothing() {
    let mut call = Call::new(&config(2), Operation::get_gig("g1").unwrap(), [4; 32]).unwrap();
    assert!(matches!(call.poll(), Step::Send(_)));
    let error = Drive::interrupt(&mut call, "the transport threw");
    assert!(matches!(
        error,
        Error::Transport {
            outcome_unknown: false,
            ..
        }
    ));
}

#[test]
fn an_interrupt_after_success_keeps_the_result() {
    let mut call = Call::new(&config(0), Operation::list_gigs(), [4; 32]).unwrap();
    assert!(matches!(call.poll(), Step::Send(_)));
    call.on_response(json_response(200, "[]"));
    assert!(matches!(call.poll(), Step::Done(Ok(_))));
    assert_eq!(call.interrupt("late").code(), "internal");
    assert!(matches!(call.poll(), Step::Done(Ok(_))));
}

proptest! {
    /// An operation with neither a key nor a lookup is sent at most once
    /// after an attempt that may have been applied, whatever follows.
    #[test]
    fn writes_without_key_or_id_are_never_repeated_once_uncertain(faults in proptest::collection::vec(0u8..5, 1..8), seed: [u8; 32]) {
        let call = Call::new(&config(5), Operation::submit_application("uid_1").unwrap(), seed).unwrap();
        let mut faults = faults.into_iter();
        let mut uncertain = 0;
        let (result, _) = drive(call, |_| {
            let fault = faults.next().unwrap_or(0);
            uncertain += u32::from(matches!(fault, 2..=4));
            match fault {
                1 => Err(TransportError::connect("refused")),
                2 => Err(TransportError::timeout("slow")),
                3 => Err(TransportError::other("reset")),
                4 => Ok(json_response(503, "")),
                _ => Ok(json_response(429, "")),
            }
        });
        prop_assert!(uncertain <= 1);
        if uncertain == 1 {
            prop_assert!(matches!(result, Err(Error::Transport { outcome_unknown: true, .. })), "{:?}", result);
        }
    }
}
