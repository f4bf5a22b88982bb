//! One validated API operation, built from typed input or from JSON.
//!
//! Building an operation is validation: it throws a `validation` error
//! listing every failing field at once, with the server's own rules, so a
//! mobile form can check its input without sending anything.

use std::sync::Arc;

use crate::config::NativeConfig;
use crate::error::{guard, Result};
use crate::http::NativeRequest;
use lean_core::{CustomerUpdate, NewCustomer, NewGig, NewSpecialPayment};

/// A validated operation, ready to become a [`NativeCall`](crate::NativeCall).
#[derive(Debug, uniffi::Object)]
pub struct NativeOperation(pub(crate) lean_core::Operation);

type CoreResult<T> = std::result::Result<T, lean_core::Error>;

fn wrap(op: CoreResult<lean_core::Operation>) -> Result<Arc<NativeOperation>> {
    Ok(Arc::new(NativeOperation(op?)))
}

fn from_json(json: &str) -> CoreResult<lean_core::Operation> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| lean_core::Error::Internal {
            message: format!("the operation is not valid JSON: {e}"),
        })?;
    lean_core::Operation::from_json(&value)
}

#[uniffi::export]
impl NativeOperation {
    /// From the host-neutral JSON form the shared vectors use:
    /// `{"operation": "createGig", "input": {...}}`. For input that is
    /// not typed yet (a form's fields as a map).
    #[uniffi::constructor]
    pub fn from_json(json: String) -> Result<Arc<Self>> {
        guard(|| wrap(from_json(&json)))
    }

    /// `POST /customer`.
    #[uniffi::constructor]
    pub fn create_customer(input: NewCustomer) -> Result<Arc<Self>> {
        guard(|| wrap(lean_core::Operation::create_customer(&input)))
    }

    /// `GET /customer/:partnerUserId`.
    #[uniffi::constructor]
    pub fn get_customer(partner_user_id: String) -> Result<Arc<Self>> {
        guard(|| wrap(lean_core::Operation::get_customer(&partner_user_id)))
    }

    /// `PATCH /customer/:partnerUserId`.
    #[uniffi::constructor]
    pub fn update_customer(partner_user_id: String, update: CustomerUpdate) -> Result<Arc<Self>> {
        guard(|| {
            wrap(lean_core::Operation::update_customer(
                &partner_user_id,
                &update,
            ))
        })
    }

    /// `POST /application` (sandbox only).
    #[uniffi::constructor]
    pub fn submit_application(partner_user_id: String) -> Result<Arc<Self>> {
        guard(|| wrap(lean_core::Operation::submit_application(&partner_user_id)))
    }

    /// `POST /gig`.
    #[uniffi::constructor]
    pub fn create_gig(input: NewGig) -> Result<Arc<Self>> {
        guard(|| wrap(lean_core::Operation::create_gig(&input)))
    }

    /// `GET /gig/:gigId`.
    #[uniffi::constructor]
    pub fn get_gig(gig_id: String) -> Result<Arc<Self>> {
        guard(|| wrap(lean_core::Operation::get_gig(&gig_id)))
    }

    /// `GET /gig`.
    #[uniffi::constructor]
    pub fn list_gigs() -> Result<Arc<Self>> {
        guard(|| wrap(Ok(lean_core::Operation::list_gigs())))
    }

    /// `POST /specialpayment`. Pass your own `idempotency_key` (from your
    /// own payment id) to make re-running safe across app restarts.
    #[uniffi::constructor]
    pub fn create_special_payment(
        input: NewSpecialPayment,
        idempotency_key: Option<String>,
    ) -> Result<Arc<Self>> {
        guard(|| {
            wrap(lean_core::Operation::create_special_payment(
                &input,
                idempotency_key.as_deref(),
            ))
        })
    }

    /// `GET /specialpayment/:id`.
    #[uniffi::constructor]
    pub fn get_special_payment(id: String) -> Result<Arc<Self>> {
        guard(|| wrap(lean_core::Operation::get_special_payment(&id)))
    }

    /// `GET /specialpayment`.
    #[uniffi::constructor]
    pub fn list_special_payments() -> Result<Arc<Self>> {
        guard(|| wrap(Ok(lean_core::Operation::list_special_payments())))
    }

    /// The request this operation becomes under `config`, with the caller's
    /// idempotency key if one was given (a [`NativeCall`](crate::NativeCall) adds a generated
    /// one otherwise). For hosts that only build requests, and benchmarks.
    pub fn request(&self, config: Arc<NativeConfig>) -> Result<NativeRequest> {
        guard(|| Ok(self.0.request(&config.0)?.into()))
    }

    /// The camelCase operation name (`createGig`), as in every host.
    pub fn name(&self) -> String {
        self.0.kind().name().to_owned()
    }
}
