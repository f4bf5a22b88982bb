// Webhook signatures: sign, verify and constructEvent on the raw body, plus
// the two places raw bodies live in servers: Node's request stream
// (Express/Connect middleware) and Web `Request` objects (Next.js route
// handlers, Cloudflare Workers, Deno, Bun).

import { bodyLimit, rawPayload, secretList } from './body.js';
import { LeanError } from './errors.js';
import { generation, guard, printedAsString, translate, wasm } from './wasm.js';
import { KeyStates, expressMiddleware, receivedResponse, requestHandler, verifierFunctions } from './webhook-helpers.js';

/** The header Lean puts the signature in. */
export const SIGNATURE_HEADER = 'x-lean-signature';

/** Which secret a verifier takes, for its errors. */
const SECRET = 'the secret of the webhook endpoint';

const encoder = new TextEncoder();

// The module's scratch buffer, as last handed out, and the instance it
// belongs to. Kept between calls: it goes stale only when the buffer grows
// (here), when wasm memory grows (the view's length drops to 0), or when a
// trap replaced the instance.
let view = null;
let viewGeneration = -1;

/** A view of at least `len` bytes of the scratch buffer. */
function scratch(len) {
  if (view === null || view.byteLength < len || viewGeneration !== generation()) {
    viewGeneration = generation();
    const glue = wasm();
    const size = Math.max(len, 1024);
    // The buffer first: growing it may grow wasm memory.
    const at = glue.scratchAt(size);
    view = new Uint8Array(glue.wasmMemory().buffer, at, size);
  }
  return view;
}

/**
 * Copies a body into the module's scratch buffer (strings are encoded
 * straight into it): one copy and no allocation per call. Returns its
 * length in bytes.
 */
function toScratch(raw) {
  if (typeof raw === 'string') return encoder.encodeInto(raw, scratch(raw.length * 3)).written;
  scratch(raw.length).set(raw);
  return raw.length;
}

/**
 * Copies a body and then the signature header after it into the scratch
 * buffer. Returns the body's length; `signatureLength` holds the header's
 * (-1 when absent).
 */
function bodyAndSignature(raw, sig) {
  const sigRoom = sig === undefined ? 0 : sig.length * 3;
  let len;
  let buffer;
  if (typeof raw === 'string') {
    buffer = scratch(raw.length * 3 + sigRoom);
    len = encoder.encodeInto(raw, buffer).written;
  } else {
    len = raw.length;
    buffer = scratch(len + sigRoom);
    buffer.set(raw);
  }
  if (sig === undefined) {
    signatureLength = -1;
    return len;
  }
  // Signatures are short ASCII (base64): copy them without a TextEncoder
  // call; anything else goes through one.
  let i = 0;
  for (; i < sig.length; i++) {
    const c = sig.charCodeAt(i);
    if (c > 0x7f) break;
    buffer[len + i] = c;
  }
  signatureLength = i === sig.length ? i : encoder.encodeInto(sig, buffer.subarray(len)).written;
  return len;
}
let signatureLength = -1;

/**
 * Verifies webhooks against one or more secrets. Build one at start-up and
 * reuse it: the HMAC key state of each secret is computed once, here.
 */
export class WebhookVerifier {
  #keys;

  constructor(secretOrSecrets) {
    this.#keys = new KeyStates(secretOrSecrets, { which: SECRET, header: SIGNATURE_HEADER, read: rawPayload });
  }

  /** Throws `WebhookSignatureError` unless `signature` is Lean's signature of `payload`. */
  verify(payload, signature) {
    const [inner, raw, sig] = this.#keys.call(payload, signature);
    const status = guard(() => inner.checkScratch(bodyAndSignature(raw, sig), signatureLength));
    if (status !== 0) throw translate(wasm().takeError());
  }

  /** Verifies, then parses the event: `{ event, data }`. */
  constructEvent(payload, signature) {
    const [inner, raw, sig] = this.#keys.call(payload, signature);
    return JSON.parse(guard(() => inner.constructEventScratch(toScratch(raw), sig)));
  }

  toString() {
    return this.#keys.toString();
  }
}

printedAsString(WebhookVerifier);

// The one-off functions keep a few verifiers, keyed by their secrets, so
// that a handler calling `webhooks.verify(body, sig, secret)` per request
// does not redo the key schedule every time.
const cache = new Map();
const CACHE_SIZE = 16;

function verifierFor(secretOrSecrets) {
  const list = secretList(secretOrSecrets, SECRET);
  // JSON of the list: two different lists never share it (a joined string
  // would make ['a', 'b'] and 'a\u0000b' one key).
  const key = JSON.stringify(list);
  let verifier = cache.get(key);
  if (verifier === undefined) {
    verifier = new WebhookVerifier(list);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value);
    cache.set(key, verifier);
  }
  return verifier;
}

/** The signature Lean would send for `payload` (for tests and simulations). */
function sign(payload, secret) {
  const raw = rawPayload(payload);
  if (typeof secret !== 'string') throw new LeanError('the webhook secret must be a string', { code: 'configuration' });
  const glue = wasm();
  return guard(() => (typeof raw === 'string' ? glue.signString(secret, raw) : glue.signBytes(secret, raw)));
}

/**
 * A handler for Web-standard `Request`s: `export const POST =
 * webhooks.handler({ secret, onEvent })`. Answers 400 to refused webhooks
 * (without calling `onEvent`), 413 to a body over `maxBodyBytes` (default
 * 1 MiB, never read whole), and 200 (or `onEvent`'s own `Response`).
 */
function handler({ secret, secrets, onEvent, maxBodyBytes }) {
  const verifier = new WebhookVerifier(secrets ?? secret);
  const limit = bodyLimit({ maxBodyBytes });
  if (typeof onEvent !== 'function') throw new TypeError('lean-sdk: webhooks.handler needs an onEvent function');
  return requestHandler(verifier, SIGNATURE_HEADER, limit, async (event, request) => {
    const answer = await onEvent(event, request);
    return answer instanceof Response ? answer : receivedResponse();
  });
}

/**
 * Express/Connect middleware: reads the raw body itself, verifies it and
 * sets `req.leanEvent` before calling `next()`. Refused webhooks get a 400
 * with `{ error: { code, message } }`; a body over `maxBodyBytes` (default
 * 1 MiB) gets a 413, checked on `Content-Length` first and never read
 * whole. Mount it before any JSON body parser (or on its own route):
 * `app.post('/webhooks/lean', webhooks.express({ secret }), (req, res) => ...)`.
 */
function express({ secret, secrets, maxBodyBytes }) {
  const verifier = new WebhookVerifier(secrets ?? secret);
  return expressMiddleware(verifier, SIGNATURE_HEADER, bodyLimit({ maxBodyBytes }), (event, req, res, next) => {
    req.leanEvent = event;
    next();
  });
}

/** Webhook signatures and events. */
export const webhooks = Object.freeze({
  ...verifierFunctions(SIGNATURE_HEADER, WebhookVerifier, verifierFor),
  sign,
  handler,
  express,
});
