//! Webhook signatures and events, for JVM and server-side Swift backends.
//!
//! Verification runs on the raw body bytes exactly as received, in
//! constant time, before anything is parsed (the core's rules).

use crate::error::{guard, Result};
use lean_core::{Customer, Gig, SpecialPayment};

/// Verifies webhooks (the `x-lean-signature` header) against one or more
/// secrets (several during a rotation). Build it once and reuse it: the
/// HMAC keys are prepared here.
#[derive(uniffi::Object)]
pub struct NativeWebhookVerifier(lean_core::WebhookVerifier);

impl std::fmt::Debug for NativeWebhookVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The object a webhook is about.
#[derive(Clone, Debug, PartialEq, uniffi::Enum)]
#[allow(missing_docs)]
pub enum EventData {
    Customer {
        value: Customer,
    },
    Gig {
        value: Gig,
    },
    SpecialPayment {
        value: SpecialPayment,
    },
    /// An object this SDK version does not know, as JSON text.
    Other {
        json: String,
    },
}

/// A verified webhook.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct WebhookEvent {
    /// The event name in canonical spelling (`gig.completed`), or as sent
    /// when this SDK version does not know it.
    pub event: String,
    /// The typed object.
    pub data: EventData,
    /// The whole event in the envelope's JSON shape.
    pub json: String,
    /// The same for every delivery of one event (event name, object id and
    /// status, as the core forms it): payouts webhooks carry no id or
    /// timestamp, so skip an event whose key you have already handled.
    pub dedup_key: Option<String>,
}

/// Writes the exported methods of a webhook verifier object that wraps a
/// core verifier: both APIs' verifiers are built from the host's secrets,
/// check a signature and construct an event alike, and differ only in the
/// core verifier (`$core`) and the event type (`$event`, converted from the
/// core's event by its `From`).
macro_rules! webhook_verifier {
    ($object:ident($core:ty) -> $event:ty) => {
        #[uniffi::export]
        impl $object {
            /// A verifier for these secrets (at least one, none empty).
            #[uniffi::constructor]
            pub fn new(secrets: Vec<Vec<u8>>) -> $crate::error::Result<std::sync::Arc<Self>> {
                $crate::error::guard(|| {
                    Ok(std::sync::Arc::new(Self(<$core>::new(
                        &$crate::webhooks::webhook_secrets(secrets),
                    )?)))
                })
            }

            /// Checks the signature header's value (`None` when absent)
            /// against the raw body; throws a `signature_*` error otherwise.
            pub fn verify(
                &self,
                payload: Vec<u8>,
                signature: Option<String>,
            ) -> $crate::error::Result<()> {
                $crate::error::guard(|| Ok(self.0.verify(&payload, signature.as_deref())?))
            }

            /// Verifies, then parses the body into a typed event (unknown
            /// kinds kept).
            pub fn construct_event(
                &self,
                payload: Vec<u8>,
                signature: Option<String>,
            ) -> $crate::error::Result<$event> {
                $crate::error::guard(|| {
                    let event = self.0.construct_event(&payload, signature.as_deref())?;
                    Ok(<$event>::from(&event))
                })
            }
        }
    };
}
pub(crate) use webhook_verifier;

webhook_verifier!(NativeWebhookVerifier(lean_core::WebhookVerifier) -> WebhookEvent);

impl From<&lean_core::WebhookEvent> for WebhookEvent {
    fn from(event: &lean_core::WebhookEvent) -> Self {
        let data = match &event.data {
            lean_core::EventData::Customer(c) => EventData::Customer { value: c.clone() },
            lean_core::EventData::Gig(g) => EventData::Gig { value: g.clone() },
            lean_core::EventData::SpecialPayment(p) => {
                EventData::SpecialPayment { value: p.clone() }
            }
            lean_core::EventData::Other(v) => EventData::Other {
                json: v.to_string(),
            },
        };
        let json = event.to_json();
        Self {
            event: event.event.as_str().to_owned(),
            data,
            dedup_key: json
                .get("dedupKey")
                .and_then(|key| key.as_str())
                .map(str::to_owned),
            json: json.to_string(),
        }
    }
}

/// The host's secrets (UTF-8 bytes each), as the core's verifiers take them.
pub(crate) fn webhook_secrets(secrets: Vec<Vec<u8>>) -> Vec<lean_core::WebhookSecret> {
    secrets
        .into_iter()
        .map(lean_core::WebhookSecret::new)
        .collect()
}

/// The signature Lean would send for `payload` under `secret`, for tests
/// of webhook handlers.
#[uniffi::export]
pub fn sign_webhook(secret: Vec<u8>, payload: Vec<u8>) -> Result<String> {
    guard(|| {
        Ok(lean_core::webhooks::sign(
            &lean_core::WebhookSecret::new(secret),
            &payload,
        ))
    })
}
