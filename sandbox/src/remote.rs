//! `lean-sandbox events` and `lean-sandbox resend`: the admin routes of a
//! running sandbox, from the command line.

use std::time::Duration;

use serde_json::Value;

fn agent() -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .proxy(None)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(10)))
            .build(),
    )
}

/// The answer of one admin call: its JSON, or what went wrong.
fn answer(
    result: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    url: &str,
) -> Result<Value, String> {
    let mut response = result.map_err(|e| format!("cannot reach the sandbox at {url}: {e}"))?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .read_to_string()
        .map_err(|e| format!("cannot read the sandbox's answer: {e}"))?;
    let json: Value = serde_json::from_str(&body)
        .map_err(|_| format!("{url} answered {status} with no JSON: is it a lean-sandbox?"))?;
    if status == 200 {
        Ok(json)
    } else {
        let message = json["message"].as_str().unwrap_or(&body).to_owned();
        Err(format!("the sandbox answered {status}: {message}"))
    }
}

/// `GET /_sandbox/events`.
pub fn events(base: &str) -> Result<Value, String> {
    let url = format!("{}/_sandbox/events", base.trim_end_matches('/'));
    answer(agent().get(&url).call(), &url)
}

/// `POST /_sandbox/events/{id}/resend`.
pub fn resend(base: &str, id: i64) -> Result<Value, String> {
    let url = format!("{}/_sandbox/events/{id}/resend", base.trim_end_matches('/'));
    answer(agent().post(&url).send_empty(), &url)
}

/// One line per delivery, for people.
pub fn describe_delivery(d: &Value) -> String {
    let text = |key: &str| d[key].as_str().unwrap_or("-").to_owned();
    let status = d["last_status"]
        .as_i64()
        .map_or_else(|| "-".to_owned(), |s| s.to_string());
    let next = match d["next_retry_at"].as_str() {
        Some(at) => format!(", next retry {at}"),
        None => String::new(),
    };
    let error = match d["last_error"].as_str() {
        Some(e) => format!(" ({e})"),
        None => String::new(),
    };
    format!(
        "#{} {} {} -> {}: {}, {} attempts, last status {status}{next}{error}",
        d["id"],
        text("product"),
        text("event"),
        text("url"),
        text("state"),
        d["attempts"],
    )
}
