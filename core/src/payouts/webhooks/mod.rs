//! Payouts webhook signatures (reference, *Webhooks*); the events they
//! carry are read by [`parse_event`].
//!
//! Lean signs each webhook with HMAC-SHA1 over the request body, keyed with
//! the partner's secret, and sends the base64 digest in `x-lean-signature`.
//! The reference's own Node example gets this wrong (it never feeds the body
//! to the HMAC and compares with `==`); this module is the correct version:
//! the MAC is computed over the raw body bytes exactly as received, compared
//! in constant time, and checked before the body is parsed at all.

use base64::engine::{general_purpose::GeneralPurpose, DecodePaddingMode, GeneralPurposeConfig};
use base64::Engine as _;
use sha1::block_api::compress;
use sha1::digest::CtOutput;
use sha1::Sha1;

use crate::error::{Error, SignatureProblem};
use crate::secret::WebhookSecret;
use crate::signature::{header_value, refused, Keys};

mod event;

pub use event::{parse_event, EventData, EventType, WebhookEvent};

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "x-lean-signature";

/// Length of an HMAC-SHA1 digest.
const DIGEST_LEN: usize = 20;

/// SHA-1's block size: the length of an HMAC key block (RFC 2104).
const KEY_BLOCK_LEN: usize = 64;

/// Standard base64, padding optional: senders differ on it, the digest
/// does not.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The signature Lean would send for `payload`: base64 of its HMAC-SHA1
/// under `secret`. For tests and for the sandbox, which signs what it sends.
pub fn sign(secret: &WebhookSecret, payload: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(Key::new(secret).mac(payload))
}

/// Verifies webhooks against one or more secrets. Build it once at start-up
/// and reuse it: each secret's HMAC key schedule is computed here, once,
/// instead of on every request. Several secrets are accepted at the same
/// time so that a secret can be rotated without dropping webhooks.
#[derive(Clone, Debug)]
pub struct WebhookVerifier(Keys<Key>);

/// One secret's HMAC-SHA1 key (RFC 2104): HMAC(key, body) =
/// SHA-1(outer pad ‖ SHA-1(inner pad ‖ body)), each pad being the key block
/// XOR a constant. Both pads fill exactly one SHA-1 block, so their hash
/// states are computed once, here, and each MAC starts from them.
///
/// Built on the `sha1` crate's compression function rather than the `hmac`
/// crate's generic wrapper: the same computation (the tests check it
/// against `hmac`), but compiled into far less code in the npm package's
/// size-optimised WebAssembly, and faster there.
#[derive(Clone)]
struct Key {
    /// SHA-1's state after the inner pad (the key block XOR `0x36`).
    inner: Sha1State,
    /// SHA-1's state after the outer pad (the key block XOR `0x5c`).
    outer: Sha1State,
}

/// SHA-1's chaining state: five big-endian words.
type Sha1State = [u32; 5];

/// SHA-1's initial state (FIPS 180-4, 5.3.1).
const SHA1_INITIAL: Sha1State = [
    0x6745_2301,
    0xEFCD_AB89,
    0x98BA_DCFE,
    0x1032_5476,
    0xC3D2_E1F0,
];

impl Key {
    fn new(secret: &WebhookSecret) -> Self {
        // The key block as HMAC defines it: keys longer than a block are
        // hashed first, shorter ones padded with zeros.
        let mut block = [0u8; KEY_BLOCK_LEN];
        let key = secret.expose();
        if key.len() > KEY_BLOCK_LEN {
            block[..DIGEST_LEN].copy_from_slice(&sha1_finish(SHA1_INITIAL, 0, key));
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let mut inner = SHA1_INITIAL;
        compress(&mut inner, &[block.map(|b| b ^ 0x36)]);
        let mut outer = SHA1_INITIAL;
        compress(&mut outer, &[block.map(|b| b ^ 0x5c)]);
        Self { inner, outer }
    }

    /// HMAC-SHA1 of `payload`.
    fn mac(&self, payload: &[u8]) -> [u8; DIGEST_LEN] {
        self.finish(&sha1_finish(self.inner, KEY_BLOCK_LEN, payload))
    }

    /// The HMAC from the inner digest: the outer hash, which is a single
    /// block after the outer pad. Written out rather than through
    /// [`sha1_finish`]: in the size-optimised wasm the general function's
    /// slicing costs about as much as the block.
    fn finish(&self, inner_digest: &[u8; DIGEST_LEN]) -> [u8; DIGEST_LEN] {
        let mut block = OUTER_BLOCK;
        for (to, from) in block.iter_mut().zip(inner_digest) {
            *to = *from;
        }
        let mut state = self.outer;
        compress(&mut state, &[block]);
        digest_bytes(state)
    }
}

/// The outer hash's only block with its first [`DIGEST_LEN`] bytes (the
/// inner digest) left zero: SHA-1's padding for a message of one key block
/// and a digest (a `1` bit, zeros, the length in bits, big-endian).
const OUTER_BLOCK: [u8; KEY_BLOCK_LEN] = {
    let mut block = [0u8; KEY_BLOCK_LEN];
    block[DIGEST_LEN] = 0x80;
    let bits = (((KEY_BLOCK_LEN + DIGEST_LEN) * 8) as u64).to_be_bytes();
    let mut i = 0;
    while i < bits.len() {
        block[KEY_BLOCK_LEN - bits.len() + i] = bits[i];
        i += 1;
    }
    block
};

/// A SHA-1 state as its digest: the five words, big-endian.
fn digest_bytes(state: Sha1State) -> [u8; DIGEST_LEN] {
    let words = state.map(u32::to_be_bytes);
    let mut digest = [0u8; DIGEST_LEN];
    for (to, from) in digest.iter_mut().zip(words.as_flattened()) {
        *to = *from;
    }
    digest
}

/// The SHA-1 digest of a message whose first `done` bytes (whole blocks)
/// are already in `state`, followed by `rest`: the remaining blocks, then
/// the padding (a `1` bit, zeros, and the length in bits, big-endian).
fn sha1_finish(mut state: Sha1State, done: usize, rest: &[u8]) -> [u8; DIGEST_LEN] {
    let mut blocks = rest.chunks_exact(KEY_BLOCK_LEN);
    for block in &mut blocks {
        if let Ok(block) = <&[u8; KEY_BLOCK_LEN]>::try_from(block) {
            compress(&mut state, std::slice::from_ref(block));
        }
    }
    let tail = blocks.remainder();
    let mut last = [[0u8; KEY_BLOCK_LEN]; 2];
    let used = if tail.len() < KEY_BLOCK_LEN - 8 { 1 } else { 2 };
    let bits = (done as u64 + rest.len() as u64).wrapping_mul(8);
    let flat = last.as_flattened_mut();
    flat[..tail.len()].copy_from_slice(tail);
    flat[tail.len()] = 0x80;
    flat[used * KEY_BLOCK_LEN - 8..used * KEY_BLOCK_LEN].copy_from_slice(&bits.to_be_bytes());
    compress(&mut state, &last[..used]);
    digest_bytes(state)
}

impl WebhookVerifier {
    /// A verifier for these secrets. At least one is needed, and none may be
    /// empty (an empty key would accept signatures anyone can make).
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a WebhookSecret>) -> Result<Self, Error> {
        let keys = Keys::new(
            secrets,
            "a webhook secret is empty: pass the secret of the webhook endpoint (or the API key, for older integrations)",
            Key::new,
        )?;
        Ok(Self(keys))
    }

    /// Checks `signature` (the `x-lean-signature` header value, `None` when
    /// the header is absent) against the raw `payload`, exactly as received:
    /// parse nothing before this, and never re-serialise the body.
    pub fn verify(&self, payload: &[u8], signature: Option<&str>) -> Result<(), Error> {
        let expected = expected_digest(signature)?;
        self.0.check(|key| same_digest(key.mac(payload), &expected))
    }

    /// Verifies, then parses the body into a [`WebhookEvent`].
    pub fn construct_event(
        &self,
        payload: &[u8],
        signature: Option<&str>,
    ) -> Result<WebhookEvent, Error> {
        self.verify(payload, signature)?;
        parse_event(payload)
    }
}

/// The digest the `x-lean-signature` header carries: standard base64 of 20
/// bytes, padding optional, surrounding white space ignored.
fn expected_digest(signature: Option<&str>) -> Result<[u8; DIGEST_LEN], Error> {
    let signature = header_value(
            signature,
            "the x-lean-signature header is missing or empty: the request did not come from Lean, or a proxy dropped the header",
        )?;
    let mut digest = [0u8; DIGEST_LEN + 3];
    match BASE64.decode_slice(signature, &mut digest) {
        Ok(n) if n == DIGEST_LEN => {
            let mut expected = [0u8; DIGEST_LEN];
            expected.copy_from_slice(&digest[..DIGEST_LEN]);
            Ok(expected)
        }
        _ => Err(refused(
            SignatureProblem::MalformedHeader,
            "the x-lean-signature header is not a base64 HMAC-SHA1 digest (28 characters such as \"2jmj7l5rSw0yVb/vlWAYkK/YBwk=\")",
        )),
    }
}

/// Compares two digests in constant time (`subtle`, through `digest`'s
/// `CtOutput`), so that the time taken says nothing about how many leading
/// bytes of a forged signature were right.
fn same_digest(computed: [u8; DIGEST_LEN], expected: &[u8; DIGEST_LEN]) -> bool {
    CtOutput::<Sha1>::new(computed.into()) == CtOutput::<Sha1>::new((*expected).into())
}

/// One-off [`WebhookVerifier::verify`]; prefer a reused verifier in servers.
pub fn verify(
    secrets: &[WebhookSecret],
    payload: &[u8],
    signature: Option<&str>,
) -> Result<(), Error> {
    WebhookVerifier::new(secrets)?.verify(payload, signature)
}

/// One-off [`WebhookVerifier::construct_event`].
pub fn construct_event(
    secrets: &[WebhookSecret],
    payload: &[u8],
    signature: Option<&str>,
) -> Result<WebhookEvent, Error> {
    WebhookVerifier::new(secrets)?.construct_event(payload, signature)
}

#[cfg(test)]
mod tests {
    use super::*;

    use hmac::{Hmac, KeyInit, Mac};

    #[test]
    fn macs_are_the_hmac_crates() {
        // Every tail length around the padding boundaries, and keys shorter
        // than, as long as and longer than a block.
        let body: Vec<u8> = (0..300u32).map(|i| (i * 31 % 251) as u8).collect();
        for key_len in [1, 20, 63, 64, 65, 129] {
            let key: Vec<u8> = (0..key_len).map(|i| (i * 13 + 7) as u8).collect();
            let ours = Key::new(&WebhookSecret::new(key.clone()));
            for len in 0..body.len() {
                let mut theirs = <Hmac<Sha1> as KeyInit>::new_from_slice(&key).unwrap();
                theirs.update(&body[..len]);
                let want: [u8; DIGEST_LEN] = theirs.finalize().into_bytes().into();
                assert_eq!(ours.mac(&body[..len]), want, "key {key_len}, body {len}");
            }
        }
    }
}
