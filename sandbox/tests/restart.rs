//! Kill the sandbox (SIGKILL) while payouts are being written and webhooks
//! are pending, restart it on the same `--db`: every acknowledged record is
//! still there, and every webhook is delivered after the restart.

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use lean_core::{Operation, Outcome};
use lean_sandbox::harness::{agent, execute, SandboxProcess, WebhookReceiver};
use serde_json::Value;

fn args<'a>(db: &'a str, settle: &'a str) -> Vec<&'a str> {
    vec![
        "--port",
        "0",
        "--api-key",
        KEY,
        "--db",
        db,
        "--approval-delay",
        "20ms",
        "--settlement-delay",
        settle,
        "--webhook-backoff",
        "300ms",
        "--quiet",
    ]
}

#[test]
fn restart_keeps_records_and_pending_webhooks() {
    let db = TempDb::new("restart");
    let db = db.path();

    let receiver = WebhookReceiver::start().unwrap();
    let sandbox = SandboxProcess::start(binary(), &args(db, "800ms")).unwrap();
    sandbox.register_webhook(receiver.url()).unwrap();
    let agent = agent();
    let config = fast_retries(config(&sandbox), 0);
    payable_customers(&agent, &config, 0..3);
    // The receiver refuses a few: those webhooks wait in the outbox.
    assert!(receiver.wait_until(Duration::from_secs(5), |d| !d.is_empty()));
    receiver.refuse_next(5);

    // A writer creates gigs until the process dies under it.
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let writer = {
        let (acknowledged, config) = (acknowledged.clone(), config.clone());
        std::thread::spawn(move || {
            let agent = lean_sandbox::harness::agent();
            for i in 0.. {
                let gig = new_gig(i % 3, &format!("restart-{i}"), "20.00", &format!("gig {i}"));
                match execute(&agent, &config, Operation::create_gig(&gig).unwrap()) {
                    Ok(_) => acknowledged.lock().unwrap().push(format!("restart-{i}")),
                    Err(_) => return,
                }
            }
        })
    };
    while acknowledged.lock().unwrap().len() < 40 && !writer.is_finished() {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(!writer.is_finished(), "the writer stopped before the kill");
    sandbox.kill();
    writer.join().unwrap();
    let acknowledged: Vec<String> = acknowledged.lock().unwrap().clone();
    let delivered_before = receiver.deliveries().len();

    let sandbox = SandboxProcess::start(binary(), &args(db, "800ms")).unwrap();
    let config = fast_retries(common::config(&sandbox), 0);
    let Outcome::Gigs(gigs) = execute(&agent, &config, Operation::list_gigs()).unwrap() else {
        panic!()
    };
    let stored: HashSet<&str> = gigs.iter().map(|g| g.gig_id.as_str()).collect();
    for id in &acknowledged {
        assert!(
            stored.contains(id.as_str()),
            "{id} was acknowledged but lost"
        );
    }
    for n in 0..3 {
        execute(
            &agent,
            &config,
            Operation::get_customer(&format!("uid_{n}")).unwrap(),
        )
        .unwrap();
    }

    // Every gig settles and every webhook (customer.active included) arrives.
    let ok = receiver.wait_until(Duration::from_secs(30), |deliveries| {
        let events: HashSet<(String, String)> = deliveries
            .iter()
            .filter_map(|d| serde_json::from_slice::<Value>(&d.body).ok())
            .map(|v| {
                let id = v["data"]["gigId"]
                    .as_str()
                    .or(v["data"]["partnerUserId"].as_str());
                (
                    v["event"].as_str().unwrap_or("").to_owned(),
                    id.unwrap_or("").to_owned(),
                )
            })
            .collect();
        stored
            .iter()
            .all(|id| events.contains(&("gig.completed".to_owned(), id.to_string())))
            && (0..3).all(|n| events.contains(&("customer.active".to_owned(), format!("uid_{n}"))))
    });
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut status = sandbox.webhook_status().unwrap();
    while status["pending"] != 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        status = sandbox.webhook_status().unwrap();
    }
    println!(
        "restart: {} gigs acknowledged before the kill, {} stored after restart; \
         {delivered_before} webhooks delivered before, {} after; outbox {status}",
        acknowledged.len(),
        stored.len(),
        receiver.deliveries().len() - delivered_before
    );
    assert!(
        ok,
        "not every webhook was delivered after the restart: {status}"
    );
    assert_eq!(status["pending"], 0);
}
