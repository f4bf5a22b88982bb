//! JNI entry points for the JVM and Android: the calls Kotlin makes per
//! request, per keystroke and per webhook (`lean.sdk.Jni`).
//!
//! Why not the generated uniffi calls: on the JVM each of them allocates
//! JNA `Structure`s for its call status and every buffer, tens of
//! microseconds per call, several times per request. A JNI native method
//! costs tens of nanoseconds, and reads a Java `byte[]` in place
//! (`GetPrimitiveArrayCritical`) where JNA copies it in and out. What
//! crosses is still uniffi's: arguments are written in uniffi's
//! serialisation (tests hold Kotlin's writer to the generated converters)
//! and read here with the generated `Lift` implementations, or for a gig,
//! where they lie ([`operation::read`]); results go back the same way,
//! and objects are named by reference-counted handles ([`crate::handles`])
//! that a released handle cannot outlive. Swift keeps the generated calls,
//! which are cheap there (about 0.1 us).
//!
//! Every function catches panics: a panic becomes an `internal` error the
//! Kotlin side throws, never an abort. Results are one byte array:
//! [`OK`] then the value, or [`FAILED`] then uniffi's `ErrorDetails`.
//! A call's step is [`SEND`] and a `NativeRequest`, [`WAIT`] and the
//! milliseconds (`u64`), or [`DONE`] and the API's typed result: the
//! stepping functions serve any call engine that implements [`Driven`].

use std::cell::Cell;
use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, MutexGuard};

use jni_sys::{jboolean, jbyteArray, jclass, jint, jlong, jstring, JNIEnv, JNI_ABORT};
use uniffi::{Lift, Lower};

use crate::call::{self, NativeHeader, TransportErrorKind};
use crate::error::{ErrorDetails, FfiError};
use crate::fast;
use crate::handles::{self, Object};
use crate::{operation, UniFfiTag};

/// First byte of a result: the value follows.
const OK: u8 = 0;
/// First byte of a result: uniffi's `ErrorDetails` follows.
const FAILED: u8 = 1;
/// A step: send the `NativeRequest` that follows.
const SEND: u8 = 0;
/// A step: wait the milliseconds that follow, then poll.
const WAIT: u8 = 1;
/// A step: the call is over; its typed result follows.
const DONE: u8 = 2;

type Outcome<T> = Result<T, FfiError>;

fn internal(message: impl Into<String>) -> FfiError {
    lean_core::Error::Internal {
        message: message.into(),
    }
    .into()
}

/// The JNI function table.
macro_rules! jni {
    ($env:expr, $f:ident $(, $arg:expr)* $(,)?) => {
        ((**$env).v1_4.$f)($env $(, $arg)*)
    };
}

/// Copies a Java `byte[]` (null reads as empty).
///
/// # Safety
/// `env` is the current thread's JNI environment and `array` a `byte[]`.
unsafe fn bytes(env: *mut JNIEnv, array: jbyteArray) -> Vec<u8> {
    if array.is_null() {
        return Vec::new();
    }
    let len = jni!(env, GetArrayLength, array).max(0);
    let mut out = vec![0u8; len as usize];
    jni!(
        env,
        GetByteArrayRegion,
        array,
        0,
        len,
        out.as_mut_ptr().cast()
    );
    out
}

/// Arrays up to this size are read onto the stack by [`with_bytes`]: a
/// call's arguments (a gig is about 150 bytes).
const STACK_BYTES: usize = 512;

/// Copies a Java `byte[]` (null reads as empty) and passes it to `f`: on
/// the stack when it is small, so reading a call's arguments allocates
/// nothing; into a `Vec` otherwise.
///
/// # Safety
/// As for [`bytes`].
unsafe fn with_bytes<R>(env: *mut JNIEnv, array: jbyteArray, f: impl FnOnce(&[u8]) -> R) -> R {
    let len = if array.is_null() {
        0
    } else {
        jni!(env, GetArrayLength, array).max(0)
    };
    if len as usize > STACK_BYTES {
        return f(&bytes(env, array));
    }
    let mut stack = [0u8; STACK_BYTES];
    if len > 0 {
        // In bounds of both: `len` is the array's own length (so the JVM
        // raises no exception) and at most the stack buffer's, which the
        // JVM writes `len` bytes into.
        jni!(
            env,
            GetByteArrayRegion,
            array,
            0,
            len,
            stack.as_mut_ptr().cast()
        );
    }
    f(&stack[..len as usize])
}

/// A Java `byte[]` read in place; released on drop, even while unwinding
/// from a panic. No JNI call may be made while it lives.
struct Critical {
    env: *mut JNIEnv,
    array: jbyteArray,
    data: *mut c_void,
    len: usize,
}

impl Critical {
    /// # Safety
    /// As for [`bytes`].
    unsafe fn new(env: *mut JNIEnv, array: jbyteArray) -> Option<Self> {
        if array.is_null() {
            return None;
        }
        let len = jni!(env, GetArrayLength, array).max(0) as usize;
        let data = jni!(env, GetPrimitiveArrayCritical, array, std::ptr::null_mut());
        (!data.is_null()).then_some(Self {
            env,
            array,
            data,
            len,
        })
    }

    fn as_slice(&self) -> &[u8] {
        match self.len {
            0 => &[],
            // SAFETY: the JVM keeps the array pinned until the release.
            n => unsafe { std::slice::from_raw_parts(self.data.cast(), n) },
        }
    }
}

impl Drop for Critical {
    fn drop(&mut self) {
        // SAFETY: released once, unchanged (`JNI_ABORT`: nothing to copy back).
        unsafe {
            jni!(
                self.env,
                ReleasePrimitiveArrayCritical,
                self.array,
                self.data,
                JNI_ABORT
            )
        };
    }
}

/// A new Java `byte[]` holding `data`; null if the JVM could not allocate
/// it (its `OutOfMemoryError` is then pending and thrown on return).
///
/// # Safety
/// `env` is the current thread's JNI environment.
unsafe fn byte_array(env: *mut JNIEnv, data: &[u8]) -> jbyteArray {
    let array = jni!(env, NewByteArray, data.len() as jint);
    if !array.is_null() {
        jni!(
            env,
            SetByteArrayRegion,
            array,
            0,
            data.len() as jint,
            data.as_ptr().cast()
        );
    }
    array
}

/// Runs `f`, catching panics, and returns its result as a Java `byte[]`:
/// [`OK`] and what `f` wrote, or [`FAILED`] and the error's details.
///
/// # Safety
/// `env` is the current thread's JNI environment.
unsafe fn respond(env: *mut JNIEnv, f: impl FnOnce(&mut Vec<u8>) -> Outcome<()>) -> jbyteArray {
    let mut out = OUT.try_with(Cell::take).unwrap_or_default();
    out.clear();
    out.push(OK);
    let result = catch_unwind(AssertUnwindSafe(|| f(&mut out)))
        .unwrap_or_else(|payload| Err(lean_core::Error::from_panic(payload.as_ref()).into()));
    if let Err(FfiError::Failed { details }) = result {
        out.clear();
        out.push(FAILED);
        <ErrorDetails as Lower<UniFfiTag>>::write(details, &mut out);
    }
    let array = byte_array(env, &out);
    if out.capacity() <= KEPT_OUT {
        // Fails only while the thread ends; the buffer is then dropped.
        let _ = OUT.try_with(|kept| kept.set(out));
    }
    array
}

thread_local! {
    /// The buffer [`respond`] writes a result into before copying it into
    /// a Java array, kept per thread: a call's first step (about 500
    /// bytes) would otherwise cost a new `Vec` grown seven times. Taken
    /// out while in use, so a nested use would simply start a new one.
    static OUT: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// Result buffers larger than this (a list of gigs, a long answer) are
/// not kept: a thread holds at most this much between calls.
const KEPT_OUT: usize = 4 * 1024;

/// A call the JVM drives through [`Java_lean_sdk_Jni_poll`],
/// [`Java_lean_sdk_Jni_received`] and [`Java_lean_sdk_Jni_failed`],
/// whatever its API: an [`Engine`].
pub(crate) trait Driven: Send {
    /// Polls the engine and writes its step, or returns the call's error.
    fn step(&mut self, out: &mut Vec<u8>) -> Outcome<()>;
    /// Reports the answer to the last request.
    fn on_response(&mut self, response: lean_core::HttpResponse);
    /// Reports that the last request got no answer.
    fn on_transport_error(&mut self, error: lean_core::TransportError);
    /// Ends the call, interrupted mid-flight: the error that reports what it sent.
    fn interrupt(&mut self, reason: String) -> lean_core::Error;
}

/// One of the core's call engines (any [`lean_core::Drive`]: the payouts
/// `Call`, the open-banking one), with the function that writes its typed
/// result in uniffi's serialisation of the binding's record for it.
pub(crate) struct Engine<D: lean_core::Drive> {
    /// The core's call.
    pub(crate) call: D,
    /// Writes the result of a successful call.
    pub(crate) done: fn(D::Outcome, &mut Vec<u8>),
}

impl<D: lean_core::Drive + Send> Driven for Engine<D> {
    fn step(&mut self, out: &mut Vec<u8>) -> Outcome<()> {
        write_step(self.call.poll(), out, self.done)
    }

    fn on_response(&mut self, response: lean_core::HttpResponse) {
        self.call.on_response(response)
    }

    fn on_transport_error(&mut self, error: lean_core::TransportError) {
        self.call.on_transport_error(error)
    }

    fn interrupt(&mut self, reason: String) -> lean_core::Error {
        call::interrupt(&mut self.call, reason)
    }
}

/// Writes a payouts result as the Kotlin `Outcome` record reads it.
fn payouts_outcome(outcome: lean_core::Outcome, out: &mut Vec<u8>) {
    <crate::models::Outcome as Lower<UniFfiTag>>::write((&outcome).into(), out)
}

/// Writes a step as [`Driven::step`] does; `done` writes the typed result.
pub(crate) fn write_step<T>(
    step: lean_core::Step<T>,
    out: &mut Vec<u8>,
    done: impl FnOnce(T, &mut Vec<u8>),
) -> Outcome<()> {
    match step {
        lean_core::Step::Send(request) => {
            out.push(SEND);
            write_request(&request, out);
        }
        lean_core::Step::Wait(delay) => {
            out.push(WAIT);
            let millis = delay.as_millis().min(u128::from(u64::MAX)) as u64;
            out.extend_from_slice(&millis.to_be_bytes());
        }
        lean_core::Step::Done(Ok(result)) => {
            out.push(DONE);
            done(result, out);
        }
        lean_core::Step::Done(Err(error)) => return Err(error.into()),
    }
    Ok(())
}

/// Writes `request` exactly as uniffi writes the `NativeRequest` made from
/// it (a test holds the two together), without building that copy first:
/// strings as a big-endian `i32` length and the UTF-8 bytes, headers as a
/// count then name and value, the body as an optional.
fn write_request(request: &lean_core::HttpRequest, out: &mut Vec<u8>) {
    fn string(text: &str, out: &mut Vec<u8>) {
        out.extend_from_slice(&(text.len() as i32).to_be_bytes());
        out.extend_from_slice(text.as_bytes());
    }
    string(request.method.as_str(), out);
    string(&request.url, out);
    out.extend_from_slice(&(request.headers.len() as i32).to_be_bytes());
    for (name, value) in &request.headers {
        string(name, out);
        string(value, out);
    }
    match &request.body {
        None => out.push(0),
        Some(body) => {
            out.push(1);
            string(body, out);
        }
    }
}

/// A call engine behind a handle.
pub(crate) type SharedCall = Arc<Mutex<dyn Driven>>;

fn call_of(handle: jlong) -> Outcome<SharedCall> {
    match handles::get(handle as u64) {
        Some(Object::Call(call)) => Ok(call),
        _ => Err(internal("this call was released or never started")),
    }
}

/// Registers a call engine that was just built and writes its handle and
/// first step: what a `start` entry point returns.
pub(crate) fn begin(engine: impl Driven + 'static, out: &mut Vec<u8>) -> Outcome<()> {
    let call: SharedCall = Arc::new(Mutex::new(engine));
    let handle = handles::insert(Object::Call(Arc::clone(&call)));
    out.extend_from_slice(&handle.to_be_bytes());
    let result = lock(&call).step(out);
    if result.is_err() {
        handles::release(handle);
    }
    result
}

fn lock(call: &Mutex<dyn Driven>) -> MutexGuard<'_, dyn Driven + 'static> {
    // A panic while locked was reported as an error; the engine's state
    // stays consistent, so keep using it.
    call.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Validates an operation without sending it (`Jni.check`): null when
/// valid, otherwise a result holding the field errors. `args` is the
/// operation as [`operation::read`] reads it.
///
/// # Safety
/// Called by the JVM through `lean.sdk.Jni`.
#[no_mangle]
pub unsafe extern "system" fn Java_lean_sdk_Jni_check(
    env: *mut JNIEnv,
    _class: jclass,
    args: jbyteArray,
) -> jbyteArray {
    with_bytes(env, args, |args| {
        let valid = catch_unwind(|| operation::read(&mut &args[..]).is_ok()).unwrap_or(false);
        if valid {
            return std::ptr::null_mut();
        }
        // The rare path: build the operation again for its detailed error.
        respond(env, |_| {
            operation::read(&mut &args[..])?;
            Err(internal("validation failed, then passed: please report it"))
        })
    })
}

/// Starts a payouts call (`Jni.start`): validates and builds the operation
/// in `args` under the configuration `config` (a handle), with 32 bytes of
/// platform entropy (four `long`s, each big-endian: no array to allocate
/// on the JVM and read here), then polls it once. Returns [`OK`], the
/// call's handle (8 bytes, big-endian) and its first step, or the error.
///
/// # Safety
/// Called by the JVM through `lean.sdk.Jni`.
#[no_mangle]
pub unsafe extern "system" fn Java_lean_sdk_Jni_start(
    env: *mut JNIEnv,
    _class: jclass,
    config: jlong,
    args: jbyteArray,
    entropy0: jlong,
    entropy1: jlong,
    entropy2: jlong,
    entropy3: jlong,
) -> jbyteArray {
    let mut entropy = [0u8; 32];
    for (bytes, part) in entropy
        .chunks_exact_mut(8)
        .zip([entropy0, entropy1, entropy2, entropy3])
    {
        bytes.copy_from_slice(&part.to_be_bytes());
    }
    with_bytes(env, args, |args| {
        respond(env, |out| {
            let Some(Object::Config(config)) = handles::get(config as u64) else {
                return Err(internal("this client was closed"));
            };
            let operation = operation::read(&mut &args[..])?;
            let call = lean_core::Call::new(&config, operation, entropy)?;
            begin(
                Engine {
                    call,
                    done: payouts_outcome,
                },
                out,
            )
        })
    })
}

/// The call's next step (`Jni.poll`), after a wait.
///
/// # Safety
/// Called by the JVM through `lean.sdk.Jni`.
#[no_mangle]
pub unsafe extern "system" fn Java_lean_sdk_Jni_poll(
    env: *mut JNIEnv,
    _class: jclass,
    call: jlong,
) -> jbyteArray {
    respond(env, |out| lock(&call_of(call)?).step(out))
}

/// Reports the answer to the call's last request and returns its next
/// step (`Jni.received`). `headers` is a `Vec<NativeHeader>` in uniffi's
/// serialisation.
///
/// # Safety
/// Called by the JVM through `lean.sdk.Jni`.
#[no_mangle]
pub unsafe extern "system" fn Java_lean_sdk_Jni_received(
    env: *mut JNIEnv,
    _class: jclass,
    call: jlong,
    status: jint,
    headers: jbyteArray,
    body: jbyteArray,
) -> jbyteArray {
    let headers = bytes(env, headers);
    let body = bytes(env, body);
    respond(env, |out| {
        let call = call_of(call)?;
        let status = u16::try_from(status)
            .ok()
            .filter(|s| (100..=599).contains(s))
            .ok_or_else(|| {
                internal(format!(
                    "the transport returned HTTP status {status}, which is not a status code"
                ))
            })?;
        let headers = <Vec<NativeHeader> as Lift<UniFfiTag>>::try_read(&mut headers.as_slice())
            .map_err(|e| internal(format!("malformed response headers from the host: {e}")))?;
        let mut engine = lock(&call);
        engine.on_response(call::response_to_core(status, headers, body));
        engine.step(out)
    })
}

/// Reports that the call's last request got no answer (`kind`: 0 connect,
/// 1 timeout, 2 other; `message` in UTF-8) and returns its next step
/// (`Jni.failed`).
///
/// # Safety
/// Called by the JVM through `lean.sdk.Jni`.
#[no_mangle]
pub unsafe extern "system" fn Java_lean_sdk_Jni_failed(
    env: *mut JNIEnv,
    _class: jclass,
    call: jlong,
    kind: jint,
    message: jbyteArray,
) -> jbyteArray {
    let message = bytes(env, message);
    respond(env, |out| {
        let call = call_of(call)?;
        let kind = match kind {
            0 => TransportErrorKind::Connect,
            1 => TransportErrorKind::Timeout,
            _ => TransportErrorKind::Other,
        };
        let message = String::from_utf8_lossy(&message).into_owned();
        let mut engine = lock(&call);
        engine.on_transport_error(call::transport_error(kind, message));
        engine.step(out)
    })
}

/// Ends a call interrupted mid-flight (`Jni.interrupt`: a cancelled
/// coroutine, or a custom transport that threw): always a result holding
/// the error that reports what the call sent (`reason` in UTF-8).
///
/// # Safety
/// Called by the JVM through `lean.sdk.Jni`.
#[no_mangle]
pub unsafe extern "system" fn Java_lean_sdk_Jni_interrupt(
    env: *mut JNIEnv,
    _class: jclass,
    call: jlong,
    reason: jbyteArray,
) -> jbyteArray {
    let reason = bytes(env, reason);
    respond(env, |_| {
        let call = call_of(call)?;
        let reason = String::from_utf8_lossy(&reason).into_owned();
        let error = lock(&call).interrupt(reason);
        Err(error.into())
    })
}

/// Checks a webhook's `signature` header (null when absent) against the
/// raw `payload`, read in place (`Jni.verify`): 0 valid, 1 invalid (Kotlin
/// asks the generated binding for the detailed error), -1 for a released
/// or unknown handle or a caught panic.
///
/// # Safety
/// Called by the JVM through `lean.sdk.Jni`.
#[no_mangle]
pub unsafe extern "system" fn Java_lean_sdk_Jni_verify(
    env: *mut JNIEnv,
    _class: jclass,
    verifier: jlong,
    payload: jbyteArray,
    signature: jstring,
) -> jint {
    // The header is short ASCII when it can be valid: read its UTF-16
    // into the stack, before pinning the payload (no JNI call may follow).
    let mut text = [0u8; 64];
    let signature = if signature.is_null() {
        None
    } else {
        let len = jni!(env, GetStringLength, signature).max(0) as usize;
        if len > text.len() {
            return fast::INVALID;
        }
        let mut utf16 = [0u16; 64];
        jni!(
            env,
            GetStringRegion,
            signature,
            0,
            len as jint,
            utf16.as_mut_ptr()
        );
        for (byte, &unit) in text.iter_mut().zip(&utf16[..len]) {
            if unit >= 0x80 {
                return fast::INVALID;
            }
            *byte = unit as u8;
        }
        Some(len)
    };
    let Some(payload) = Critical::new(env, payload) else {
        return fast::FAILED;
    };
    catch_unwind(AssertUnwindSafe(|| {
        fast::verify(
            verifier as u64,
            payload.as_slice(),
            signature.map(|n| &text[..n]),
        )
    }))
    .unwrap_or(fast::FAILED)
}

/// Releases a handle of any kind (`Jni.release`): true when it was live.
/// The object itself goes when no call in progress still uses it.
#[no_mangle]
pub extern "system" fn Java_lean_sdk_Jni_release(
    _env: *mut JNIEnv,
    _class: jclass,
    handle: jlong,
) -> jboolean {
    catch_unwind(|| handles::release(handle as u64)).unwrap_or(false)
}

/// How many handles are live (`Jni.liveHandles`): the leak tests compare
/// it before and after.
#[no_mangle]
pub extern "system" fn Java_lean_sdk_Jni_liveHandles(_env: *mut JNIEnv, _class: jclass) -> jint {
    catch_unwind(handles::live).unwrap_or(0) as jint
}

/// Panics on purpose inside the guard every entry point uses
/// (`Jni.panicForTests`): the tests prove it arrives as an `internal`
/// error, catchable, and that the library still works afterwards.
///
/// # Safety
/// Called by the JVM through `lean.sdk.Jni`.
#[no_mangle]
pub unsafe extern "system" fn Java_lean_sdk_Jni_panicForTests(
    env: *mut JNIEnv,
    _class: jclass,
    message: jbyteArray,
) -> jbyteArray {
    let message = bytes(env, message);
    respond(env, |_| panic!("{}", String::from_utf8_lossy(&message)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::NativeRequest;

    #[test]
    fn requests_are_written_as_uniffi_writes_them() {
        let config = lean_core::Config::new("sk_test", lean_core::Environment::Sandbox).unwrap();
        for operation in [
            lean_core::Operation::list_gigs(),
            lean_core::Operation::submit_application("uid_ü 1").unwrap(),
        ] {
            let request = operation.request(&config).unwrap();
            let mut ours = Vec::new();
            write_request(&request, &mut ours);
            let mut theirs = Vec::new();
            <NativeRequest as Lower<UniFfiTag>>::write(request.into(), &mut theirs);
            assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn a_call_runs_through_the_stepping_functions_and_releases_its_handle() {
        let config = lean_core::Config::new("sk_test", lean_core::Environment::Sandbox).unwrap();
        let call =
            lean_core::Call::new(&config, lean_core::Operation::list_gigs(), [7; 32]).unwrap();
        let mut out = Vec::new();
        let done = payouts_outcome;
        begin(Engine { call, done }, &mut out).unwrap();
        let handle = u64::from_be_bytes(out[..8].try_into().unwrap());
        assert_eq!(out[8], SEND);
        let shared = call_of(handle as jlong).unwrap();
        let mut step = Vec::new();
        {
            let mut engine = lock(&shared);
            engine.on_response(lean_core::HttpResponse::new(200, vec![], b"[]".to_vec()));
            engine.step(&mut step).unwrap();
        }
        assert_eq!(step[0], DONE);
        drop(shared);
        assert!(handles::release(handle));
        assert!(
            call_of(handle as jlong).is_err(),
            "a released call is refused"
        );
    }
}
