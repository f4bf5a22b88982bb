//! Helpers for Rust programs that drive the sandbox: start the binary and
//! read its URL (the start-up contract), run a core [`Call`] over a real
//! HTTP client, and receive webhooks on a loopback port. The end-to-end
//! tests and the demo use them; other hosts follow the same contract with
//! their own tools.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use lean_core::{
    Call, Config, Drive, Error, HttpRequest, HttpResponse, Method, Operation, Outcome, Step,
    TransportError,
};

/// A running `lean-sandbox serve` process, stopped when dropped.
pub struct SandboxProcess {
    child: Child,
    url: String,
    mtls_url: Option<String>,
}

impl SandboxProcess {
    /// Starts `binary serve ARGS...` and waits for its `listening on` line
    /// (and, with `--tls-port`, the `listening (mTLS) on` line after it).
    pub fn start(binary: &Path, args: &[&str]) -> Result<Self, String> {
        let mut child = Command::new(binary)
            .arg("serve")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut lines = BufReader::new(stdout);
        let mut first = String::new();
        let read = lines.read_line(&mut first);
        let Some(url) = first.trim().strip_prefix("listening on ") else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "the sandbox did not announce its URL (read {first:?}, {read:?})"
            ));
        };
        let url = url.to_owned();
        let mut mtls_url = None;
        if args.contains(&"--tls-port") {
            let mut second = String::new();
            let read = lines.read_line(&mut second);
            match second.trim().strip_prefix("listening (mTLS) on ") {
                Some(u) => mtls_url = Some(u.to_owned()),
                None => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(format!(
                        "the sandbox did not announce its mTLS URL (read {second:?}, {read:?})"
                    ));
                }
            }
        }
        // Keep draining stdout so the child can never block on it.
        std::thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = lines.read_to_end(&mut sink);
        });
        Ok(Self {
            child,
            url,
            mtls_url,
        })
    }

    /// `https://127.0.0.1:PORT` of the mTLS listener, when started with
    /// `--tls-port`.
    pub fn mtls_url(&self) -> Option<&str> {
        self.mtls_url.as_deref()
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The API base URL for the SDK: the URL plus `/api`.
    pub fn base_url(&self) -> String {
        format!("{}/api", self.url)
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kills the process at once (SIGKILL), as a crash would.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Registers a webhook receiver through the admin endpoint.
    pub fn register_webhook(&self, url: &str) -> Result<(), String> {
        self.admin_post("webhooks", &serde_json::json!({ "url": url }))
            .map(|_| ())
    }

    /// Registers an open-banking webhook receiver.
    pub fn register_openbanking_webhook(&self, url: &str) -> Result<(), String> {
        let body = serde_json::json!({ "url": url, "product": "openbanking" });
        self.admin_post("webhooks", &body).map(|_| ())
    }

    /// Connects a bank for an open-banking customer, as the Link SDK would:
    /// the entity, with its `accounts`.
    pub fn connect_bank(&self, customer_id: &str) -> Result<serde_json::Value, String> {
        let path = format!("openbanking/customers/{customer_id}/entities");
        self.admin_post(&path, &serde_json::json!({}))
    }

    /// Pays an open-banking payment intent as its customer would in the
    /// Link SDK; answers the payment, settled after the settlement delay.
    pub fn pay_intent(&self, payment_intent_id: &str) -> Result<serde_json::Value, String> {
        let path = format!("openbanking/intents/{payment_intent_id}/pay");
        self.admin_post(&path, &serde_json::json!({}))
    }

    fn admin_post(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<serde_json::Value, String> {
        let mut response = agent()
            .post(format!("{}/_sandbox/{path}", self.url))
            .header("content-type", "application/json")
            .send(body.to_string().as_bytes())
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let text = response
            .body_mut()
            .read_to_string()
            .map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!("POST /_sandbox/{path} answered {status}: {text}"));
        }
        serde_json::from_str(&text).map_err(|e| e.to_string())
    }

    /// `GET /_sandbox/webhooks`: outbox counts and registered URLs.
    pub fn webhook_status(&self) -> Result<serde_json::Value, String> {
        let mut response = agent()
            .get(format!("{}/_sandbox/webhooks", self.url))
            .call()
            .map_err(|e| e.to_string())?;
        let body = response
            .body_mut()
            .read_to_vec()
            .map_err(|e| e.to_string())?;
        serde_json::from_slice(&body).map_err(|e| e.to_string())
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The sandbox binary next to the running program: `target/debug/` for a
/// test or example (examples live one directory below), or
/// `LEAN_SANDBOX_BIN`.
pub fn sandbox_binary() -> PathBuf {
    if let Ok(path) = std::env::var("LEAN_SANDBOX_BIN") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().unwrap_or_default();
    let mut dir = exe.parent().map(Path::to_path_buf).unwrap_or_default();
    if dir.ends_with("examples") || dir.ends_with("deps") {
        dir.pop();
    }
    dir.join("lean-sandbox")
}

/// A blocking HTTP client that reports every status as a response (the
/// core decides what a status means, a redirect included: it is never
/// followed, so credentials never leave the configured origin) and ignores
/// proxy settings (the sandbox is on loopback).
pub fn agent() -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .proxy(None)
            .timeout_global(Some(Duration::from_secs(10)))
            .build(),
    )
}

/// Sends one request built by the core and reads the whole answer.
pub fn send(agent: &ureq::Agent, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
    let result = match (request.method, &request.body) {
        (Method::Get, _) => {
            let mut builder = agent.get(&request.url);
            for (name, value) in &request.headers {
                builder = builder.header(name, value);
            }
            builder.call()
        }
        (method, body) => {
            let mut builder = match method {
                Method::Patch => agent.patch(&request.url),
                _ => agent.post(&request.url),
            };
            for (name, value) in &request.headers {
                builder = builder.header(name, value);
            }
            builder.send(body.as_deref().unwrap_or_default().as_bytes())
        }
    };
    let mut response = result.map_err(transport_error)?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                v.to_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let body = response.body_mut().read_to_vec().map_err(transport_error)?;
    Ok(HttpResponse::new(status, headers, body))
}

fn transport_error(e: ureq::Error) -> TransportError {
    let message = e.to_string();
    match e {
        ureq::Error::ConnectionFailed | ureq::Error::HostNotFound => {
            TransportError::connect(message)
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            TransportError::connect(message)
        }
        ureq::Error::Timeout(_) => TransportError::timeout(message),
        _ => TransportError::other(message),
    }
}

/// Drives `operation` to its end: the whole transport loop of a host.
pub fn execute(
    agent: &ureq::Agent,
    config: &Config,
    operation: Operation,
) -> Result<Outcome, Error> {
    drive(agent, Call::new(config, operation, entropy()?)?)
}

/// Drives an open-banking `operation` to its end with the core's engine
/// (retries, lookups), authenticated with `auth`.
pub fn execute_openbanking(
    agent: &ureq::Agent,
    config: &lean_core::openbanking::Config,
    auth: &lean_core::openbanking::Auth,
    operation: lean_core::openbanking::Operation,
) -> Result<lean_core::openbanking::Outcome, Error> {
    let call = lean_core::openbanking::Call::new(config, auth, operation, entropy()?);
    drive(agent, call)
}

/// The whole transport loop of a host, the same for both APIs' calls:
/// send what the call asks, feed back the answer or the transport
/// failure, wait when it says, until it is done.
pub fn drive<C: Drive>(agent: &ureq::Agent, mut call: C) -> Result<C::Outcome, Error> {
    loop {
        match call.poll() {
            Step::Send(request) => match send(agent, &request) {
                Ok(response) => call.on_response(response),
                Err(error) => call.on_transport_error(error),
            },
            Step::Wait(delay) => std::thread::sleep(delay),
            Step::Done(result) => return result,
        }
    }
}

/// The 32 random bytes a call starts from.
fn entropy() -> Result<[u8; 32], Error> {
    let mut entropy = [0u8; 32];
    getrandom::fill(&mut entropy)
        .map_err(|e| Error::transport(format!("no randomness from the operating system: {e}")))?;
    Ok(entropy)
}

/// One webhook as received.
#[derive(Clone, Debug)]
pub struct Delivery {
    /// Header names (lower case) and values.
    pub headers: Vec<(String, String)>,
    /// The raw body, exactly as sent.
    pub body: Vec<u8>,
}

impl Delivery {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Inbox {
    deliveries: Vec<Delivery>,
    /// Requests still to refuse with a 500, to exercise retries.
    refuse: usize,
}

/// A minimal HTTP/1.1 receiver on 127.0.0.1 that records every POST and
/// answers 200 (or 500 while told to refuse).
pub struct WebhookReceiver {
    url: String,
    inbox: Arc<(Mutex<Inbox>, Condvar)>,
}

impl WebhookReceiver {
    /// Listens on a free loopback port, at path `/webhooks`.
    pub fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let url = format!("http://{}/webhooks", listener.local_addr()?);
        let inbox: Arc<(Mutex<Inbox>, Condvar)> = Arc::default();
        let shared = inbox.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = shared.clone();
                std::thread::spawn(move || {
                    let _ = serve_one(stream, &shared);
                });
            }
        });
        Ok(Self { url, inbox })
    }

    /// Where the sandbox should send webhooks.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Answers the next `n` webhooks with 500.
    pub fn refuse_next(&self, n: usize) {
        self.inbox
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .refuse = n;
    }

    /// Every delivery accepted so far.
    pub fn deliveries(&self) -> Vec<Delivery> {
        let inbox = self.inbox.0.lock().unwrap_or_else(|p| p.into_inner());
        inbox.deliveries.clone()
    }

    /// Waits until `done` holds for the accepted deliveries, or `timeout`.
    pub fn wait_until(&self, timeout: Duration, done: impl Fn(&[Delivery]) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        let (lock, signal) = &*self.inbox;
        let mut inbox = lock.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if done(&inbox.deliveries) {
                return true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            inbox = signal
                .wait_timeout(inbox, left)
                .map(|(g, _)| g)
                .unwrap_or_else(|p| p.into_inner().0);
        }
    }
}

fn serve_one(stream: TcpStream, inbox: &(Mutex<Inbox>, Condvar)) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut stream = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut headers = Vec::new();
        loop {
            let mut header = String::new();
            reader.read_line(&mut header)?;
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((n, v)) = header.split_once(':') {
                headers.push((n.trim().to_ascii_lowercase(), v.trim().to_owned()));
            }
        }
        let length = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .and_then(|(_, v)| v.parse::<usize>().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        let accepted = {
            let (lock, signal) = inbox;
            let mut inbox = lock.lock().unwrap_or_else(|p| p.into_inner());
            if inbox.refuse > 0 {
                inbox.refuse -= 1;
                false
            } else {
                inbox.deliveries.push(Delivery { headers, body });
                signal.notify_all();
                true
            }
        };
        let status = if accepted {
            "200 OK"
        } else {
            "500 Internal Server Error"
        };
        write!(stream, "HTTP/1.1 {status}\r\ncontent-length: 0\r\n\r\n")?;
        stream.flush()?;
    }
}
