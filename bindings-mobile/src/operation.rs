//! One validated API operation, built from typed input or from JSON.
//!
//! Building an operation is validation: it throws a `validation` error
//! listing every failing field at once, with the server's own rules, so a
//! mobile form can check its input without sending anything.

use std::sync::Arc;

use uniffi::Lift;

use crate::call::{NativeConfig, NativeRequest};
use crate::error::{guard, Result};
use crate::models::{self, CustomerUpdate, NewCustomer, NewGig, NewSpecialPayment};
use crate::UniFfiTag;

/// A validated operation, ready to become a [`crate::Call`].
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

fn special_payment(
    input: NewSpecialPayment,
    idempotency_key: Option<&str>,
) -> CoreResult<lean_core::Operation> {
    let payment = lean_core::NewSpecialPayment {
        partner_user_id: input.partner_user_id,
        amount: input.amount,
        payment_type: input.payment_type,
        gig_id: input.gig_id,
        description: input.description,
        userdata: models::userdata(input.userdata_json.as_deref())?,
    };
    lean_core::Operation::create_special_payment(&payment, idempotency_key)
}

/// Reads an operation as the JVM's direct entry points receive it
/// ([`crate::jvm`]): its camelCase name, then the arguments of the
/// matching constructor below in uniffi's own serialisation (written on
/// the Kotlin side by the generated converters, so both sides agree by
/// construction). `fromJson` takes the host-neutral JSON text. Building
/// the operation validates it, as the constructors do.
pub(crate) fn read(buf: &mut &[u8]) -> CoreResult<lean_core::Operation> {
    fn arg<T: Lift<UniFfiTag>>(buf: &mut &[u8]) -> CoreResult<T> {
        T::try_read(buf).map_err(malformed)
    }
    let operation = match text(buf)? {
        "fromJson" => from_json(&arg::<String>(buf)?),
        "createCustomer" => lean_core::Operation::create_customer(&arg::<NewCustomer>(buf)?.into()),
        "getCustomer" => lean_core::Operation::get_customer(&arg::<String>(buf)?),
        "updateCustomer" => {
            let partner_user_id: String = arg(buf)?;
            let update: CustomerUpdate = arg(buf)?;
            lean_core::Operation::update_customer(&partner_user_id, &update.into())
        }
        "submitApplication" => lean_core::Operation::submit_application(&arg::<String>(buf)?),
        "createGig" => create_gig(buf),
        "getGig" => lean_core::Operation::get_gig(&arg::<String>(buf)?),
        "listGigs" => Ok(lean_core::Operation::list_gigs()),
        "createSpecialPayment" => {
            let input: NewSpecialPayment = arg(buf)?;
            special_payment(input, arg::<Option<String>>(buf)?.as_deref())
        }
        "getSpecialPayment" => lean_core::Operation::get_special_payment(&arg::<String>(buf)?),
        "listSpecialPayments" => Ok(lean_core::Operation::list_special_payments()),
        other => Err(lean_core::Error::Internal {
            message: format!("no operation named {other:?} in this library"),
        }),
    }?;
    if !buf.is_empty() {
        return Err(lean_core::Error::Internal {
            message: format!("{} unread bytes after the operation's arguments", buf.len()),
        });
    }
    Ok(operation)
}

/// The `internal` error for argument bytes the host's writer never produces.
fn malformed(error: impl std::fmt::Display) -> lean_core::Error {
    lean_core::Error::Internal {
        message: format!("malformed operation arguments from the host: {error}"),
    }
}

/// Reads a string in uniffi's serialisation (a big-endian `i32` length,
/// then UTF-8) where it lies in `buf`, without copying it.
fn text<'a>(buf: &mut &'a [u8]) -> CoreResult<&'a str> {
    let (length, rest) = buf
        .split_first_chunk::<4>()
        .ok_or_else(|| malformed("a string's length is cut short"))?;
    let length = usize::try_from(i32::from_be_bytes(*length))
        .map_err(|_| malformed("a string's length is negative"))?;
    if rest.len() < length {
        return Err(malformed("a string is cut short"));
    }
    let (bytes, rest) = rest.split_at(length);
    let text = if bytes.is_ascii() {
        // Nearly every field (ids, amounts, times) is ASCII, which the
        // inlined word-at-a-time check settles; `from_utf8`'s call cost
        // about 10 ns per field, a tenth of reading a gig.
        // SAFETY: ASCII bytes are valid UTF-8.
        unsafe { std::str::from_utf8_unchecked(bytes) }
    } else {
        std::str::from_utf8(bytes).map_err(malformed)?
    };
    *buf = rest;
    Ok(text)
}

/// Reads a `NewGig` in uniffi's serialisation and builds the operation,
/// its eight fields validated where they lie in `buf` (no `String` each,
/// which the uniffi reader allocated: about 0.25 us of the 0.9 us of
/// `Jni.check` on the JVM).
fn create_gig(buf: &mut &[u8]) -> CoreResult<lean_core::Operation> {
    let gig = lean_core::NewGigText {
        partner_user_id: text(buf)?,
        total_amount: text(buf)?,
        tips: text(buf)?,
        expenses: text(buf)?,
        description: text(buf)?,
        gig_id: text(buf)?,
        start_time: text(buf)?,
        end_time: text(buf)?,
    };
    lean_core::Operation::create_gig_text(&gig)
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
        guard(|| wrap(lean_core::Operation::create_customer(&input.into())))
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
                &update.into(),
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
        guard(|| wrap(lean_core::Operation::create_gig(&input.into())))
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
        guard(|| wrap(special_payment(input, idempotency_key.as_deref())))
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
    /// idempotency key if one was given (a [`crate::Call`] adds a generated
    /// one otherwise). For hosts that only build requests, and benchmarks.
    pub fn request(&self, config: Arc<NativeConfig>) -> Result<NativeRequest> {
        guard(|| Ok(self.0.request(&config.0)?.into()))
    }

    /// The camelCase operation name (`createGig`), as in every host.
    pub fn name(&self) -> String {
        self.0.kind().name().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uniffi::Lower;

    fn args(name: &str, gig: NewGig) -> Vec<u8> {
        let mut out = Vec::new();
        <String as Lower<UniFfiTag>>::write(name.to_owned(), &mut out);
        <NewGig as Lower<UniFfiTag>>::write(gig, &mut out);
        out
    }

    fn gig(description: &str) -> NewGig {
        NewGig {
            partner_user_id: "uid_1".into(),
            total_amount: "15".into(),
            tips: "3.00".into(),
            expenses: "2.00".into(),
            description: description.into(),
            gig_id: "gig_1".into(),
            start_time: "2021-03-01T21:04:04".into(),
            end_time: "2021-03-01T21:31:05".into(),
        }
    }

    fn request_body(operation: &lean_core::Operation) -> String {
        let config = lean_core::Config::new("sk_test", lean_core::Environment::Sandbox).unwrap();
        operation.request(&config).unwrap().body.unwrap()
    }

    #[test]
    fn a_gig_read_in_place_builds_what_the_generated_constructor_builds() {
        // Long and short texts, non-ASCII text, and a rejected gig.
        let long = "x".repeat(2000);
        let inconsistent = |description: &str| NewGig {
            tips: "20".into(),
            ..gig(description)
        };
        for input in [
            gig("Gig Payout"),
            gig(&long),
            inconsistent("ü"),
            gig("ü"),
            gig("Gig Payout"),
        ] {
            let ours = read(&mut args("createGig", input.clone()).as_slice());
            let theirs = lean_core::Operation::create_gig(&input.into());
            match (ours, theirs) {
                (Ok(ours), Ok(theirs)) => assert_eq!(request_body(&ours), request_body(&theirs)),
                (Err(ours), Err(theirs)) => {
                    assert!(matches!(ours, lean_core::Error::Validation(_)), "{ours:?}");
                    assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
                }
                (ours, theirs) => panic!("{ours:?} but {theirs:?}"),
            }
        }
    }

    #[test]
    fn malformed_arguments_are_refused_not_misread() {
        let whole = args("createGig", gig("Gig Payout"));
        for cut in [0, 3, 12, whole.len() - 1] {
            let error = read(&mut &whole[..cut]).unwrap_err();
            assert!(
                matches!(error, lean_core::Error::Internal { .. }),
                "{cut}: {error:?}"
            );
        }
        let mut negative = whole.clone();
        negative[..4].copy_from_slice(&(-1i32).to_be_bytes());
        assert!(read(&mut negative.as_slice()).is_err());
        let mut not_utf8 = whole.clone();
        let at = whole.len() - 1;
        not_utf8[at] = 0xff;
        assert!(read(&mut not_utf8.as_slice()).is_err());
        let mut trailing = whole;
        trailing.push(0);
        assert!(read(&mut trailing.as_slice()).is_err());
    }
}
