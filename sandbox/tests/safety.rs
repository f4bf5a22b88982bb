//! The sandbox as a safe local server, over real HTTP: only loopback
//! `Host` names (DNS rebinding), admin routes that a web page cannot drive
//! (JSON only, own origin only), an outbox that never follows redirects,
//! expired idempotency keys and tokens purged, bounded list pages.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use lean_core::{NewGig, Operation};
use lean_sandbox::harness::{agent, execute, SandboxProcess, WebhookReceiver};
use serde_json::{json, Value};

/// An answer read off the wire.
struct Raw {
    status: u16,
    headers: Vec<(String, String)>,
    body: Value,
}

impl Raw {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one HTTP/1.1 request exactly as written (so `Host`, `Origin` and
/// `Content-Type` are what a browser or a rebound page would send).
fn raw(url: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Raw {
    let authority = url.strip_prefix("http://").unwrap();
    let mut stream = TcpStream::connect(authority).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut request = format!("{method} {path} HTTP/1.1\r\nconnection: close\r\n");
    if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
        request.push_str(&format!("host: {authority}\r\n"));
    }
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!("content-length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(request.as_bytes()).unwrap();
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    let status: u16 = status.split(' ').nth(1).unwrap().parse().unwrap();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (n, v) = line.split_once(':').unwrap();
        headers.push((n.trim().to_owned(), v.trim().to_owned()));
    }
    let mut text = Vec::new();
    reader.read_to_end(&mut text).unwrap();
    let body = serde_json::from_slice(&text).unwrap_or(Value::Null);
    Raw {
        status,
        headers,
        body,
    }
}

/// Checks a refusal: its status, the field it names first, and a part of
/// its message.
fn refused(answer: &Raw, status: u16, field: &str, says: &str) {
    assert_eq!(answer.status, status, "{:?}", answer.body);
    assert_eq!(
        answer.body["errors"][0]["field"], field,
        "{:?}",
        answer.body
    );
    let message = answer.body["message"].as_str().unwrap();
    assert!(message.contains(says), "{message}");
}

fn port(url: &str) -> &str {
    url.rsplit(':').next().unwrap()
}

#[test]
fn every_route_refuses_a_host_that_is_not_loopback() {
    let sandbox = start(&[]);
    let url = sandbox.url();
    let rebound = format!("evil.example:{}", port(url));
    for path in [
        "/api/gig",
        "/customers/v1",
        "/_sandbox/webhooks",
        "/openapi.json",
    ] {
        let answer = raw(url, "GET", path, &[("host", &rebound)], "");
        assert_eq!(answer.status, 421, "{path}");
        let message = answer.body["message"].as_str().unwrap();
        assert!(message.contains("loopback"), "{message}");
        assert!(message.contains("--allow-host"), "{message}");
        assert_eq!(answer.body["errors"][0]["field"], "Host", "{path}");
    }
    // Open banking keeps its own error shape.
    let answer = raw(url, "GET", "/customers/v1", &[("host", &rebound)], "");
    assert_eq!(answer.body["status"], "REQUEST_REFUSED");
    // A refused admin request changed nothing.
    let body = json!({ "url": "http://127.0.0.1:9/x" }).to_string();
    let answer = raw(
        url,
        "POST",
        "/_sandbox/webhooks",
        &[("host", &rebound), ("content-type", "application/json")],
        &body,
    );
    assert_eq!(answer.status, 421);
    assert_eq!(sandbox.webhook_status().unwrap()["urls"], json!([]));

    let p = port(url);
    for host in [
        format!("localhost:{p}"),
        format!("127.0.0.1:{p}"),
        format!("127.8.9.10:{p}"),
        format!("[::1]:{p}"),
        "LOCALHOST".to_owned(),
    ] {
        let answer = raw(url, "GET", "/api/gig", &[("host", &host)], "");
        assert_eq!(
            answer.status, 401,
            "{host}: reaches the route, which wants a key"
        );
    }
}

#[test]
fn allowed_hosts_are_accepted_by_flag_and_environment() {
    // The status of a request to `url` naming `name` and the port as Host.
    let status = |url: &str, name: &str| {
        let host = format!("{name}:{}", port(url));
        raw(url, "GET", "/openapi.json", &[("host", &host)], "").status
    };
    let sandbox = start(&["--allow-host", "sandbox.internal"]);
    assert_eq!(status(sandbox.url(), "Sandbox.Internal"), 200);
    assert_eq!(status(sandbox.url(), "other.internal"), 421);

    let (child, url) = spawn_serve(
        &["--port", "0", "--api-key", KEY, "--quiet"],
        &[("LEAN_SANDBOX_ALLOWED_HOSTS", "app.test, db.test")],
    );
    let answer = status(&url, "db.test");
    stop_and_read_logs(child);
    assert_eq!(answer, 200);
}

#[test]
fn a_web_page_cannot_drive_the_admin_routes() {
    let sandbox = start(&[]);
    let url = sandbox.url();
    let body = json!({ "url": "http://127.0.0.1:9/hook" }).to_string();
    // The same webhook registration, sent with `headers`.
    let register =
        |headers: &[(&str, &str)]| raw(url, "POST", "/_sandbox/webhooks", headers, &body);

    // What a page on another site can send without asking first: a
    // text/plain POST, with its own Origin.
    let cross_site = register(&[
        ("origin", "https://evil.example"),
        ("content-type", "text/plain;charset=UTF-8"),
        ("sec-fetch-site", "cross-site"),
    ]);
    refused(&cross_site, 403, "Origin", "another origin");

    // Without Origin, text/plain is still refused, saying what to send.
    let plain = register(&[("content-type", "text/plain")]);
    refused(&plain, 415, "Content-Type", "application/json");
    let bare = register(&[]);
    assert_eq!(bare.status, 415);
    let form = raw(
        url,
        "POST",
        "/_sandbox/openbanking/customers/c/entities",
        &[("content-type", "application/x-www-form-urlencoded")],
        "bank_identifier=X",
    );
    assert_eq!(form.status, 415);

    // A browser's own label for a cross-site fetch, even with JSON.
    let fetched = register(&[
        ("content-type", "application/json"),
        ("sec-fetch-site", "same-site"),
    ]);
    refused(&fetched, 403, "Sec-Fetch-Site", "");
    // Another port on the same machine is another origin.
    let other_port = raw(
        url,
        "GET",
        "/_sandbox/webhooks",
        &[("origin", "http://127.0.0.1:1")],
        "",
    );
    assert_eq!(other_port.status, 403);
    assert_eq!(sandbox.webhook_status().unwrap()["urls"], json!([]));

    // The sandbox's own origin, and clients that send no Origin, pass.
    let own = register(&[
        ("origin", url),
        ("content-type", "application/json; charset=utf-8"),
        ("sec-fetch-site", "same-origin"),
    ]);
    assert_eq!(own.status, 200, "{}", own.body);
    assert_eq!(own.body["urls"], json!(["http://127.0.0.1:9/hook"]));
    // A POST without a body needs no content type.
    let empty = raw(
        url,
        "POST",
        "/_sandbox/customers/nobody/deactivate",
        &[],
        "",
    );
    assert_eq!(empty.status, 404);
}

/// A receiver that answers every POST with a redirect to `location`.
fn redirecting_receiver(location: String) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                let line = line.trim_end().to_ascii_lowercase();
                if line.is_empty() {
                    break;
                }
                if let Some(v) = line.strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            counted.fetch_add(1, Ordering::SeqCst);
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 307 Temporary Redirect\r\nlocation: {location}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
        }
    });
    (url, hits)
}

#[test]
fn the_outbox_never_follows_a_redirect() {
    let target = WebhookReceiver::start().unwrap();
    let (redirecting, hits) = redirecting_receiver(target.url().to_owned());
    let (child, url) = spawn_serve(
        &[
            "--port",
            "0",
            "--api-key",
            KEY,
            "--approval-delay",
            "10ms",
            "--webhook-backoff",
            "10ms",
            "--webhook-url",
            &redirecting,
        ],
        &[],
    );
    let config = lean_core::Config::new(KEY, lean_core::Environment::Sandbox)
        .unwrap()
        .with_base_url(&format!("{url}/api"))
        .unwrap();
    let agent = agent();
    apply(&agent, &config, 1);

    // customer.active: one attempt and five retries, all answered 307.
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        let mut answer = agent
            .get(format!("{url}/_sandbox/webhooks"))
            .call()
            .unwrap();
        let status: Value =
            serde_json::from_slice(&answer.body_mut().read_to_vec().unwrap()).unwrap();
        if status["failed"] == 1 || Instant::now() > deadline {
            break status;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let logs = stop_and_read_logs(child);

    assert_eq!(status["failed"], 1, "{status}");
    assert_eq!(status["delivered"], 0, "{status}");
    assert_eq!(hits.load(Ordering::SeqCst), 6);
    assert!(target.deliveries().is_empty(), "the redirect was followed");
    let refused: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("answered 307"))
        .collect();
    assert_eq!(refused.len(), 6, "{logs}");
    assert!(refused[0].contains(target.url()), "{logs}");
    assert!(refused[0].contains("not followed"), "{logs}");
    assert!(refused[5].contains("giving up"), "{logs}");
}

fn admin(sandbox: &SandboxProcess, method: &str, path: &str, body: Option<Value>) -> Value {
    let text = body.map(|b| b.to_string()).unwrap_or_default();
    let answer = raw(
        sandbox.url(),
        method,
        path,
        &[("content-type", "application/json")],
        &text,
    );
    assert_eq!(answer.status, 200, "{path}: {}", answer.body);
    answer.body
}

fn rows(sandbox: &SandboxProcess, table: &str) -> i64 {
    admin(sandbox, "GET", "/_sandbox/stats", None)["rows"][table]
        .as_i64()
        .unwrap()
}

fn advance(sandbox: &SandboxProcess, ms: i64) {
    admin(
        sandbox,
        "POST",
        "/_sandbox/clock",
        Some(json!({ "advance_ms": ms })),
    );
}

#[test]
fn expired_idempotency_keys_and_tokens_are_purged() {
    let sandbox = start(&["--ob-token-ttl", "60"]);
    let url = sandbox.url();
    let auth = basic_auth();
    let customer = |n: usize| serde_json::to_string(&new_customer(n)).unwrap();
    let create = |key: &str, body: &str| {
        raw(
            url,
            "POST",
            "/api/customer",
            &[
                ("authorization", &auth),
                ("content-type", "application/json"),
                ("idempotency-key", key),
            ],
            body,
        )
    };
    assert_eq!(create("key-1", &customer(1)).status, 200);
    let replay = create("key-1", &customer(1));
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    let form = "client_id=sandbox-client-id&client_secret=sandbox-client-secret&grant_type=client_credentials&scope=api";
    let token = raw(
        url,
        "POST",
        "/oauth2/token",
        &[("content-type", "application/x-www-form-urlencoded")],
        form,
    );
    assert_eq!(token.status, 200);
    assert_eq!(
        (
            rows(&sandbox, "idempotency_keys"),
            rows(&sandbox, "openbanking_tokens")
        ),
        (1, 1)
    );

    // The token's lifetime passes: the token goes, the key stays.
    advance(&sandbox, 61_000);
    assert_eq!(
        (
            rows(&sandbox, "idempotency_keys"),
            rows(&sandbox, "openbanking_tokens")
        ),
        (1, 0)
    );
    let bearer = format!("Bearer {}", token.body["access_token"].as_str().unwrap());
    let refused = raw(
        url,
        "GET",
        "/customers/v1",
        &[("authorization", &bearer)],
        "",
    );
    assert_eq!(refused.status, 401);
    // Within 24 hours the key answers the original result, even to
    // another body (the reference), and creates nothing.
    let other = create("key-1", &customer(2));
    assert_eq!(other.status, 200, "{}", other.body);
    assert_eq!(other.header("idempotent-replayed"), Some("true"));
    assert_eq!(other.body["partnerUserId"], "uid_1");
    assert_eq!(rows(&sandbox, "customers"), 1);

    // A day after it was first used, the key is gone and free again.
    advance(&sandbox, 24 * 3_600_000 - 61_000);
    assert_eq!(rows(&sandbox, "idempotency_keys"), 0);
    let clock = admin(&sandbox, "GET", "/_sandbox/clock", None);
    assert_eq!(clock["offset_ms"], 24 * 3_600_000);
    let fresh = create("key-1", &customer(2));
    assert_eq!(fresh.status, 200, "{}", fresh.body);
    assert_eq!(fresh.header("idempotent-replayed"), None);
    assert_eq!(rows(&sandbox, "customers"), 2);

    // The clock only moves forward, by a bounded amount.
    let back = raw(
        url,
        "POST",
        "/_sandbox/clock",
        &[("content-type", "application/json")],
        r#"{"advance_ms": -1}"#,
    );
    assert_eq!(back.status, 400);
    assert_eq!(back.body["errors"][0]["field"], "advance_ms");
}

#[test]
fn the_sandbox_purges_expired_tokens_by_itself() {
    let sandbox = start(&["--ob-token-ttl", "1"]);
    let form = "client_id=sandbox-client-id&client_secret=sandbox-client-secret&grant_type=client_credentials&scope=api";
    let token = raw(
        sandbox.url(),
        "POST",
        "/oauth2/token",
        &[("content-type", "application/x-www-form-urlencoded")],
        form,
    );
    assert_eq!(token.status, 200);
    let deadline = Instant::now() + Duration::from_secs(10);
    while rows(&sandbox, "openbanking_tokens") > 0 {
        assert!(
            Instant::now() < deadline,
            "the expired token was never purged"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn gig(n: usize) -> NewGig {
    new_gig(0, &format!("page-{n:03}"), "10.00", &format!("gig {n}"))
}

fn get(sandbox: &SandboxProcess, path: &str) -> Raw {
    raw(
        sandbox.url(),
        "GET",
        path,
        &[("authorization", &basic_auth())],
        "",
    )
}

#[test]
fn payouts_lists_page() {
    let sandbox = start(&[]);
    let config = config(&sandbox);
    let agent = agent();
    payable_customers(&agent, &config, 0..1);
    for n in 0..105 {
        execute(&agent, &config, Operation::create_gig(&gig(n)).unwrap()).unwrap();
    }

    // The default page is bounded, and says where the next one starts.
    let first = get(&sandbox, "/api/gig");
    assert_eq!(first.status, 200);
    assert_eq!(first.body.as_array().unwrap().len(), 100);
    assert_eq!(first.header("x-total-count"), Some("105"));
    assert_eq!(
        first.header("link"),
        Some("</api/gig?limit=100&offset=100>; rel=\"next\"")
    );
    let last = get(&sandbox, "/api/gig?limit=100&offset=100");
    let ids: Vec<&str> = last
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["gigId"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["page-100", "page-101", "page-102", "page-103", "page-104"]
    );
    assert_eq!(last.header("link"), None);
    let middle = get(&sandbox, "/api/gig?limit=2&offset=3");
    assert_eq!(middle.body[0]["gigId"], "page-003");
    assert_eq!(middle.body.as_array().unwrap().len(), 2);
    let beyond = get(&sandbox, "/api/specialpayment?offset=10");
    assert_eq!((beyond.status, beyond.body.clone()), (200, json!([])));
    assert_eq!(beyond.header("x-total-count"), Some("0"));

    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=x", "limit"),
        ("offset=-1", "offset"),
    ] {
        let refused = get(&sandbox, &format!("/api/gig?{query}"));
        assert_eq!(refused.status, 400, "{query}");
        assert_eq!(refused.body["errors"][0]["field"], field, "{query}");
    }
    // The core's list reads the first page.
    let lean_core::Outcome::Gigs(gigs) = execute(&agent, &config, Operation::list_gigs()).unwrap()
    else {
        panic!("not gigs")
    };
    assert_eq!(gigs.len(), 100);
}

#[test]
fn open_banking_lists_page() {
    let sandbox = start(&[]);
    let token = [
        ("lean-app-token", "sandbox-app-token"),
        ("content-type", "application/json"),
    ];
    let post = |path: &str, body: Value| {
        let answer = raw(sandbox.url(), "POST", path, &token, &body.to_string());
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
        answer.body
    };
    let get = |path: &str| raw(sandbox.url(), "GET", path, &token, "");
    let customer = post("/customers/v1/", json!({ "app_user_id": "pager" }));
    let id = customer["customer_id"].as_str().unwrap();
    for _ in 0..3 {
        admin(
            &sandbox,
            "POST",
            &format!("/_sandbox/openbanking/customers/{id}/entities"),
            Some(json!({})),
        );
    }
    for n in 0..3 {
        post(
            "/payments/v1/destinations",
            json!({
                "display_name": format!("Destination {n}"),
                "name": "Jane Doe",
                "bank_identifier": "ENBD_UAE",
                "iban": "AE070331234567890123456",
            }),
        );
    }

    let entities = get(&format!(
        "/customers/v1/{id}/entities?page_number=1&page_size=2"
    ));
    assert_eq!(entities.body.as_array().unwrap().len(), 1);
    let entities = get(&format!("/customers/v1/{id}/entities"));
    assert_eq!(entities.body.as_array().unwrap().len(), 3);
    let destinations = get("/payments/v1/destinations?page_size=2");
    let names: Vec<&str> = destinations
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["display_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Destination 0", "Destination 1"]);
    let customers = get("/customers/v1?page_size=1000");
    assert_eq!(customers.status, 200);
    assert_eq!(customers.body["page"]["size"], 1000);

    for path in [
        "/customers/v1?page_size=1001",
        "/payments/v1/destinations?page_size=1001",
        "/payments/v1/destinations?page_size=0",
    ] {
        let refused = get(path);
        assert_eq!(refused.status, 400, "{path}");
        assert_eq!(refused.body["errors"][0]["field"], "page_size", "{path}");
    }
}

#[test]
fn the_harness_transport_reports_a_redirect_instead_of_following_it() {
    let target = WebhookReceiver::start().unwrap();
    let (redirecting, hits) = redirecting_receiver(target.url().to_owned());
    let response = agent().post(&redirecting).send(&b"{}"[..]).unwrap();
    assert_eq!(response.status().as_u16(), 307);
    assert_eq!(
        response
            .headers()
            .get("location")
            .unwrap()
            .to_str()
            .unwrap(),
        target.url()
    );
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    assert!(target.deliveries().is_empty());
}
