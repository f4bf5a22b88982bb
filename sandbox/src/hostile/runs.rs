//! Runs: one play of a scenario's script, with what it saw. Each run has
//! its own path prefix (`/RUN/`) on both origins, so runners may run
//! scenarios one after another or side by side against one server.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

use super::http::Request;
use super::script::Entry;

/// Runs kept at once; starting one more forgets the oldest, so a server
/// left running by a long test session stays small.
const MAX_RUNS: usize = 4096;
/// Requests recorded in a run's `seen` (counting goes on past it).
const MAX_SEEN: usize = 256;

/// Headers (and a form field) that carry a credential of either API: if one
/// reaches the other origin, a redirect leaked it.
const CREDENTIAL_HEADERS: [&str; 4] = [
    "authorization",
    "lean-app-token",
    "proxy-authorization",
    "cookie",
];

/// One run in progress.
#[derive(Debug)]
struct Run {
    script: Arc<[Entry]>,
    next: usize,
    requests: u64,
    other_origin_requests: u64,
    other_origin_credentials: BTreeSet<String>,
    seen: Vec<Value>,
}

/// Every run, by id.
#[derive(Debug, Default)]
pub struct Runs {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    last_id: u64,
    runs: BTreeMap<u64, Run>,
}

impl Runs {
    /// Starts a run of `script` and returns its id (`r1`, `r2`, ...).
    pub fn start(&self, script: Arc<[Entry]>) -> String {
        let mut inner = self.lock();
        inner.last_id += 1;
        let id = inner.last_id;
        inner.runs.insert(
            id,
            Run {
                script,
                next: 0,
                requests: 0,
                other_origin_requests: 0,
                other_origin_credentials: BTreeSet::new(),
                seen: Vec::new(),
            },
        );
        while inner.runs.len() > MAX_RUNS {
            inner.runs.pop_first();
        }
        format!("r{id}")
    }

    /// Counts a request that reached the main origin under the run's
    /// prefix and returns the script entry to play (the last one again once
    /// the script is spent), or `None` for an unknown run. `path` is the
    /// target below the run's base URL.
    pub fn take(&self, run: &str, request: &Request, path: &str) -> Option<Entry> {
        let mut inner = self.lock();
        let run = inner.runs.get_mut(&number(run)?)?;
        run.requests += 1;
        if run.seen.len() < MAX_SEEN {
            let mut seen = json!({ "method": request.method, "path": path });
            if let Some(key) = request.header("idempotency-key") {
                seen["idempotencyKey"] = key.into();
            }
            run.seen.push(seen);
        }
        let entry = run.script.get(run.next).or(run.script.last()).cloned();
        run.next = (run.next + 1).min(run.script.len());
        entry
    }

    /// Counts a request that reached the other origin, and the credentials
    /// it carried. False for an unknown run.
    pub fn other_origin(&self, run: &str, request: &Request) -> bool {
        let mut inner = self.lock();
        let Some(run) = number(run).and_then(|id| inner.runs.get_mut(&id)) else {
            return false;
        };
        run.other_origin_requests += 1;
        for (name, _) in &request.headers {
            if CREDENTIAL_HEADERS.contains(&name.as_str()) {
                run.other_origin_credentials.insert(name.clone());
            }
        }
        if String::from_utf8_lossy(&request.body).contains("client_secret=") {
            run.other_origin_credentials
                .insert("client_secret".to_owned());
        }
        true
    }

    /// What the run saw, as `GET /_hostile/runs/RUN` answers it.
    pub fn report(&self, run: &str) -> Option<Value> {
        let inner = self.lock();
        let run = inner.runs.get(&number(run)?)?;
        Some(json!({
            "requests": run.requests,
            "otherOriginRequests": run.other_origin_requests,
            "otherOriginCredentialHeaders": run.other_origin_credentials,
            "seen": run.seen,
        }))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn number(run: &str) -> Option<u64> {
    run.strip_prefix('r')?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: &str, headers: &[(&str, &str)], body: &str) -> Request {
        Request {
            method: method.to_owned(),
            target: String::new(),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
            close: false,
        }
    }

    #[test]
    fn plays_the_script_then_repeats_its_last_entry() {
        let runs = Runs::default();
        let id = runs.start(vec![Entry::Drop, Entry::Drop, Entry::Drop].into());
        let short = runs.start(vec![Entry::Drop].into());
        assert_eq!((id.as_str(), short.as_str()), ("r1", "r2"));
        for _ in 0..3 {
            assert_eq!(
                runs.take(&short, &request("GET", &[], ""), "/api/gig/g1"),
                Some(Entry::Drop)
            );
        }
        let keyed = request("POST", &[("idempotency-key", "k1")], "{}");
        assert!(runs.take(&id, &keyed, "/api/specialpayment").is_some());
        assert!(runs.take("r9", &keyed, "/").is_none() && runs.take("x", &keyed, "/").is_none());
        let report = runs.report(&short).unwrap();
        assert_eq!(report["requests"], 3);
        assert_eq!(
            report["seen"][2],
            json!({"method": "GET", "path": "/api/gig/g1"})
        );
        assert_eq!(runs.report(&id).unwrap()["seen"][0]["idempotencyKey"], "k1");
    }

    #[test]
    fn names_credentials_that_reached_the_other_origin() {
        let runs = Runs::default();
        let id = runs.start(vec![Entry::Drop].into());
        let leak = request(
            "POST",
            &[("lean-app-token", "t"), ("accept", "*/*")],
            "client_secret=s&x=1",
        );
        assert!(runs.other_origin(&id, &leak));
        assert!(!runs.other_origin("r7", &leak));
        let report = runs.report(&id).unwrap();
        assert_eq!(report["requests"], 0);
        assert_eq!(report["otherOriginRequests"], 1);
        assert_eq!(
            report["otherOriginCredentialHeaders"],
            json!(["client_secret", "lean-app-token"])
        );
    }

    #[test]
    fn forgets_the_oldest_runs() {
        let runs = Runs::default();
        for _ in 0..MAX_RUNS + 1 {
            runs.start(vec![Entry::Drop].into());
        }
        assert!(runs.report("r1").is_none());
        assert!(runs.report("r2").is_some());
    }
}
