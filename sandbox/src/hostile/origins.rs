//! The two listeners' connections. The main origin serves the control
//! routes and plays each run's script; the other origin only counts what
//! reaches it, since a well-behaved client never gets there.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::net::TcpStream;

use super::http::{self, ReadError, Request};
use super::play::{self, Places};
use super::runs::Runs;
use super::script::Scripts;

/// How long a connection may stay idle or take to send one request.
const IDLE: Duration = Duration::from_secs(10);

/// What every connection shares.
#[derive(Debug)]
pub struct Shared {
    /// The scenarios' scripts.
    pub scripts: Scripts,
    /// The runs so far.
    pub runs: Runs,
    /// `http://127.0.0.1:P`.
    pub main_url: String,
    /// `http://127.0.0.1:Q`.
    pub other_url: String,
    /// No log lines.
    pub quiet: bool,
}

impl Shared {
    fn log(&self, line: std::fmt::Arguments<'_>) {
        if !self.quiet {
            eprintln!("hostile: {line}");
        }
    }
}

/// Serves one connection to the main origin until it closes, a script
/// entry ends it, or it idles.
pub async fn main_origin(mut stream: TcpStream, shared: Arc<Shared>) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = next_request(&mut stream, &mut buffer).await else {
            return;
        };
        let keep_open = if request.target.starts_with("/_hostile/") {
            let (status, body) = control(&shared, &request);
            reply(&mut stream, status, &body, request.close).await
        } else {
            run_request(&mut stream, &shared, &request).await
        };
        if !keep_open || request.close {
            return;
        }
    }
}

/// Serves one connection to the other origin: every request is counted
/// against its run (the first path segment) and answered 200.
pub async fn other_origin(mut stream: TcpStream, shared: Arc<Shared>) {
    let mut buffer = Vec::new();
    while let Some(request) = next_request(&mut stream, &mut buffer).await {
        let (run, _) = split_run(&request.target);
        let (status, message) = if shared.runs.other_origin(run, &request) {
            shared.log(format_args!(
                "{run} reached the OTHER origin: {} {}",
                request.method, request.target
            ));
            (
                200,
                "the other origin: the client followed a redirect here, which it must never do",
            )
        } else {
            (404, "the other origin: no such run")
        };
        let body = json!({ "message": message });
        if !reply(&mut stream, status, &body, request.close).await || request.close {
            return;
        }
    }
}

async fn next_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Request> {
    match tokio::time::timeout(IDLE, http::read_request(stream, buffer)).await {
        Ok(Ok(request)) => Some(request),
        Ok(Err(ReadError::Refused(status, message))) => {
            reply(stream, status, &json!({ "message": message }), true).await;
            None
        }
        Ok(Err(ReadError::Closed | ReadError::Io(_))) | Err(_) => None,
    }
}

/// Writes a JSON answer; false when the connection failed.
async fn reply(stream: &mut TcpStream, status: u16, body: &Value, close: bool) -> bool {
    let body = body.to_string();
    http::answer(stream, status, &[], body.as_bytes(), close)
        .await
        .is_ok()
}

/// `POST /_hostile/runs` and `GET /_hostile/runs/RUN`.
fn control(shared: &Shared, request: &Request) -> (u16, Value) {
    let path = request.target.split('?').next().unwrap_or_default();
    let message = |text: String| json!({ "message": text });
    match (request.method.as_str(), path.strip_prefix("/_hostile/runs")) {
        ("POST", Some("")) => {
            let Some(name) = serde_json::from_slice::<Value>(&request.body)
                .ok()
                .and_then(|body| body.get("scenario")?.as_str().map(str::to_owned))
            else {
                return (400, message("send {\"scenario\": NAME}".to_owned()));
            };
            let Some(script) = shared.scripts.get(&name) else {
                return (
                    404,
                    message(format!("no scenario named {name:?} in the scenario file")),
                );
            };
            let id = shared.runs.start(script);
            shared.log(format_args!("{id} runs {name}"));
            (
                200,
                json!({ "id": id, "baseUrl": format!("{}/{id}", shared.main_url) }),
            )
        }
        ("GET", Some(rest)) if rest.len() > 1 && rest.starts_with('/') => {
            match shared.runs.report(&rest[1..]) {
                Some(report) => (200, report),
                None => (404, message(format!("no run {:?}", &rest[1..]))),
            }
        }
        _ => (
            404,
            message(
                "the control routes are POST /_hostile/runs and GET /_hostile/runs/RUN".to_owned(),
            ),
        ),
    }
}

/// `/RUN/rest` into the run id and the target below its base URL.
fn split_run(target: &str) -> (&str, String) {
    let rest = target.strip_prefix('/').unwrap_or(target);
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let below = &rest[end..];
    let below = if below.starts_with('/') {
        below.to_owned()
    } else {
        format!("/{below}")
    };
    (&rest[..end], below)
}

/// Plays the run's next script entry; false when the entry ended the
/// connection.
async fn run_request(stream: &mut TcpStream, shared: &Shared, request: &Request) -> bool {
    let (run, path) = split_run(&request.target);
    let Some(entry) = shared.runs.take(run, request, &path) else {
        let text = "no such run: start one with POST /_hostile/runs";
        return reply(stream, 404, &json!({ "message": text }), request.close).await;
    };
    shared.log(format_args!(
        "{run} {} {path} -> {}",
        request.method,
        play::describe(&entry)
    ));
    let places = Places {
        this: format!("{}/{run}", shared.main_url),
        other: format!("{}/{run}", shared.other_url),
    };
    play::play(stream, &entry, &places, request.close).await
}

#[cfg(test)]
mod tests {
    use super::split_run;

    #[test]
    fn a_target_is_its_run_and_the_path_below() {
        assert_eq!(
            split_run("/r1/api/gig/g1"),
            ("r1", "/api/gig/g1".to_owned())
        );
        assert_eq!(split_run("/r2?x=1"), ("r2", "/?x=1".to_owned()));
        assert_eq!(split_run("/r3"), ("r3", "/".to_owned()));
        assert_eq!(split_run("/r4/"), ("r4", "/".to_owned()));
    }
}
