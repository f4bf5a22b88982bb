//! 1,000 payouts through the call engine while the sandbox answers 503 or
//! drops the connection after committing on 30% of requests. A payout whose
//! call ends with an unknown outcome is run again with the same gigId or
//! idempotency key, as a partner's script would. Afterwards the sandbox
//! must hold every payout exactly once.

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::*;
use lean_core::{Error, NewGig, NewSpecialPayment, Operation, Outcome};
use lean_sandbox::harness::{agent, execute};
use serde_json::json;

const PAYOUTS: usize = 1000;
const CUSTOMERS: usize = 10;
const THREADS: usize = 4;

fn payout(i: usize) -> Operation {
    let customer = format!("uid_{}", i % CUSTOMERS);
    if i % 3 == 2 {
        let payment = NewSpecialPayment {
            partner_user_id: customer,
            amount: format!("{}.{:02}", 1 + i % 50, i % 100).into(),
            payment_type: "bonus".into(),
            gig_id: None,
            description: Some(format!("bonus {i}")),
            userdata: Some(json!({ "payoutId": format!("payout-{i}") })),
        };
        Operation::create_special_payment(&payment, Some(&format!("payout-{i}"))).unwrap()
    } else {
        let gig = NewGig {
            partner_user_id: customer,
            total_amount: format!("{}.00", 10 + i % 90).into(),
            tips: "1.50".into(),
            expenses: "0.25".into(),
            description: format!("gig {i}"),
            gig_id: format!("payout-{i}"),
            start_time: "2021-03-01T21:04:04Z".into(),
            end_time: "2021-03-01T21:31:05Z".into(),
        };
        Operation::create_gig(&gig).unwrap()
    }
}

#[test]
fn every_payout_exactly_once_under_faults() {
    let sandbox = start(&[
        "--fault-503",
        "0.15",
        "--fault-drop",
        "0.15",
        "--fault-seed",
        "7",
    ]);
    let config = fast_retries(config(&sandbox), 3);
    let agent = agent();
    payable_customers(&agent, &config, 0..CUSTOMERS);

    let next = Arc::new(AtomicUsize::new(0));
    let reruns = Arc::new(AtomicUsize::new(0));
    let unknown = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            let (next, reruns, unknown, config) = (
                next.clone(),
                reruns.clone(),
                unknown.clone(),
                config.clone(),
            );
            std::thread::spawn(move || {
                let agent = lean_sandbox::harness::agent();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= PAYOUTS {
                        return;
                    }
                    let mut tries = 0;
                    loop {
                        tries += 1;
                        assert!(tries <= 20, "payout {i} never finished");
                        match execute(&agent, &config, payout(i)) {
                            Ok(Outcome::Gig(_) | Outcome::SpecialPayment(_)) => break,
                            Ok(other) => panic!("payout {i}: unexpected {other:?}"),
                            Err(Error::Transport {
                                outcome_unknown, ..
                            }) => {
                                if outcome_unknown {
                                    unknown.fetch_add(1, Ordering::Relaxed);
                                }
                                reruns.fetch_add(1, Ordering::Relaxed);
                            }
                            Err(Error::Api(e)) if e.status == 503 => {
                                reruns.fetch_add(1, Ordering::Relaxed);
                            }
                            Err(e) => panic!("payout {i} failed for good: {e}"),
                        }
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("worker");
    }

    let gigs = list_all(&agent, &sandbox, "gig");
    let payments = list_all(&agent, &sandbox, "specialpayment");
    let mut seen: HashMap<String, usize> = HashMap::new();
    for g in &gigs {
        let id = g["gigId"].as_str().unwrap().to_owned();
        *seen.entry(id).or_default() += 1;
    }
    for p in &payments {
        let id = p["userdata"]["payoutId"].as_str().unwrap().to_owned();
        *seen.entry(id).or_default() += 1;
    }
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    let missing: Vec<_> = (0..PAYOUTS)
        .map(|i| format!("payout-{i}"))
        .filter(|id| !seen.contains_key(id))
        .collect();
    println!(
        "reliability: {PAYOUTS} payouts ({} gigs, {} special payments) under 30% faults; \
         {} calls re-run ({} with an unknown outcome); sandbox holds {} records, \
         {} paid twice, {} missing",
        gigs.len(),
        payments.len(),
        reruns.load(Ordering::Relaxed),
        unknown.load(Ordering::Relaxed),
        seen.len(),
        twice.len(),
        missing.len()
    );
    assert!(twice.is_empty(), "paid twice: {twice:?}");
    assert!(missing.is_empty(), "missing: {missing:?}");
    assert_eq!(gigs.len() + payments.len(), PAYOUTS);
}
