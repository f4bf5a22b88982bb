//! Registers a worker, approves them (sandbox only) and pays them for a gig,
//! driving lean-core's sans-I/O [`Call`] with a blocking HTTP client (`ureq`).
//!
//! ```sh
//! # against the local sandbox (see sandbox/README.md):
//! target/debug/lean-sandbox serve --port 0 --api-key test_key   # prints listening on http://127.0.0.1:PORT
//! LEAN_BASE_URL=http://127.0.0.1:PORT/api LEAN_API_KEY=test_key \
//!     cargo run -p lean-core --example quickstart
//! ```
//!
//! `LEAN_LOG=debug` (or `info`) writes what each call did to standard
//! error: every attempt and answer, or only retries, lookups and outcomes.
//!
//! Without `LEAN_BASE_URL` it targets Lean's hosted sandbox, which needs
//! HTTPS: this example's `ureq` is built without TLS to keep the core's
//! development dependencies small, so add `features = ["rustls"]` to `ureq`
//! in your own project.
//!
//! Everything that decides behaviour (validation, retries, idempotency keys,
//! reconciliation of a gig whose answer was lost) happens in the core; the
//! program below only moves bytes and sleeps when told to.

use std::process::ExitCode;
use std::time::Instant;

use lean_core::engine::Level;
use lean_core::{
    Call, Config, Environment, Error, HttpRequest, HttpResponse, Method, Operation, Outcome, Step,
    TransportError,
};
use serde_json::json;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            report(&error);
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Error> {
    let api_key = std::env::var("LEAN_API_KEY").unwrap_or_default();
    let mut config =
        Config::new(api_key.as_str(), Environment::Sandbox)?.with_host("rust-example/ureq");
    if let Ok(base_url) = std::env::var("LEAN_BASE_URL") {
        config = config.with_base_url(&base_url)?;
    }
    if config.base_url().starts_with("https://") {
        eprintln!(
            "note: this example's HTTP client has no TLS; set LEAN_BASE_URL to the local sandbox (http://127.0.0.1:PORT/api)"
        );
    }
    let http = ureq::Agent::config_builder()
        .http_status_as_error(false) // the core reads every status itself
        .timeout_global(Some(config.timeout))
        .build()
        .new_agent();

    // A fresh partner user id per run, so the example can run again and again.
    let run_id = u64::from_le_bytes(entropy()[..8].try_into().unwrap_or_default());
    let user = format!("uid_quickstart_{run_id:016x}");
    // A US number whose exchange (4th digit) is 2-9, as the rules require.
    let phone = format!("408{:07}", 2_000_000 + run_id % 8_000_000);

    // The writes take their input as JSON, the form hosts and the shared
    // vectors use.
    let create = |operation: &str, input: serde_json::Value| {
        let call = json!({ "operation": operation, "input": input });
        execute(&http, &config, Operation::from_json(&call)?)
    };
    let customer = create(
        "createCustomer",
        json!({
            "firstName": "Jane", "lastName": "Doe", "birthday": "1980-12-31",
            "phoneNumber": phone, "email": format!("jane.{run_id:x}@example.com"),
            "street": "700 Treehouse Drive", "city": "San Jose", "state": "ca",
            "postalCode": "95101", "partnerUserId": user, "registrationDate": "2020-01-01",
        }),
    )?;
    println!("customer created: {}", customer.to_json());

    let application = execute(&http, &config, Operation::submit_application(&user)?)?;
    println!("application submitted: {}", application.to_json());

    // Approval takes up to a minute in Lean's sandbox; only ACTIVE customers
    // can be paid. (In production, watch for the customer.active webhook.)
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let found = execute(&http, &config, Operation::get_customer(&user)?)?;
        if let Outcome::Customer(c) = &found {
            if c.status == Some(lean_core::CustomerStatus::Active) {
                println!("customer is active");
                break;
            }
        }
        if std::time::Instant::now() > deadline {
            println!(
                "customer still not active after two minutes: {}",
                found.to_json()
            );
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
    }

    let gig = create(
        "createGig",
        json!({
            "partnerUserId": user, "gigId": format!("gig_{run_id:016x}"),
            "totalAmount": "15.00", "tips": "3.00", "expenses": "2.00",
            "description": "SFO Airport to 410 Market Street",
            "startTime": "2021-03-01T13:04:04-08:00", "endTime": "2021-03-01T21:31:05Z",
        }),
    )?;
    println!("gig created: {}", gig.to_json());

    // Validation happens before anything is sent, and reports every field.
    let refused = Operation::from_json(&json!({
        "operation": "createGig",
        "input": { "partnerUserId": user, "gigId": "g", "totalAmount": 4.99, "tips": "-1",
                   "expenses": "2.00", "description": "x", "startTime": "2021-03-01T21:00:00Z",
                   "endTime": "2021-03-01T20:00:00Z" },
    }));
    if let Err(error) = refused {
        println!("an invalid gig is refused locally:");
        report(&error);
    }
    Ok(())
}

/// Drives one operation to its end: the core says what to send and how long
/// to wait; this function only does it, timing each attempt and logging
/// the call's events when `LEAN_LOG` asks for them.
fn execute(http: &ureq::Agent, config: &Config, operation: Operation) -> Result<Outcome, Error> {
    let log = log_level();
    let mut call = Call::new(config, operation, entropy())?;
    call.record_events(log.is_some());
    loop {
        let step = call.poll();
        for event in call.take_events() {
            if log.is_some_and(|least| event.level() >= least) {
                eprintln!("lean {:5} {event}", event.level().as_str());
            }
        }
        match step {
            Step::Send(request) => {
                let started = Instant::now();
                match send(http, &request) {
                    Ok(response) => call.on_response_timed(response, started.elapsed()),
                    Err(error) => call.on_transport_error_timed(error, started.elapsed()),
                }
            }
            Step::Wait(delay) => std::thread::sleep(delay),
            Step::Done(result) => return result,
        }
    }
}

/// The least level `LEAN_LOG` asks for (`debug` or `info`), if any.
fn log_level() -> Option<Level> {
    match std::env::var("LEAN_LOG").ok()?.as_str() {
        "debug" => Some(Level::Debug),
        "info" => Some(Level::Info),
        _ => None,
    }
}

/// The whole transport: an [`HttpRequest`] out, an [`HttpResponse`] back.
fn send(http: &ureq::Agent, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
    let result = match (request.method, &request.body) {
        (Method::Get, _) => with_headers(http.get(&request.url), request).call(),
        (Method::Post, body) => {
            with_headers(http.post(&request.url), request).send(body.as_deref().unwrap_or(""))
        }
        (Method::Patch, body) => {
            with_headers(http.patch(&request.url), request).send(body.as_deref().unwrap_or(""))
        }
    };
    let mut response = result.map_err(transport_error)?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = response.body_mut().read_to_vec().map_err(transport_error)?;
    Ok(HttpResponse::new(status, headers, body))
}

fn with_headers<B>(
    mut builder: ureq::RequestBuilder<B>,
    request: &HttpRequest,
) -> ureq::RequestBuilder<B> {
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    builder
}

/// Tells the core whether the request may have reached the API: a refused
/// connection cannot have paid anyone; a timeout or a reset might have.
fn transport_error(error: ureq::Error) -> TransportError {
    match error {
        ureq::Error::Timeout(_) => TransportError::timeout(error.to_string()),
        ureq::Error::ConnectionFailed | ureq::Error::HostNotFound | ureq::Error::BadUri(_) => {
            TransportError::connect(error.to_string())
        }
        ureq::Error::Io(ref io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            TransportError::connect(error.to_string())
        }
        other => TransportError::other(other.to_string()),
    }
}

/// 32 bytes from the operating system, for the idempotency key and jitter.
fn entropy() -> [u8; 32] {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    bytes
}

/// Shows an error the way a program should: its stable code, what to fix,
/// and for validation every field with its own message.
fn report(error: &Error) {
    eprintln!("error [{}]: {error}", error.code());
    for field in error.field_errors() {
        eprintln!("  - {} ({}): {}", field.field, field.code, field.message);
    }
    if let Error::Transport {
        outcome_unknown: true,
        ..
    } = error
    {
        eprintln!("  the request may have been applied: look it up before repeating it");
    }
    for attempt in error.attempts() {
        if let Some(id) = &attempt.request_id {
            eprintln!(
                "  attempt {} request id (for Lean support): {id}",
                attempt.number
            );
        }
    }
}
