// Open-banking webhooks: `lean-signature: sha512=<digest>` (HMAC-SHA512 of
// the raw body with the webhook secret, hex or base64) verified by the
// core, events parsed into the envelope `{ type, payload, message,
// timestamp, event_id }`, and helpers for Express and Web `Request`
// handlers.
//
// A receiver must answer HTTP 200 to every webhook it accepts: Lean counts
// anything else (or no answer within 10 s) as a failure, retries after 1,
// 2, 5, 10, 60 and 180 minutes, and holds back later webhooks meanwhile.
// Retries mean duplicates: de-duplicate on `event_id`. The helpers here
// answer 200 once the event is verified and `onEvent` has finished.

import { bodyLimit, rawPayload } from '../body.js';
import { LeanError } from '../errors.js';
import { guard, printedAsString, wasm } from '../wasm.js';
import { KeyStates, RECEIVED, expressMiddleware, receivedResponse, requestHandler, verifierFunctions } from '../webhook-helpers.js';

/** The header Lean puts the signature in. */
export const SIGNATURE_HEADER = 'lean-signature';

/** When Lean retries an unacknowledged webhook, in minutes after the first attempt. */
const RETRY_SCHEDULE_MINUTES = Object.freeze([1, 2, 5, 10, 60, 180]);

const encoder = new TextEncoder();

/** The payload as bytes, refusing parsed bodies. */
function bytes(payload) {
  const raw = rawPayload(payload);
  return typeof raw === 'string' ? encoder.encode(raw) : raw;
}

/**
 * Verifies `lean-signature` webhooks against one or more secrets (several
 * during a rotation). Build one at start-up and reuse it.
 */
export class WebhookVerifier {
  #keys;

  constructor(secretOrSecrets) {
    this.#keys = new KeyStates(secretOrSecrets, {
      which: 'the webhook secret from the Lean developer portal (not the client secret)',
      header: SIGNATURE_HEADER,
      read: bytes,
    });
  }

  /** Throws `WebhookSignatureError` unless `signature` is Lean's signature of `payload`. */
  verify(payload, signature) {
    const [inner, raw, sig] = this.#keys.call(payload, signature);
    guard(() => inner.verify(raw, sig));
  }

  /**
   * Verifies, then parses the event: `{ type, payload, message?,
   * timestamp?, event_id?, ... }` (unknown types and fields kept).
   */
  constructEvent(payload, signature) {
    const [inner, raw, sig] = this.#keys.call(payload, signature);
    return JSON.parse(guard(() => inner.constructEvent(raw, sig)));
  }

  toString() {
    return this.#keys.toString();
  }
}

printedAsString(WebhookVerifier);

/** The `lean-signature` value Lean would send for `payload` (for tests). */
function sign(payload, secret) {
  const raw = bytes(payload);
  if (typeof secret !== 'string') throw new LeanError('the webhook secret must be a string', { code: 'configuration' });
  return guard(() => wasm().sign(secret, raw));
}

/** The verifier, `onEvent` and body limit of a helper's options. */
function verifierAndHandler(name, { secret, secrets, onEvent, maxBodyBytes } = {}) {
  if (typeof onEvent !== 'function') {
    throw new TypeError(`lean-sdk: webhooks.${name} needs an onEvent(event) function; the helper answers 200 once it returns`);
  }
  return [new WebhookVerifier(secrets ?? secret), onEvent, bodyLimit({ maxBodyBytes })];
}

/**
 * A handler for Web-standard `Request`s (Next.js route handlers, Workers,
 * Deno, Bun): verifies the webhook, awaits `onEvent(event, request)`, then
 * answers **200**, as Lean requires. A refused signature gets 400 without
 * calling `onEvent`, a body over `maxBodyBytes` (default 1 MiB, never read
 * whole) 413; if `onEvent` throws, the error propagates (the framework
 * answers 500) and Lean delivers the event again later.
 */
function handler(options) {
  const [verifier, onEvent, limit] = verifierAndHandler('handler', options);
  return requestHandler(verifier, SIGNATURE_HEADER, limit, async (event, request) => {
    await onEvent(event, request);
    return receivedResponse();
  });
}

/**
 * Express/Connect middleware that ends the request itself: reads the raw
 * body, verifies it, awaits `onEvent(event, req)`, then answers **200**
 * `{"received":true}`, as Lean requires. A refused signature gets 400
 * `{ error: { code, message } }`; a body over `maxBodyBytes` (default 1 MiB)
 * 413, checked on `Content-Length` first and never read whole; an `onEvent`
 * failure goes to `next(error)`
 * (Express answers 500, and Lean delivers the event again later). Mount it
 * before any JSON body parser: `app.post('/webhooks/lean',
 * webhooks.express({ secret, onEvent }))`.
 */
function express(options) {
  const [verifier, onEvent, limit] = verifierAndHandler('express', options);
  return expressMiddleware(verifier, SIGNATURE_HEADER, limit, async (event, req, res) => {
    await onEvent(event, req);
    res.statusCode = 200;
    res.setHeader('content-type', 'application/json');
    res.end(RECEIVED);
  });
}

/** Open-banking webhook signatures and events. */
export const webhooks = Object.freeze({
  ...verifierFunctions(SIGNATURE_HEADER, WebhookVerifier),
  RETRY_SCHEDULE_MINUTES,
  sign,
  handler,
  express,
});
