//! The fault run: a few hundred creates of each API through the core's call
//! engine and a real HTTP client while the sandbox drops the connection
//! after committing on 30% of requests; then the rows the sandbox stored
//! are counted against what each call reported. Every call carries a field
//! of its own (a gig's `gigId`, an intent's `description`), so a row that
//! was stored twice, or stored without its call knowing, shows.
//!
//! One client sends requests one at a time, so the seed fixes which
//! requests are dropped and the run repeats exactly.

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use common::*;
use lean_core::openbanking::{
    AppToken, Auth, Config as ObConfig, Environment, NewCustomer as ObNewCustomer,
    NewPaymentIntent, Operation as ObOperation, Outcome as ObOutcome,
};
use lean_core::{Amount, Error, NewGig, Operation, Outcome, RetryPolicy};
use lean_sandbox::harness::{agent, execute, execute_openbanking, SandboxProcess};
use lean_sandbox::settings::DEFAULT_APP_TOKEN;

const CREATES: usize = 300;

/// The longest the creates of one API may take, so that a change that
/// makes calls wait or loop fails here instead of hanging the suite.
const BOUND: Duration = Duration::from_secs(120);

/// How each call ended.
#[derive(Default, Debug)]
struct Tally {
    succeeded: Vec<String>,
    unknown: Vec<String>,
    failed: Vec<(String, String)>,
}

impl Tally {
    /// Files the call `id` by how it ended: made (its answer already
    /// checked), refused, or unknown (the request may have applied).
    fn record(&mut self, id: String, outcome: Result<(), Error>) {
        match outcome {
            Ok(()) => self.succeeded.push(id),
            Err(Error::Transport {
                outcome_unknown: true,
                ..
            }) => self.unknown.push(id),
            Err(e) => self.failed.push((id, e.to_string())),
        }
    }
}

/// How many rows of `table` carry each value of `path` (a JSON path into
/// the stored body).
fn count_by(db: &TempDb, table: &str, path: &str) -> HashMap<String, usize> {
    let conn = rusqlite::Connection::open(db.path()).expect("the sandbox's database");
    let sql = format!("SELECT json_extract(body, '{path}'), count(*) FROM {table} GROUP BY 1");
    let mut statement = conn.prepare(&sql).unwrap();
    let rows = statement
        .query_map([], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                r.get::<_, i64>(1)? as usize,
            ))
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

fn faulty_sandbox(db: &TempDb, seed: &str) -> SandboxProcess {
    start(&[
        "--db",
        db.path(),
        "--fault-drop",
        "0.3",
        "--fault-seed",
        seed,
    ])
}

fn retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 8,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(10),
        max_retry_after: Duration::from_secs(1),
    }
}

fn fault_gig(i: usize) -> NewGig {
    let total = format!("{}.{:02}", 10 + i % 90, i % 100);
    new_gig(0, &format!("fault-{i}"), &total, &format!("fault run {i}"))
}

#[test]
fn payouts_gigs_under_dropped_connections_are_stored_once_each() {
    let db = TempDb::new("fault-run-payouts");
    let sandbox = faulty_sandbox(&db, "13");
    let config = config(&sandbox).with_retry(retries());
    let agent = agent();
    payable_customers(&agent, &config, 0..1);

    let started = Instant::now();
    let mut tally = Tally::default();
    for i in 0..CREATES {
        let id = format!("fault-{i}");
        let create = Operation::create_gig(&fault_gig(i)).unwrap();
        let outcome = execute(&agent, &config, create).map(|made| match made {
            Outcome::Gig(gig) => assert_eq!(gig.gig_id, id),
            other => panic!("gig {i}: unexpected {other:?}"),
        });
        tally.record(id, outcome);
        assert!(started.elapsed() < BOUND, "the fault run took too long");
    }

    // Counted through the API, page by page, and in the stored rows.
    let listed = list_all(&agent, &sandbox, "gig");
    let mut stored: HashMap<String, usize> = HashMap::new();
    for gig in &listed {
        *stored
            .entry(gig["gigId"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    assert_eq!(stored, count_by(&db, "gigs", "$.gigId"));
    println!(
        "fault run (payouts): {CREATES} gigs at 30% dropped connections: {} succeeded, {} unknown, {} failed; {} stored",
        tally.succeeded.len(),
        tally.unknown.len(),
        tally.failed.len(),
        listed.len()
    );
    let twice: Vec<_> = stored.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "stored twice: {twice:?}");
    let missing: Vec<_> = tally
        .succeeded
        .iter()
        .filter(|id| !stored.contains_key(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "reported success, not stored: {missing:?}"
    );
    assert!(tally.failed.is_empty(), "failed: {:?}", tally.failed);
    // A gig's caller-chosen id is looked up after a lost answer, so every
    // call knows its outcome and nothing is stored behind its back.
    assert!(tally.unknown.is_empty(), "unknown: {:?}", tally.unknown);
    assert_eq!(listed.len(), tally.succeeded.len());
}

fn ob_config(sandbox: &SandboxProcess) -> ObConfig {
    let environment = Environment::custom(sandbox.url())
        .and_then(|e| e.with_token_base_url(sandbox.url()))
        .expect("a loopback URL is a valid custom environment");
    ObConfig::new(environment)
        .with_host("rust-e2e")
        .with_retry(retries())
}

/// The customer the intents are for, made under the same faults: a lost
/// create answer is found again by its `app_user_id`.
fn ob_customer(agent: &ureq::Agent, config: &ObConfig, auth: &Auth) -> String {
    let create = ObOperation::create_customer(&ObNewCustomer::new("fault-run")).unwrap();
    let lookup = ObOperation::get_customer_by_app_user_id("fault-run").unwrap();
    for _ in 0..20 {
        for operation in [create.clone(), lookup.clone()] {
            if let Ok(ObOutcome::Customer(c)) = execute_openbanking(agent, config, auth, operation)
            {
                return c.customer_id;
            }
        }
    }
    panic!("the fault-run customer could not be created");
}

#[test]
fn open_banking_intents_under_dropped_connections_are_never_sent_twice() {
    let db = TempDb::new("fault-run-openbanking");
    let sandbox = faulty_sandbox(&db, "17");
    let config = ob_config(&sandbox);
    let auth = Auth::AppToken(AppToken::new(DEFAULT_APP_TOKEN).unwrap());
    let agent = agent();
    let customer_id = ob_customer(&agent, &config, &auth);

    let started = Instant::now();
    let mut tally = Tally::default();
    for i in 0..CREATES {
        let description = format!("fault run {i}");
        let intent = NewPaymentIntent {
            customer_id: customer_id.clone(),
            amount: Amount::parse(&format!("{}.{:02}", 1 + i % 90, i % 100)).unwrap(),
            currency: "AED".into(),
            description: Some(description.clone()),
            payment_destination_id: None,
            purpose_code: None,
        };
        let create = ObOperation::create_payment_intent(&intent).unwrap();
        let outcome = execute_openbanking(&agent, &config, &auth, create).map(|made| match made {
            ObOutcome::PaymentIntent(made) => {
                assert_eq!(made.description.as_deref(), Some(description.as_str()))
            }
            other => panic!("intent {i}: unexpected {other:?}"),
        });
        tally.record(description, outcome);
        assert!(started.elapsed() < BOUND, "the fault run took too long");
    }

    let stored = count_by(&db, "ob_intents", "$.description");
    let rows = |d: &String| stored.get(d).copied().unwrap_or(0);
    let applied_unknown = tally.unknown.iter().filter(|d| rows(d) == 1).count();
    println!(
        "fault run (open banking): {CREATES} payment intents at 30% dropped connections: {} succeeded, {} unknown ({applied_unknown} of them applied), {} failed; {} stored",
        tally.succeeded.len(),
        tally.unknown.len(),
        tally.failed.len(),
        stored.values().sum::<usize>()
    );
    let twice: Vec<_> = stored.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice.is_empty(),
        "an intent whose answer was lost was sent again: {} calls stored more than once, such as {:?}",
        twice.len(),
        twice.first()
    );
    let missing: Vec<_> = tally.succeeded.iter().filter(|d| rows(d) != 1).collect();
    assert!(
        missing.is_empty(),
        "reported success, not stored: {missing:?}"
    );
    let stored_anyway: Vec<_> = tally.failed.iter().filter(|(d, _)| rows(d) != 0).collect();
    assert!(
        stored_anyway.is_empty(),
        "reported as failed, yet stored: {stored_anyway:?}"
    );
    // A lost answer is reported, not hidden: with 30% of connections
    // dropped after commit, some calls end with an unknown outcome, and
    // each of them was applied exactly once.
    assert!(!tally.unknown.is_empty() && !tally.succeeded.is_empty());
    assert_eq!(applied_unknown, tally.unknown.len());
    assert_eq!(
        stored.values().sum::<usize>(),
        tally.succeeded.len() + applied_unknown
    );
}
