//! The scenario file as the server needs it: each scenario's name and the
//! script its run plays, one entry per request. Every entry is checked when
//! the file is read, so a mistake in the file stops the server at start-up
//! with the scenario and entry named, instead of surfacing as a puzzling
//! answer in five runners. The rest of a scenario (the call, the client,
//! the expected outcome) belongs to the runners.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

/// The largest body a script may send: scripts imitate API answers, not
/// bulk transfers.
const MAX_BODY: usize = 64 * 1024;
/// The longest pause between two dripped bytes.
const MAX_INTERVAL: Duration = Duration::from_secs(10);
/// The largest `Content-Length` a reset may announce.
const MAX_DECLARED_LENGTH: u64 = 1 << 30;

/// A status line, headers and body, with `{other}` and `{self}` still in
/// the header values and the body text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// Headers in the script's order, names as written.
    pub headers: Vec<(String, String)>,
    /// The body text: `bodyText` as is, or `body` as JSON.
    pub body: String,
}

/// What the server does with one request of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// Answers in full.
    Respond(Answer),
    /// Closes the connection without a byte of answer: the request was
    /// read whole, so it may have been applied.
    Drop,
    /// Sends the head (announcing `declared_length` body bytes) and the
    /// first `send_bytes` bytes of the body, then resets the connection.
    Reset {
        /// The status and headers of the head, and the body to cut.
        answer: Answer,
        /// The `Content-Length` announced.
        declared_length: u64,
        /// How many body bytes are sent before the reset.
        send_bytes: usize,
    },
    /// Sends the head, then the body one byte per `interval`.
    Drip {
        /// The whole answer.
        answer: Answer,
        /// The pause before each byte.
        interval: Duration,
    },
}

/// Every scenario's script, by name.
#[derive(Clone, Debug, Default)]
pub struct Scripts(HashMap<String, Arc<[Entry]>>);

impl Scripts {
    /// Reads the scenario file's text (`{"scenarios": [...]}`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let file: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        let list = file
            .get("scenarios")
            .and_then(Value::as_array)
            .ok_or("no \"scenarios\" array")?;
        let mut scripts = HashMap::new();
        for (i, scenario) in list.iter().enumerate() {
            let name = scenario
                .get("name")
                .and_then(Value::as_str)
                .filter(|n| !n.is_empty())
                .ok_or_else(|| format!("scenario #{i} has no name"))?;
            let script = scenario
                .get("script")
                .and_then(Value::as_array)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| {
                    format!("scenario {name:?}: \"script\" must be a non-empty array")
                })?;
            let entries = script
                .iter()
                .enumerate()
                .map(|(n, entry)| {
                    Entry::parse(entry)
                        .map_err(|e| format!("scenario {name:?}, script entry #{n}: {e}"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            if scripts.insert(name.to_owned(), entries.into()).is_some() {
                return Err(format!("scenario {name:?} is named twice"));
            }
        }
        Ok(Self(scripts))
    }

    /// The script of the scenario `name`.
    pub fn get(&self, name: &str) -> Option<Arc<[Entry]>> {
        self.0.get(name).cloned()
    }

    /// How many scenarios there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when the file held no scenario.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Entry {
    fn parse(entry: &Value) -> Result<Self, String> {
        let object = entry.as_object().ok_or("not an object")?;
        let known: &[&str] = match object.get("action").map(Value::as_str) {
            None => &["status", "headers", "body", "bodyText"],
            Some(Some("drop")) => &["action"],
            Some(Some("reset")) => &[
                "action",
                "status",
                "headers",
                "body",
                "bodyText",
                "declaredLength",
                "sendBytes",
            ],
            Some(Some("drip")) => &[
                "action",
                "status",
                "headers",
                "body",
                "bodyText",
                "intervalMs",
            ],
            Some(_) => {
                return Err(format!(
                    "unknown action {}: use drop, reset or drip, or none to respond",
                    object["action"]
                ))
            }
        };
        if let Some(unknown) = object.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(format!("unknown member {unknown:?}"));
        }
        let number = |name: &str| object.get(name).and_then(Value::as_u64);
        Ok(match object.get("action").and_then(Value::as_str) {
            None => Self::Respond(answer(entry)?),
            Some("drop") => Self::Drop,
            Some("reset") => {
                let answer = answer(entry)?;
                let declared_length = number("declaredLength")
                    .filter(|n| *n <= MAX_DECLARED_LENGTH)
                    .ok_or("declaredLength must be a number of bytes up to 1 GiB")?;
                let send_bytes = number("sendBytes")
                    .filter(|n| *n < declared_length)
                    .ok_or("sendBytes must be a number below declaredLength")?
                    as usize;
                Self::Reset {
                    answer,
                    declared_length,
                    send_bytes,
                }
            }
            Some(_) => {
                let interval = number("intervalMs")
                    .map(Duration::from_millis)
                    .filter(|d| *d <= MAX_INTERVAL)
                    .ok_or("intervalMs must be a number of milliseconds up to 10000")?;
                Self::Drip {
                    answer: answer(entry)?,
                    interval,
                }
            }
        })
    }
}

fn answer(entry: &Value) -> Result<Answer, String> {
    let status = entry
        .get("status")
        .and_then(Value::as_u64)
        .filter(|s| (100..=599).contains(s))
        .ok_or("status must be an HTTP status from 100 to 599")? as u16;
    let mut headers = Vec::new();
    if let Some(given) = entry.get("headers") {
        let given = given.as_object().ok_or("headers must be an object")?;
        for (name, value) in given {
            let value = value
                .as_str()
                .ok_or_else(|| format!("header {name:?} must be text"))?;
            let visible = |t: &str| t.bytes().all(|b| b == b' ' || b.is_ascii_graphic());
            if name.is_empty() || !visible(name) || name.contains([' ', ':']) || !visible(value) {
                return Err(format!("header {name:?} is not one line of visible ASCII"));
            }
            headers.push((name.clone(), value.to_owned()));
        }
    }
    let body = match (entry.get("body"), entry.get("bodyText")) {
        (Some(_), Some(_)) => return Err("give body or bodyText, not both".to_owned()),
        (Some(json), None) => json.to_string(),
        (None, Some(text)) => text.as_str().ok_or("bodyText must be text")?.to_owned(),
        (None, None) => String::new(),
    };
    if body.len() > MAX_BODY {
        return Err("the body is over 64 KiB".to_owned());
    }
    Ok(Answer {
        status,
        headers,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_kind_of_entry() {
        let scripts = Scripts::parse(
            r#"{"scenarios": [{"name": "a", "script": [
                {"status": 307, "headers": {"Location": "{other}/api/gig"}},
                {"action": "drop"},
                {"action": "reset", "status": 200, "declaredLength": 100, "sendBytes": 10},
                {"action": "drip", "status": 200, "body": {"gigId": "g1"}, "intervalMs": 5}
            ]}]}"#,
        )
        .unwrap();
        let script = scripts.get("a").unwrap();
        assert_eq!(script.len(), 4);
        assert_eq!(script[1], Entry::Drop);
        let Entry::Drip { answer, interval } = &script[3] else {
            panic!("{script:?}")
        };
        assert_eq!(answer.body, r#"{"gigId":"g1"}"#);
        assert_eq!(*interval, Duration::from_millis(5));
    }

    #[test]
    fn refuses_mistakes_by_name() {
        let refused = |script: &str| {
            let file = format!(r#"{{"scenarios": [{{"name": "s", "script": [{script}]}}]}}"#);
            Scripts::parse(&file).unwrap_err()
        };
        assert!(refused(r#"{"action": "explode"}"#).contains("unknown action"));
        assert!(refused(r#"{"status": 200, "bodytext": "x"}"#).contains("\"bodytext\""));
        assert!(refused(r#"{"status": 99}"#).contains("status"));
        assert!(refused(
            r#"{"action": "reset", "status": 200, "declaredLength": 5, "sendBytes": 5}"#
        )
        .contains("sendBytes"));
        assert!(refused(r#"{"status": 200, "headers": {"x": "a\nb"}}"#).contains("header"));
        assert!(
            refused(r#"{"action": "drip", "status": 200, "intervalMs": 60000}"#)
                .contains("intervalMs")
        );
        assert!(Scripts::parse(r#"{"scenarios": [{"name": "s", "script": []}]}"#).is_err());
    }
}
