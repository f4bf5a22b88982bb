//! What a call reports while it runs: the attempts it made ([`Attempt`],
//! kept for the result and every error) and the decisions it took
//! ([`Event`], drained by the host and written to its own logging).
//!
//! Both are built from what the engine decides, once, so every host logs
//! the same lines. Neither holds a credential, a token, a webhook secret or
//! a request or response body: an event names the operation, the method
//! and the URL path (never the origin's credentials or the query), statuses,
//! request ids, error codes, the caller's own ids and wire names of fields.

use std::fmt;
use std::time::Duration;

use serde_json::{Map, Value};

use super::TransportErrorKind;

/// How much an event matters, mapped by hosts to their logging levels:
/// `info` says what a call decided (a retry, a lookup, its outcome),
/// `debug` adds every request and answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// Every attempt and answer.
    Debug,
    /// Decisions and outcomes.
    Info,
}

impl Level {
    /// `"debug"` or `"info"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Debug => "debug",
            Self::Info => "info",
        }
    }
}

/// Which request of a call an attempt sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    /// The operation itself.
    Operation,
    /// The lookup of what an uncertain create made.
    Lookup,
}

impl Phase {
    /// `"operation"` or `"lookup"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Operation => "operation",
            Self::Lookup => "lookup",
        }
    }
}

/// One request a call handed to the host, and how it ended: what a user
/// quotes to Lean's support (its request id and status).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    /// 1 for the call's first request, counting lookups.
    pub number: u32,
    /// The operation, or the lookup after an uncertain create.
    pub phase: Phase,
    /// The answer's status; `None` when there was no answer.
    pub status: Option<u16>,
    /// The answer's request id header (`x-request-id`, `request-id` or
    /// `x-lean-request-id`), when it had one.
    pub request_id: Option<String>,
    /// How the attempt failed below HTTP, when it did.
    pub transport_error: Option<TransportErrorKind>,
    /// How long the attempt took, when the host measured it.
    pub elapsed: Option<Duration>,
}

impl Attempt {
    /// `{"attempt", "phase", "status"?, "requestId"?, "transportError"?,
    /// "elapsedMs"?}`: absent keys are unknown (an attempt with neither
    /// `status` nor `transportError` was in flight when the call was
    /// interrupted).
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert("attempt".into(), self.number.into());
        out.insert("phase".into(), self.phase.as_str().into());
        if let Some(status) = self.status {
            out.insert("status".into(), status.into());
        }
        if let Some(id) = &self.request_id {
            out.insert("requestId".into(), id.clone().into());
        }
        if let Some(kind) = self.transport_error {
            out.insert("transportError".into(), kind_name(kind).into());
        }
        if let Some(elapsed) = self.elapsed {
            out.insert("elapsedMs".into(), millis(elapsed).into());
        }
        Value::Object(out)
    }

    /// The attempts as a JSON array.
    pub fn list_json(attempts: &[Attempt]) -> Value {
        Value::Array(attempts.iter().map(Attempt::to_json).collect())
    }
}

/// Why a call sends a request again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetryReason {
    /// The last attempt was answered with a status worth retrying (408,
    /// 429, 5xx).
    Status(u16),
    /// The last attempt failed below HTTP.
    Transport(TransportErrorKind),
    /// A lookup found nothing under the caller's id after an uncertain
    /// create, so the create is sent again.
    NothingCreated,
}

/// Why a call looks up what a create made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LookupReason {
    /// An attempt may have been applied (its answer was lost, or was 408
    /// or 5xx).
    OutcomeUnknown,
    /// The API refused the create in a way that may mean the id exists
    /// (made by a lost attempt or an earlier run).
    Refused,
}

/// What a lookup found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LookupVerdict {
    /// The record shows every field sent, each equal: created once.
    Same,
    /// The record holds other values for these fields: a conflict.
    Differs(Vec<&'static str>),
    /// The record does not show these fields: the outcome stays unknown.
    Missing(Vec<&'static str>),
    /// No record under the caller's id.
    NotFound,
    /// The lookup could not complete (no readable answer within its
    /// retries).
    Unavailable,
}

/// Why the token policy fetches a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenFetchReason {
    /// No token yet, or the last one was forgotten after a 401.
    NoToken,
    /// The token is within its renewal margin of expiry.
    Renewal,
}

/// One decision of a call or of the open-banking token policy, in the
/// order taken. Hosts drain them (`take_events`) after each step and hand
/// them to their logging: [`Event::level`] for the level,
/// its `Display` (`to_string`) for the line, [`Event::to_json`] for structured
/// fields.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A request was handed to the host to send.
    AttemptSent {
        /// The operation's name (`createGig`, `getBalance`).
        operation: &'static str,
        /// The operation, or the lookup after an uncertain create.
        phase: Phase,
        /// The HTTP method.
        method: &'static str,
        /// The URL's path, without origin or query.
        path: String,
        /// The call's attempt number (1 for its first request).
        attempt: u32,
    },
    /// The host reported an answer.
    AnswerReceived {
        /// The attempt answered.
        attempt: u32,
        /// Its status.
        status: u16,
        /// Its request id header, if any.
        request_id: Option<String>,
        /// How long the attempt took, when the host measured it.
        elapsed: Option<Duration>,
    },
    /// The host reported that the attempt failed below HTTP.
    TransportFailed {
        /// The attempt that failed.
        attempt: u32,
        /// How it failed.
        kind: TransportErrorKind,
        /// How long the attempt took, when the host measured it.
        elapsed: Option<Duration>,
    },
    /// The call will send a request again after `delay`.
    RetryScheduled {
        /// What will be sent again.
        phase: Phase,
        /// Why.
        reason: RetryReason,
        /// How long the host waits first.
        delay: Duration,
        /// True when the delay is the server's `Retry-After`.
        retry_after: bool,
    },
    /// The call looks up what its create made before deciding.
    LookupStarted {
        /// Why.
        reason: LookupReason,
        /// The caller's ids looked up, by wire name.
        ids: Vec<(String, String)>,
    },
    /// What the lookup found.
    LookupFinished {
        /// The verdict.
        verdict: LookupVerdict,
    },
    /// The call is over.
    CallFinished {
        /// The operation's name.
        operation: &'static str,
        /// `None` on success, else the error's code.
        error_code: Option<&'static str>,
        /// True when the error leaves the outcome unknown.
        outcome_unknown: bool,
        /// Every attempt, in order.
        attempts: Vec<Attempt>,
    },
    /// The token policy starts fetching an OAuth token.
    TokenFetchStarted {
        /// The fetch's number within the policy.
        fetch: u64,
        /// Why.
        reason: TokenFetchReason,
    },
    /// A token was fetched; calls use it from now on.
    TokenFetched {
        /// The fetch's number.
        fetch: u64,
        /// How long the token is valid, as the token endpoint said.
        expires_in: Duration,
    },
    /// A token fetch failed; its callers get the error.
    TokenFetchFailed {
        /// The fetch's number.
        fetch: u64,
        /// The error's code.
        error_code: &'static str,
    },
    /// The API answered 401 to a call's token.
    TokenRejected {
        /// True when the call renews its token and is sent once more;
        /// false when it was already retried and fails.
        retry: bool,
    },
}

impl Event {
    /// The event's stable name, the `event` key of its JSON.
    pub fn name(&self) -> &'static str {
        match self {
            Self::AttemptSent { .. } => "attempt_sent",
            Self::AnswerReceived { .. } => "answer_received",
            Self::TransportFailed { .. } => "transport_failed",
            Self::RetryScheduled { .. } => "retry_scheduled",
            Self::LookupStarted { .. } => "lookup_started",
            Self::LookupFinished { .. } => "lookup_finished",
            Self::CallFinished { .. } => "call_finished",
            Self::TokenFetchStarted { .. } => "token_fetch_started",
            Self::TokenFetched { .. } => "token_fetched",
            Self::TokenFetchFailed { .. } => "token_fetch_failed",
            Self::TokenRejected { .. } => "token_rejected",
        }
    }

    /// `debug` for requests and answers, `info` for decisions.
    pub fn level(&self) -> Level {
        match self {
            Self::AttemptSent { .. }
            | Self::AnswerReceived { .. }
            | Self::TransportFailed { .. }
            | Self::TokenFetchStarted { .. } => Level::Debug,
            _ => Level::Info,
        }
    }

    /// The event as one JSON object: `event` (its name), `level`,
    /// `message` (the line [`fmt::Display`] writes), then its fields in
    /// camelCase (see the engine module's documentation for each event's
    /// keys). Durations are whole milliseconds (`delayMs`, `elapsedMs`,
    /// `expiresInMs`).
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert("event".into(), self.name().into());
        out.insert("level".into(), self.level().as_str().into());
        let mut message = String::new();
        let mut fields = Map::new();
        // Writing to a `String` cannot fail.
        let _ = self.describe(&mut message, &mut |key, value| {
            fields.insert(key.to_owned(), value);
        });
        out.insert("message".into(), message.into());
        out.extend(fields);
        Value::Object(out)
    }

    /// Writes the log line to `line` and hands each JSON field to `put`,
    /// from one arm per event so that the two always tell the same story.
    fn describe(
        &self,
        line: &mut dyn fmt::Write,
        put: &mut dyn FnMut(&'static str, Value),
    ) -> fmt::Result {
        match self {
            Self::AttemptSent {
                operation,
                phase,
                method,
                path,
                attempt,
            } => {
                put("operation", (*operation).into());
                put("phase", phase.as_str().into());
                put("method", (*method).into());
                put("path", path.clone().into());
                put("attempt", (*attempt).into());
                let what = match phase {
                    Phase::Operation => "",
                    Phase::Lookup => " (lookup)",
                };
                write!(
                    line,
                    "{operation}{what}: attempt {attempt}: {method} {path}"
                )
            }
            Self::AnswerReceived {
                attempt,
                status,
                request_id,
                elapsed,
            } => {
                put("attempt", (*attempt).into());
                put("status", (*status).into());
                write!(line, "attempt {attempt}: answered {status}")?;
                if let Some(id) = request_id {
                    put("requestId", id.clone().into());
                    write!(line, ", request id {id}")?;
                }
                if let Some(elapsed) = elapsed {
                    put("elapsedMs", millis(*elapsed).into());
                    write!(line, ", in {} ms", millis(*elapsed))?;
                }
                Ok(())
            }
            Self::TransportFailed {
                attempt,
                kind,
                elapsed,
            } => {
                put("attempt", (*attempt).into());
                put("kind", kind_name(*kind).into());
                write!(line, "attempt {attempt}: no answer ({})", kind_name(*kind))?;
                if let Some(elapsed) = elapsed {
                    put("elapsedMs", millis(*elapsed).into());
                    write!(line, ", after {} ms", millis(*elapsed))?;
                }
                Ok(())
            }
            Self::RetryScheduled {
                phase,
                reason,
                delay,
                retry_after,
            } => {
                put("phase", phase.as_str().into());
                match reason {
                    RetryReason::Status(status) => {
                        put("reason", "status".into());
                        put("status", (*status).into());
                    }
                    RetryReason::Transport(kind) => put("reason", kind_name(*kind).into()),
                    RetryReason::NothingCreated => put("reason", "nothing_created".into()),
                }
                put("delayMs", millis(*delay).into());
                put("retryAfter", (*retry_after).into());
                let what = match phase {
                    Phase::Operation => "sending again",
                    Phase::Lookup => "looking up again",
                };
                let source = if *retry_after { " (Retry-After)" } else { "" };
                write!(line, "{what} in {} ms{source}: ", millis(*delay))?;
                match reason {
                    RetryReason::Status(status) => write!(line, "after {status}"),
                    RetryReason::Transport(kind) => write!(line, "after {}", kind_name(*kind)),
                    RetryReason::NothingCreated => line.write_str("the lookup found nothing"),
                }
            }
            Self::LookupStarted { reason, ids } => {
                let (name, why) = match reason {
                    LookupReason::OutcomeUnknown => {
                        ("outcome_unknown", "the last attempt may have been applied")
                    }
                    LookupReason::Refused => (
                        "refused",
                        "the API refused it, and the id may exist already",
                    ),
                };
                put("reason", name.into());
                put("ids", ids_json(ids));
                line.write_str("looking up")?;
                for (i, (name, id)) in ids.iter().enumerate() {
                    let and = if i > 0 { " and" } else { "" };
                    write!(line, "{and} {name} {id:?}")?;
                }
                write!(line, ": {why}")
            }
            Self::LookupFinished { verdict } => {
                let (name, fields) = verdict_parts(verdict);
                put("verdict", name.into());
                match fields {
                    Some(fields) => {
                        put(
                            "fields",
                            Value::Array(fields.iter().map(|f| (*f).into()).collect()),
                        );
                        write!(line, "lookup: {name} ({})", fields.join(", "))
                    }
                    None => write!(line, "lookup: {name}"),
                }
            }
            Self::CallFinished {
                operation,
                error_code,
                outcome_unknown,
                attempts,
            } => {
                put("operation", (*operation).into());
                put("ok", error_code.is_none().into());
                match error_code {
                    None => write!(line, "{operation}: done")?,
                    Some(code) => {
                        put("code", (*code).into());
                        put("outcomeUnknown", (*outcome_unknown).into());
                        let unknown = if *outcome_unknown {
                            ", outcome unknown"
                        } else {
                            ""
                        };
                        write!(line, "{operation}: failed ({code}{unknown})")?;
                    }
                }
                put("attempts", Attempt::list_json(attempts));
                write!(line, " after {} attempt(s)", attempts.len())?;
                let ids: Vec<&str> = attempts
                    .iter()
                    .filter_map(|a| a.request_id.as_deref())
                    .collect();
                if !ids.is_empty() {
                    write!(line, "; request ids {}", ids.join(", "))?;
                }
                Ok(())
            }
            Self::TokenFetchStarted { fetch, reason } => {
                put("fetch", (*fetch).into());
                let (name, what) = match reason {
                    TokenFetchReason::NoToken => ("no_token", "fetching an OAuth token"),
                    TokenFetchReason::Renewal => {
                        ("renewal", "renewing the OAuth token before it expires")
                    }
                };
                put("reason", name.into());
                write!(line, "{what} (fetch {fetch})")
            }
            Self::TokenFetched { fetch, expires_in } => {
                put("fetch", (*fetch).into());
                put("expiresInMs", millis(*expires_in).into());
                write!(
                    line,
                    "OAuth token fetched (fetch {fetch}), valid for {} s",
                    expires_in.as_secs()
                )
            }
            Self::TokenFetchFailed { fetch, error_code } => {
                put("fetch", (*fetch).into());
                put("code", (*error_code).into());
                write!(line, "OAuth token fetch {fetch} failed ({error_code})")
            }
            Self::TokenRejected { retry } => {
                put("retry", (*retry).into());
                line.write_str(if *retry {
                    "the API refused the token (401): renewing it and sending once more"
                } else {
                    "the API refused the renewed token too (401)"
                })
            }
        }
    }
}

/// The log line: short, and free of anything secret, like the JSON.
impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.describe(f, &mut |_, _| {})
    }
}

fn kind_name(kind: TransportErrorKind) -> &'static str {
    match kind {
        TransportErrorKind::Connect => "connect",
        TransportErrorKind::Timeout => "timeout",
        TransportErrorKind::Other => "other",
    }
}

fn verdict_parts(verdict: &LookupVerdict) -> (&'static str, Option<&[&'static str]>) {
    match verdict {
        LookupVerdict::Same => ("same", None),
        LookupVerdict::Differs(fields) => ("differs", Some(fields)),
        LookupVerdict::Missing(fields) => ("missing", Some(fields)),
        LookupVerdict::NotFound => ("not_found", None),
        LookupVerdict::Unavailable => ("unavailable", None),
    }
}

fn ids_json(ids: &[(String, String)]) -> Value {
    Value::Object(
        ids.iter()
            .map(|(name, id)| (name.clone(), Value::String(id.clone())))
            .collect(),
    )
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// The path of a request URL, without origin, query or fragment: query
/// values may carry what a log should not.
pub(crate) fn url_path(url: &str) -> String {
    let after_scheme = url.find("://").map_or(url, |i| &url[i + 3..]);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    let end = path.find(['?', '#']).unwrap_or(path.len());
    path[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_lose_origin_and_query() {
        assert_eq!(
            url_path("https://sandbox.leantech.me/customers/v1?page_number=2"),
            "/customers/v1"
        );
        assert_eq!(
            url_path("http://127.0.0.1:9/api/gig/g%201#x"),
            "/api/gig/g%201"
        );
        assert_eq!(url_path("https://example.com"), "/");
    }

    #[test]
    fn every_event_has_its_name_level_and_message_in_json() {
        let event = Event::RetryScheduled {
            phase: Phase::Operation,
            reason: RetryReason::Status(503),
            delay: Duration::from_millis(1500),
            retry_after: false,
        };
        let json = event.to_json();
        assert_eq!(json["event"], "retry_scheduled");
        assert_eq!(json["level"], "info");
        assert_eq!(json["status"], 503);
        assert_eq!(json["delayMs"], 1500);
        assert_eq!(json["message"], "sending again in 1500 ms: after 503");
    }
}
