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

import {
  MAX_BODY_BYTES, bodyLimit, readNodeBody, readRequestBody, refuseNodeBody, refuseRequestBody,
} from '../body.js';
import { LeanError, WebhookSignatureError } from '../errors.js';
import { generation, guard, wasm } from '../wasm.js';

/** The header Lean puts the signature in. */
export const SIGNATURE_HEADER = 'lean-signature';

/** When Lean retries an unacknowledged webhook, in minutes after the first attempt. */
const RETRY_SCHEDULE_MINUTES = Object.freeze([1, 2, 5, 10, 60, 180]);

const RAW_BODY_HELP =
  'verify the raw request body exactly as received (a string, Buffer, Uint8Array or ArrayBuffer), ' +
  'not a parsed object: re-serialising JSON changes the bytes and breaks the signature. ' +
  'With Express, use webhooks.express() or express.raw({ type: "application/json" }) on the webhook route';

const encoder = new TextEncoder();

/** The payload as bytes, refusing parsed bodies. */
function bytes(payload) {
  if (typeof payload === 'string') return encoder.encode(payload);
  if (payload instanceof Uint8Array) return payload;
  if (ArrayBuffer.isView(payload)) return new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
  if (payload instanceof ArrayBuffer || Object.prototype.toString.call(payload) === '[object ArrayBuffer]') {
    return new Uint8Array(payload);
  }
  const found = payload === null ? 'null' : Array.isArray(payload) ? 'an array' : `a value of type ${typeof payload}`;
  throw new TypeError(`lean-sdk: the webhook payload is ${found}; ${RAW_BODY_HELP}`);
}

/** The header value as Node or `Headers` give it. */
function header(signature) {
  if (signature === undefined || signature === null) return undefined;
  if (typeof signature === 'string') return signature;
  if (Array.isArray(signature) && signature.every((s) => typeof s === 'string')) return signature[0];
  throw new TypeError(`lean-sdk: the ${SIGNATURE_HEADER} header must be a string (or absent)`);
}

function secretList(secretOrSecrets) {
  const list = Array.isArray(secretOrSecrets) ? secretOrSecrets : [secretOrSecrets];
  if (!list.every((s) => typeof s === 'string')) {
    throw new LeanError(
      'webhook secrets must be strings: the webhook secret from the Lean developer portal (not the client secret), or several during a rotation',
      { code: 'configuration' },
    );
  }
  return list;
}

/**
 * Verifies `lean-signature` webhooks against one or more secrets (several
 * during a rotation). Build one at start-up and reuse it.
 */
export class WebhookVerifier {
  #secrets;
  #inner = null;
  #generation = -1;

  constructor(secretOrSecrets) {
    this.#secrets = secretList(secretOrSecrets);
    this.#wasm();
  }

  /** Throws `WebhookSignatureError` unless `signature` is Lean's signature of `payload`. */
  verify(payload, signature) {
    const raw = bytes(payload);
    const sig = header(signature);
    const inner = this.#wasm();
    guard(() => inner.verify(raw, sig));
  }

  /**
   * Verifies, then parses the event: `{ type, payload, message?,
   * timestamp?, event_id?, ... }` (unknown types and fields kept).
   */
  constructEvent(payload, signature) {
    const raw = bytes(payload);
    const sig = header(signature);
    const inner = this.#wasm();
    return JSON.parse(guard(() => inner.constructEvent(raw, sig)));
  }

  toString() {
    return `WebhookVerifier { secrets: ${this.#secrets.length} <redacted> }`;
  }

  toJSON() {
    return this.toString();
  }

  [Symbol.for('nodejs.util.inspect.custom')]() {
    return this.toString();
  }

  #wasm() {
    if (this.#generation !== generation()) {
      const { Verifier } = wasm();
      this.#inner = guard(() => new Verifier(this.#secrets));
      this.#generation = generation();
    }
    return this.#inner;
  }
}

function asVerifier(secretsOrVerifier) {
  return secretsOrVerifier instanceof WebhookVerifier ? secretsOrVerifier : new WebhookVerifier(secretsOrVerifier);
}

/** The `lean-signature` value Lean would send for `payload` (for tests). */
function sign(payload, secret) {
  const raw = bytes(payload);
  if (typeof secret !== 'string') throw new LeanError('the webhook secret must be a string', { code: 'configuration' });
  return guard(() => wasm().sign(secret, raw));
}

/** Throws `WebhookSignatureError` unless the signature matches one of the secrets. */
function verify(payload, signature, secretsOrVerifier) {
  asVerifier(secretsOrVerifier).verify(payload, signature);
}

/** Verifies, then parses the event. */
function constructEvent(payload, signature, secretsOrVerifier) {
  return asVerifier(secretsOrVerifier).constructEvent(payload, signature);
}

/**
 * Reads a Web `Request`'s raw body (at most `maxBodyBytes`, default 1 MiB:
 * past it throws `LeanError` code `payload_too_large`) and header, then
 * `constructEvent`.
 */
async function constructEventFromRequest(request, secretsOrVerifier, options) {
  const raw = await readRequestBody(request, bodyLimit(options));
  return constructEvent(raw, request.headers.get(SIGNATURE_HEADER), secretsOrVerifier);
}

const RECEIVED = '{"received":true}';

function refusal(error) {
  return JSON.stringify({ error: { code: error.code, message: error.message } });
}

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
  return async (request) => {
    let event;
    try {
      event = await constructEventFromRequest(request, verifier, { maxBodyBytes: limit });
    } catch (error) {
      if (error?.code === 'payload_too_large') return refuseRequestBody(error, refusal);
      if (!(error instanceof WebhookSignatureError)) throw error;
      return new Response(refusal(error), { status: 400, headers: { 'content-type': 'application/json' } });
    }
    await onEvent(event, request);
    return new Response(RECEIVED, { status: 200, headers: { 'content-type': 'application/json' } });
  };
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
  return function leanOpenBankingWebhook(req, res, next) {
    readNodeBody(req, limit, RAW_BODY_HELP)
      .then(async (raw) => {
        let event;
        try {
          event = verifier.constructEvent(raw, req.headers[SIGNATURE_HEADER]);
        } catch (error) {
          if (!(error instanceof WebhookSignatureError)) throw error;
          res.statusCode = 400;
          res.setHeader('content-type', 'application/json');
          res.end(refusal(error));
          return;
        }
        await onEvent(event, req);
        res.statusCode = 200;
        res.setHeader('content-type', 'application/json');
        res.end(RECEIVED);
      })
      .catch((error) => (error?.code === 'payload_too_large' ? refuseNodeBody(res, error, refusal) : next(error)));
  };
}

/** Open-banking webhook signatures and events. */
export const webhooks = Object.freeze({
  SIGNATURE_HEADER,
  RETRY_SCHEDULE_MINUTES,
  MAX_BODY_BYTES,
  sign,
  verify,
  constructEvent,
  constructEventFromRequest,
  createVerifier: (secretOrSecrets) => new WebhookVerifier(secretOrSecrets),
  handler,
  express,
});
