//! `lean-sandbox trigger EVENT --to URL` and `POST /_sandbox/trigger`:
//! one webhook of any event type the core knows, sent now to a handler
//! under test, without scripting the flow that would cause it. The body is
//! built from the core's own models and signed exactly as Lean signs it;
//! the answer says what the receiver said and whether Lean would count the
//! webhook delivered.
//!
//! Like the outbox, a trigger goes to loopback receivers only and never
//! follows a redirect.

use std::time::Instant;

use lean_core::openbanking::webhooks as ob;
use lean_core::{
    Amount, Customer, CustomerStatus, EventData, EventType, Gig, PaymentStatus, SpecialPayment,
    SpecialPaymentType, WebhookEvent, WebhookSecret,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::clock::{iso, now_ms};
use crate::openbanking::execution;

/// Which API an event belongs to: it decides the envelope, the signature
/// and what counts as delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Product {
    /// `{"event", "data"}`, `x-lean-signature` (HMAC-SHA1, base64), any 2xx.
    Payouts,
    /// `{"type", "payload", ...}`, `lean-signature: sha512=`, exactly 200.
    Openbanking,
}

/// Every event type `trigger` can send, with its product: the ones the
/// core types.
pub fn event_types() -> Vec<(&'static str, Product)> {
    let payouts = EventType::KNOWN
        .iter()
        .map(|e| (e.as_str(), Product::Payouts));
    let openbanking = ob::EventType::KNOWN
        .iter()
        .map(|e| (e.as_str(), Product::Openbanking));
    payouts.chain(openbanking).collect()
}

/// One trigger: what to send, where, and how to sign it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// The event type, such as `gig.completed` or `payment.updated`.
    pub event: String,
    /// The receiver (loopback `http://` only).
    pub to: String,
    /// Fields merged into the event's object (`data` for payouts,
    /// `payload` for open banking); `null` removes a field.
    #[serde(default)]
    pub data: Option<Value>,
    /// How many more times to send the very same body and signature.
    #[serde(default)]
    pub replay: u32,
    /// Sign with a wrong key, so the handler must refuse it.
    #[serde(default)]
    pub bad_signature: bool,
    /// Send no signature header at all.
    #[serde(default)]
    pub unsigned: bool,
    /// The signing key, instead of the configured one.
    #[serde(default)]
    pub secret: Option<String>,
}

/// The most replays of one trigger: enough for any deduplication test.
pub const MAX_REPLAY: u32 = 100;

/// What one request got.
#[derive(Clone, Debug, Serialize)]
pub struct Attempt {
    /// The receiver's status, when it answered.
    pub status: Option<u16>,
    /// Milliseconds from sending to the end of the answer.
    pub latency_ms: f64,
    /// Whether Lean would count this answer as a delivery.
    pub delivered: bool,
    /// Why it would not, when it would not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What a trigger sent and what came back.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The event type.
    pub event: String,
    /// Its API.
    pub product: Product,
    /// The receiver.
    pub to: String,
    /// The header the signature went in, and its value (absent when
    /// unsigned).
    pub signature_header: &'static str,
    /// The signature sent, if any.
    pub signature: Option<String>,
    /// The body, exactly as sent.
    pub body: Value,
    /// One per request: the first, then each replay.
    pub attempts: Vec<Attempt>,
}

/// The configured signing keys, from `serve`'s settings or `trigger`'s
/// flags.
#[derive(Clone)]
pub struct Keys {
    /// The payouts key (the webhook secret, or the first API key).
    pub payouts: String,
    /// The open-banking webhook secret.
    pub openbanking: String,
}

/// Checks a trigger before anything is sent; the message names the field.
pub fn check(trigger: &Trigger) -> Result<Product, (&'static str, String)> {
    let product = event_types()
        .into_iter()
        .find(|(name, _)| *name == trigger.event)
        .map(|(_, product)| product)
        .ok_or_else(|| {
            let names: Vec<&str> = event_types().into_iter().map(|(n, _)| n).collect();
            (
                "event",
                format!(
                    "unknown event {:?}: one of {}",
                    trigger.event,
                    names.join(", ")
                ),
            )
        })?;
    crate::settings::check_webhook_url(&trigger.to).map_err(|e| ("to", e))?;
    if trigger.replay > MAX_REPLAY {
        return Err(("replay", format!("at most {MAX_REPLAY}")));
    }
    if trigger.bad_signature && trigger.unsigned {
        return Err((
            "unsigned",
            "choose a bad signature or none, not both".to_owned(),
        ));
    }
    if trigger.secret.as_deref() == Some("") {
        return Err(("secret", "is empty".to_owned()));
    }
    if !matches!(trigger.data, None | Some(Value::Object(_))) {
        return Err((
            "data",
            "must be a JSON object of fields to override".to_owned(),
        ));
    }
    Ok(product)
}

/// Sends the trigger (and its replays) and reports every answer.
pub fn send(trigger: &Trigger, keys: &Keys) -> Result<Report, (&'static str, String)> {
    let product = check(trigger)?;
    let now = now_ms();
    let body = envelope(&trigger.event, product, trigger.data.as_ref(), now).to_string();
    let key = trigger.secret.clone().unwrap_or_else(|| match product {
        Product::Payouts => keys.payouts.clone(),
        Product::Openbanking => keys.openbanking.clone(),
    });
    let key = if trigger.bad_signature {
        format!("{key}-not-the-secret")
    } else {
        key
    };
    let secret = WebhookSecret::from(key.as_str());
    let (signature_header, signature) = match product {
        Product::Payouts => (
            lean_core::webhooks::SIGNATURE_HEADER,
            lean_core::webhooks::sign(&secret, body.as_bytes()),
        ),
        Product::Openbanking => (ob::SIGNATURE_HEADER, ob::sign(&secret, body.as_bytes())),
    };
    let signature = (!trigger.unsigned).then_some(signature);
    let agent = crate::outbox::delivery_agent(match product {
        Product::Payouts => crate::outbox::PAYOUTS_ANSWER_TIMEOUT,
        Product::Openbanking => crate::openbanking::webhooks::ANSWER_TIMEOUT,
    });
    let attempts = (0..=trigger.replay)
        .map(|_| {
            let mut request = agent
                .post(&trigger.to)
                .header("content-type", "application/json");
            if product == Product::Payouts {
                request = request.header("x-lean-event", &trigger.event);
            }
            if let Some(signature) = &signature {
                request = request.header(signature_header, signature);
            }
            let started = Instant::now();
            let result = request.send(body.as_bytes());
            let answer = result.map(|mut response| {
                let _ = response.body_mut().read_to_vec();
                let location = response
                    .headers()
                    .get("location")
                    .map(|l| String::from_utf8_lossy(l.as_bytes()).into_owned());
                (response.status().as_u16(), location)
            });
            let latency_ms = (started.elapsed().as_secs_f64() * 10_000.0).round() / 10.0;
            attempt(product, answer.map_err(|e| e.to_string()), latency_ms)
        })
        .collect();
    Ok(Report {
        event: trigger.event.clone(),
        product,
        to: trigger.to.clone(),
        signature_header,
        signature,
        body: serde_json::from_str(&body).unwrap_or(Value::Null),
        attempts,
    })
}

/// Whether Lean would count an answer delivered, and why not.
fn attempt(
    product: Product,
    answer: Result<(u16, Option<String>), String>,
    latency_ms: f64,
) -> Attempt {
    let (status, location) = match answer {
        Ok(answer) => answer,
        Err(error) => {
            return Attempt {
                status: None,
                latency_ms,
                delivered: false,
                error: Some(format!("no answer: {error}")),
            }
        }
    };
    let delivered = match product {
        Product::Payouts => (200..300).contains(&status),
        Product::Openbanking => status == ob::ACKNOWLEDGE_STATUS,
    };
    let error = match (delivered, product) {
        (true, _) => None,
        _ if (300..400).contains(&status) => Some(format!(
            "a redirect{}: Lean never follows one, so this is a failed delivery",
            location.map(|l| format!(" to {l:?}")).unwrap_or_default()
        )),
        (false, Product::Payouts) => Some(format!(
            "{status} is not 2xx: Lean would retry (up to 5 times)"
        )),
        (false, Product::Openbanking) => Some(format!(
            "{status} is not 200: Lean would retry after 1, 2, 5, 10, 60 and 180 minutes"
        )),
    };
    Attempt {
        status: Some(status),
        latency_ms,
        delivered,
        error,
    }
}

/// The body Lean would send for `event`, with `overrides` merged into its
/// object.
pub fn envelope(event: &str, product: Product, overrides: Option<&Value>, now: i64) -> Value {
    let mut seed = [0u8; 8];
    let _ = getrandom::fill(&mut seed);
    let mut rng = fastrand::Rng::with_seed(u64::from_le_bytes(seed) ^ now as u64);
    let mut object = match product {
        Product::Payouts => payouts_data(event, &mut rng, now),
        Product::Openbanking => openbanking_payload(event, &mut rng),
    };
    if let (Value::Object(target), Some(Value::Object(fields))) = (&mut object, overrides) {
        merge(target, fields);
    }
    match product {
        Product::Payouts => json!({ "event": event, "data": object }),
        Product::Openbanking => json!({
            "type": event,
            "payload": object,
            "message": openbanking_message(event),
            "timestamp": iso(now),
            "event_id": crate::openbanking::uuid(&mut rng),
        }),
    }
}

/// Merges `fields` into `target`: objects recursively, `null` removes.
fn merge(target: &mut Map<String, Value>, fields: &Map<String, Value>) {
    for (key, value) in fields {
        match (target.get_mut(key), value) {
            (_, Value::Null) => {
                target.remove(key);
            }
            (Some(Value::Object(inner)), Value::Object(more)) => merge(inner, more),
            _ => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

/// The payouts object of `event`, through the core's own models.
fn payouts_data(event: &str, rng: &mut fastrand::Rng, now: i64) -> Value {
    let at = Some(iso(now));
    let user = format!("uid_{}", rng.u32(100_000..1_000_000));
    let amount = |text: &str| Amount::parse(text).ok();
    let status = |failed: bool| {
        Some(if failed {
            PaymentStatus::Failed
        } else {
            PaymentStatus::Success
        })
    };
    let failed = event.ends_with(".failed");
    let data = match event.split('.').next().unwrap_or_default() {
        "customer" => EventData::Customer(Customer {
            partner_user_id: user,
            first_name: Some("Jane".into()),
            middle_name: None,
            last_name: Some("Doe".into()),
            birthday: Some("1980-12-31".into()),
            phone_number: Some("4085551234".into()),
            email: Some("jane@example.com".into()),
            street: Some("700 Treehouse Drive".into()),
            street2: None,
            city: Some("San Jose".into()),
            state: Some("CA".into()),
            postal_code: Some("95101".into()),
            registration_date: Some("2020-01-01".into()),
            status: Some(if event == "customer.active" {
                CustomerStatus::Active
            } else {
                CustomerStatus::Inactive
            }),
            created_at: at.clone(),
            updated_at: at,
            extra: Map::new(),
        }),
        "gig" => EventData::Gig(Gig {
            gig_id: format!("gig_{}", rng.u32(100_000..1_000_000)),
            id: Some(format!("{}", rng.u32(1..1_000_000))),
            partner_user_id: Some(user),
            total_amount: amount("125.50"),
            tips: amount("10.00"),
            expenses: amount("0.00"),
            description: Some("Delivery, downtown".into()),
            start_time: Some(iso(now - 3_600_000)),
            end_time: Some(iso(now - 600_000)),
            status: status(failed),
            invoice_id: Some(format!("inv_{}", rng.u32(100_000..1_000_000))),
            created_at: at.clone(),
            updated_at: at,
            extra: Map::new(),
        }),
        _ => EventData::SpecialPayment(SpecialPayment {
            id: format!("{}", rng.u32(1..1_000_000)),
            partner_user_id: Some(user),
            amount: amount("50.00"),
            payment_type: Some(SpecialPaymentType::Bonus),
            description: Some("Weekend bonus".into()),
            gig_id: None,
            status: status(failed),
            userdata: None,
            invoice_id: Some(format!("inv_{}", rng.u32(100_000..1_000_000))),
            created_at: at.clone(),
            updated_at: at,
            extra: Map::new(),
        }),
    };
    let event = WebhookEvent {
        event: EventType::parse(event),
        data,
    };
    event.to_json()["data"].take()
}

/// The open-banking payload of `event`: the core's entity model, and the
/// documented shapes of the others (amounts as JSON numbers, as Lean sends
/// them).
fn openbanking_payload(event: &str, rng: &mut fastrand::Rng) -> Value {
    use crate::openbanking::bank::DEFAULT_BANK;
    let customer_id = crate::openbanking::uuid(rng);
    match event {
        "payment_intent.created" => json!({
            "intent_id": crate::openbanking::uuid(rng),
            "amount": 25,
            "reason": "Sandbox payment",
            "status": "INTENT_CREATED",
            "currency": "AED",
            "metadata": {},
        }),
        "payment_source.created" | "payment_source.beneficiary.created" => {
            let status = if event == "payment_source.created" {
                "ACTIVE"
            } else {
                "AWAITING_BENEFICIARY_COOL_OFF"
            };
            json!({
                "id": crate::openbanking::uuid(rng),
                "status": status,
                "bank_name": format!("Sandbox bank {DEFAULT_BANK}"),
                "customer_id": customer_id,
                "end_user_id": null,
                "bank_identifier": DEFAULT_BANK,
            })
        }
        "entity.data.refresh.updated" => crate::openbanking::v2::refresh_payload(
            &crate::openbanking::uuid(rng),
            &crate::openbanking::uuid(rng),
            &customer_id,
            Some("sandbox-app-user"),
            crate::openbanking::v2::COMPLETED,
            Some(&[crate::openbanking::uuid(rng)]),
        ),
        "bank.availability.updated" => json!({
            "identifier": DEFAULT_BANK,
            "availability": {
                "active": {"payments": true, "data": true},
                "enabled": {"payments": true, "data": true},
            },
        }),
        "results.ready" => serde_json::to_value(ob::ResultsReady {
            id: crate::openbanking::uuid(rng),
            extra: Map::new(),
        })
        .unwrap_or(Value::Null),
        "entity.created" => {
            let (entity, _) = crate::openbanking::bank::connect(
                &customer_id,
                1,
                crate::openbanking::bank::DEFAULT_BANK,
            );
            crate::openbanking::bank::entity_created(&entity, Some("sandbox-app-user"))
        }
        _ => {
            let status = if event == "payment.created" {
                execution::PENDING
            } else {
                execution::ACCEPTED
            };
            serde_json::from_str(&execution::example(rng, status)).unwrap_or(Value::Null)
        }
    }
}

fn openbanking_message(event: &str) -> &'static str {
    match event {
        "results.ready" => "The results of an asynchronous request are ready.",
        "entity.created" => "A customer connected a bank.",
        "payment.created" => "A payment was made against an intent.",
        "payment_intent.created" => "A payment intent was created.",
        "payment_source.created" => "A payment source was created.",
        "payment_source.beneficiary.created" => "A beneficiary was added to a payment source.",
        "entity.data.refresh.updated" => "An entity's data refresh was updated.",
        "bank.availability.updated" => "A bank's availability changed.",
        _ => "A payment changed status.",
    }
}

/// The report as lines for people: the body, then one line per request.
pub fn describe(report: &Report) -> String {
    let mut out = format!(
        "{} {} webhook to {}\nbody: {}\n",
        report.event,
        match report.product {
            Product::Payouts => "payouts",
            Product::Openbanking => "open-banking",
        },
        report.to,
        report.body
    );
    match &report.signature {
        Some(s) => out.push_str(&format!("{}: {s}\n", report.signature_header)),
        None => out.push_str(&format!("{}: (none sent)\n", report.signature_header)),
    }
    for (n, a) in report.attempts.iter().enumerate() {
        let which = if n == 0 {
            "sent".to_owned()
        } else {
            format!("replay {n}")
        };
        let status = a
            .status
            .map_or_else(|| "no answer".to_owned(), |s| s.to_string());
        let verdict = if a.delivered {
            "delivered".to_owned()
        } else {
            format!("not delivered: {}", a.error.as_deref().unwrap_or("refused"))
        };
        out.push_str(&format!(
            "{which}: {status} in {}ms, {verdict}\n",
            a.latency_ms
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_event_has_a_body_the_core_reads() {
        assert_eq!(event_types().len(), 15);
        for (name, product) in event_types() {
            let body = envelope(name, product, None, 0).to_string();
            match product {
                Product::Payouts => {
                    let event = lean_core::webhooks::parse_event(body.as_bytes()).unwrap();
                    assert_eq!(event.event.as_str(), name);
                    assert!(!matches!(event.data, EventData::Other(_)), "{body}");
                }
                Product::Openbanking => {
                    let event = ob::parse_event(body.as_bytes()).unwrap();
                    assert_eq!(event.event_type.as_str(), name);
                    assert!(event.event_id.is_some(), "{body}");
                    assert!(
                        !matches!(event.payload, ob::EventPayload::Other(_)),
                        "{body}"
                    );
                }
            }
        }
    }

    #[test]
    fn delivered_is_any_2xx_for_payouts_and_exactly_200_for_open_banking() {
        let verdict = |product, status| attempt(product, Ok((status, None)), 1.0).delivered;
        assert!(verdict(Product::Payouts, 200) && verdict(Product::Payouts, 204));
        assert!(verdict(Product::Openbanking, 200) && !verdict(Product::Openbanking, 204));
        for product in [Product::Payouts, Product::Openbanking] {
            assert!(!verdict(product, 302) && !verdict(product, 500));
        }
        let lost = attempt(Product::Payouts, Err("refused".into()), 1.0);
        assert!(!lost.delivered && lost.status.is_none());
    }

    #[test]
    fn overrides_merge_and_remove() {
        let fields = json!({"status": "PENDING", "tips": null, "extra": {"a": 1}});
        let body = envelope("gig.completed", Product::Payouts, Some(&fields), 0);
        assert_eq!(body["data"]["status"], "PENDING");
        assert!(body["data"].get("tips").is_none());
        assert_eq!(body["data"]["extra"]["a"], 1);
    }

    #[test]
    fn checks_name_the_field() {
        let trigger = |event: &str, to: &str| Trigger {
            event: event.into(),
            to: to.into(),
            ..Trigger::default()
        };
        assert_eq!(
            check(&trigger("gig.refunded", "http://127.0.0.1:1/"))
                .unwrap_err()
                .0,
            "event"
        );
        assert_eq!(
            check(&trigger("gig.failed", "http://example.com/"))
                .unwrap_err()
                .0,
            "to"
        );
        let both = Trigger {
            bad_signature: true,
            unsigned: true,
            ..trigger("gig.failed", "http://127.0.0.1:1/")
        };
        assert_eq!(check(&both).unwrap_err().0, "unsigned");
        assert_eq!(
            check(&trigger("payment.updated", "http://localhost:1/")),
            Ok(Product::Openbanking)
        );
    }
}
