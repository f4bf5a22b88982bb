// Webhook bodies hashed by node:crypto, for the Node entry point.
//
// OpenSSL hashes with the CPU's SHA instructions; WebAssembly has none, and
// the core's portable SHA-1 in wasm runs at about half that speed. So in
// Node the verifier hashes the body here, with the one-shot `crypto.hash`
// (Node >= 20.12 and 21.7; no Hash or Hmac object per call), and the core
// does the rest: reading the header, finishing each secret's HMAC and the
// constant-time comparison. HMAC split at the body (RFC 2104):
// HMAC(key, body) = SHA-1(outer pad ‖ SHA-1(inner pad ‖ body)); this module
// computes the inner hash, with the inner pad the core derived from the
// secret.

import * as crypto from 'node:crypto';
import { Buffer } from 'node:buffer';

const PAD = 64;
const DIGEST = 20;
// Inner pad, then the body: grown to the largest body, reused. Its
// ArrayBuffer and offset are kept too: reading them per call (typed-array
// getters) costs as much as copying a body.
let work = Buffer.allocUnsafe(PAD + 4096);
let workBuffer = work.buffer;
let workOffset = work.byteOffset;
// The pad now at the start of `work`: with one secret it is written once,
// not on every call.
let padInWork = null;

/**
 * The inner-digest function of one verifier, given its secrets' inner pads
 * (64 bytes each, one after the other, from the core), or `null` when this
 * Node has no `crypto.hash` (the wasm path is used then).
 *
 * The function writes SHA-1(pad ‖ body) for each pad into `out`, 20 bytes
 * each, then `sig` (the signature header, if any) as UTF-8 after them, and
 * returns the header's length in bytes (-1 without one). `raw` is a string
 * (hashed as UTF-8) or a `Uint8Array`.
 */
export const innerHasher =
  typeof crypto.hash === 'function'
    ? function innerHasher(allPads) {
        const pads = [];
        for (let at = 0; at < allPads.length; at += PAD) pads.push(allPads.slice(at, at + PAD));
        return function innerDigests(raw, sig, out) {
          const input = bodyInWork(raw);
          let at = 0;
          for (let i = 0; i < pads.length; i++) {
            if (padInWork !== pads[i]) {
              work.set(pads[i], 0);
              padInWork = pads[i];
            }
            // A latin1 string is the cheapest way out of `crypto.hash` (a
            // Buffer result costs twice as much per call); copied out in
            // JS, which is cheaper than a call to `Buffer#latin1Write`.
            const digest = crypto.hash('sha1', input, 'latin1');
            for (let j = 0; j < DIGEST; j++) out[at++] = digest.charCodeAt(j);
          }
          return sig === undefined ? -1 : signatureAt(sig, out, at);
        };
      }
    : null;

/** Copies the body after the pad in `work`; a view of pad and body. */
function bodyInWork(raw) {
  let len;
  if (typeof raw === 'string') {
    room(raw.length * 3);
    len = PAD + work.write(raw, PAD);
  } else {
    room(raw.length);
    work.set(raw, PAD);
    len = PAD + raw.length;
  }
  return new Uint8Array(workBuffer, workOffset, len);
}

/** Makes room for `len` bytes after the pad in `work`. */
function room(len) {
  if (work.length < PAD + len) {
    work = Buffer.allocUnsafe(PAD + len);
    workBuffer = work.buffer;
    workOffset = work.byteOffset;
    padInWork = null;
  }
}

/**
 * Writes the signature header as UTF-8 at `at` in `out`; returns its length
 * in bytes. Headers are short ASCII (base64): copied in JS, anything else
 * through `Buffer#write`, which encodes as TextEncoder does (lone
 * surrogates become U+FFFD).
 */
function signatureAt(sig, out, at) {
  let i = 0;
  for (; i < sig.length; i++) {
    const c = sig.charCodeAt(i);
    if (c > 0x7f) break;
    out[at + i] = c;
  }
  if (i === sig.length) return i;
  return Buffer.from(out.buffer, out.byteOffset + at, out.byteLength - at).write(sig);
}
