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
// Inner pad, then the body: grown to the largest body, reused.
let work = Buffer.allocUnsafe(PAD + 4096);

/**
 * Writes SHA-1(pad ‖ body) for each 64-byte pad in `pads` into `out`, 20
 * bytes each. `raw` is a string (hashed as UTF-8) or a `Uint8Array`.
 * `null` when this Node has no `crypto.hash`: the wasm path is used then.
 */
export const innerDigests =
  typeof crypto.hash === 'function'
    ? function innerDigests(pads, raw, out) {
        const room = PAD + (typeof raw === 'string' ? raw.length * 3 : raw.length);
        if (work.length < room) work = Buffer.allocUnsafe(room);
        const len = PAD + (typeof raw === 'string' ? work.write(raw, PAD) : (work.set(raw, PAD), raw.length));
        const input = work.subarray(0, len);
        for (let i = 0, at = 0; i < pads.length; i++) {
          work.set(pads[i], 0);
          // A latin1 string is the cheapest way out of `crypto.hash`
          // (a Buffer result costs twice as much per call).
          const digest = crypto.hash('sha1', input, 'latin1');
          for (let j = 0; j < DIGEST; j++) out[at++] = digest.charCodeAt(j);
        }
      }
    : null;
