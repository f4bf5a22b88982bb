//! Shared set-up of the end-to-end tests: a sandbox process on a free
//! loopback port, a configured client, customers made payable.

#![allow(dead_code)]

pub mod openbanking;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use lean_core::{
    Config, Customer, CustomerStatus, Environment, NewCustomer, NewGig, Operation, Outcome,
    RetryPolicy,
};
use lean_sandbox::harness::{execute, SandboxProcess, WebhookReceiver};

pub const KEY: &str = "sk_test_sandbox_e2e";

pub fn binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_lean-sandbox"))
}

/// A sandbox with millisecond delays.
pub fn start(extra: &[&str]) -> SandboxProcess {
    let mut args = vec![
        "--port",
        "0",
        "--api-key",
        KEY,
        "--approval-delay",
        "30ms",
        "--settlement-delay",
        "30ms",
        "--webhook-backoff",
        "20ms",
        "--quiet",
    ];
    args.extend_from_slice(extra);
    SandboxProcess::start(binary(), &args).expect("the sandbox starts")
}

/// A sandbox (see [`start`]) whose payouts webhooks go to a fresh
/// receiver, which refuses the first `refused` deliveries.
pub fn start_with_receiver(extra: &[&str], refused: usize) -> (SandboxProcess, WebhookReceiver) {
    let sandbox = start(extra);
    let receiver = WebhookReceiver::start().unwrap();
    receiver.refuse_next(refused);
    sandbox.register_webhook(receiver.url()).unwrap();
    (sandbox, receiver)
}

pub fn config(sandbox: &SandboxProcess) -> Config {
    Config::new(KEY, Environment::Sandbox)
        .and_then(|c| c.with_base_url(&sandbox.base_url()))
        .expect("valid config")
        .with_host("rust-e2e")
}

/// A fast retry policy for tests against local faults.
pub fn fast_retries(config: Config, retries: u32) -> Config {
    config.with_retry(RetryPolicy {
        max_retries: retries,
        initial_backoff: Duration::from_millis(2),
        max_backoff: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(1),
    })
}

pub fn new_customer(n: usize) -> NewCustomer {
    NewCustomer {
        first_name: "Jane".into(),
        middle_name: None,
        last_name: format!("Doe{}", letters(n)),
        birthday: "1980-12-31".into(),
        phone_number: format!("408{}{:04}", 200 + n / 10_000 % 800, n % 10_000),
        email: format!("jane{n}@example.com"),
        street: "700 Treehouse Drive".into(),
        street2: None,
        city: "San Jose".into(),
        state: "CA".into(),
        postal_code: "95101".into(),
        partner_user_id: format!("uid_{n}"),
        registration_date: "2020-01-01".into(),
    }
}

fn letters(mut n: usize) -> String {
    let mut s = String::new();
    loop {
        s.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return s;
        }
    }
}

/// Runs an operation, retrying whole calls a few times (for set-up under
/// faults), and returns the outcome.
pub fn run(agent: &ureq::Agent, config: &Config, operation: Operation) -> Outcome {
    let mut last = None;
    for _ in 0..10 {
        match execute(agent, config, operation.clone()) {
            Ok(outcome) => return outcome,
            Err(e) => last = Some(e),
        }
    }
    panic!("{:?} kept failing: {last:?}", operation.kind());
}

/// Creates customer `n` and submits its application, which the sandbox
/// approves after its approval delay.
pub fn apply(agent: &ureq::Agent, config: &Config, n: usize) {
    run(
        agent,
        config,
        Operation::create_customer(&new_customer(n)).unwrap(),
    );
    run(
        agent,
        config,
        Operation::submit_application(&format!("uid_{n}")).unwrap(),
    );
}

/// Creates customers `from..to`, submits their applications and waits
/// until they are `ACTIVE`.
pub fn payable_customers(agent: &ureq::Agent, config: &Config, range: std::ops::Range<usize>) {
    for n in range.clone() {
        apply(agent, config, n);
    }
    for n in range {
        let id = format!("uid_{n}");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let Outcome::Customer(Customer { status, .. }) =
                run(agent, config, Operation::get_customer(&id).unwrap())
            else {
                panic!("not a customer");
            };
            if status == Some(CustomerStatus::Active) {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{id} never became ACTIVE"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// The `Authorization` header of the test key.
pub fn basic_auth() -> String {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:"));
    format!("Basic {encoded}")
}

/// Every record of a payouts list (`gig` or `specialpayment`), page after
/// page (`limit`, `offset`), each page retried while faults hit it.
pub fn list_all(
    agent: &ureq::Agent,
    sandbox: &SandboxProcess,
    list: &str,
) -> Vec<serde_json::Value> {
    let mut all = Vec::new();
    loop {
        let url = format!(
            "{}/{list}?limit=1000&offset={}",
            sandbox.base_url(),
            all.len()
        );
        let page = (0..20)
            .find_map(|_| {
                let mut response = agent
                    .get(&url)
                    .header("authorization", basic_auth())
                    .call()
                    .ok()?;
                if response.status() != 200 {
                    return None;
                }
                let body = response.body_mut().read_to_vec().ok()?;
                serde_json::from_slice::<Vec<serde_json::Value>>(&body).ok()
            })
            .unwrap_or_else(|| panic!("GET {url} kept failing"));
        let last = page.len() < 1000;
        all.extend(page);
        if last {
            return all;
        }
    }
}

/// A gig of `total` for `uid_{customer}`, no tips or expenses.
pub fn new_gig(customer: usize, gig_id: &str, total: &str, description: &str) -> NewGig {
    NewGig {
        partner_user_id: format!("uid_{customer}"),
        total_amount: total.into(),
        tips: "0.00".into(),
        expenses: "0.00".into(),
        description: description.into(),
        gig_id: gig_id.into(),
        start_time: "2021-03-01T21:04:04Z".into(),
        end_time: "2021-03-01T21:31:05Z".into(),
    }
}

/// Starts `lean-sandbox serve` with `args` and `env` itself (stdout and
/// stderr piped, so a test can read its logs) and returns the process and
/// its URL, read from the first stdout line.
pub fn spawn_serve(args: &[&str], env: &[(&str, &str)]) -> (Child, String) {
    let mut child = Command::new(binary())
        .arg("serve")
        .args(args)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the sandbox starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout is piped"))
        .read_line(&mut first)
        .expect("the sandbox announces its URL");
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .expect("the first line is `listening on URL`")
        .to_owned();
    (child, url)
}

/// Stops a process from [`spawn_serve`] and returns what it logged.
pub fn stop_and_read_logs(mut child: Child) -> String {
    child.kill().expect("the sandbox stops");
    let mut logs = String::new();
    if let Some(mut stderr) = child.stderr.take() {
        std::io::Read::read_to_string(&mut stderr, &mut logs).expect("stderr reads");
    }
    child.wait().expect("the sandbox is reaped");
    logs
}

/// A database file of the test's own, removed (with its journal files)
/// when dropped.
pub struct TempDb(PathBuf);

impl TempDb {
    pub fn new(name: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        Self(std::env::temp_dir().join(format!(
            "lean-sandbox-{name}-{}-{nanos}.db",
            std::process::id()
        )))
    }

    pub fn path(&self) -> &str {
        self.0.to_str().expect("a UTF-8 temporary path")
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}
