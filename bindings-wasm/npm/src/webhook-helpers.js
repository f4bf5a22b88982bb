// What the `webhooks` objects of both APIs (lean-sdk's, in webhooks.js, and
// lean-sdk/openbanking's) are built from: the verifier's key states, the
// one-off functions around a verifier, the Web `Request` handler and the
// Express middleware. Each API's module brings its signature header, its
// verifier's wasm calls and what its helpers do with a verified event.
//
// Shared by both bundles, each of which carries its own copy.

import {
  MAX_BODY_BYTES, bodyLimit, headerValue, readNodeBody, readRequestBody, refuseNode, refuseRequest, secretList,
} from './body.js';
import { WebhookSignatureError } from './errors.js';
import { Remade, wasm } from './wasm.js';

/**
 * What a webhook verifier holds: its secrets' HMAC key states in wasm (the
 * bundle's `Verifier`), made again if a trap replaced the instance, so
 * that the key schedule of each secret runs once; and how it reads its
 * arguments. `which` tells, on error, which secret is meant; `header`
 * names the signature header; `read(payload)` is the payload as the wasm
 * calls take it.
 */
export class KeyStates {
  #count;
  #inner;
  #header;
  #read;

  constructor(secretOrSecrets, { which, header, read }) {
    const secrets = secretList(secretOrSecrets, which);
    this.#count = secrets.length;
    this.#inner = new Remade(() => new (wasm().Verifier)(secrets));
    this.#header = header;
    this.#read = read;
  }

  /** A call's arguments, read, with the wasm verifier to pass them to: `[verifier, payload, signature]`. */
  call(payload, signature) {
    const raw = this.#read(payload);
    const sig = headerValue(signature, this.#header);
    return [this.#inner.get(), raw, sig];
  }

  /** How the verifier holding them prints: how many secrets, never them. */
  toString() {
    return `WebhookVerifier { secrets: ${this.#count} <redacted> }`;
  }
}

/**
 * The members of an API's `webhooks` object that work through its verifier
 * class `Verifier`, whose signatures come in the header `header`: each
 * function takes the secrets, or a verifier built once (`verifierFor`
 * gives one for secrets: by default a new one).
 */
export function verifierFunctions(header, Verifier, verifierFor = (secrets) => new Verifier(secrets)) {
  const asVerifier = (secretsOrVerifier) => (secretsOrVerifier instanceof Verifier ? secretsOrVerifier : verifierFor(secretsOrVerifier));

  /** Verifies, then parses the event. */
  function constructEvent(payload, signature, secretsOrVerifier) {
    return asVerifier(secretsOrVerifier).constructEvent(payload, signature);
  }

  return {
    /** The header Lean puts the signature in. */
    SIGNATURE_HEADER: header,
    /** The default body limit of the helpers that read a body themselves: 1 MiB. */
    MAX_BODY_BYTES,
    /** Throws `WebhookSignatureError` unless the signature matches one of the secrets. */
    verify(payload, signature, secretsOrVerifier) {
      asVerifier(secretsOrVerifier).verify(payload, signature);
    },
    constructEvent,
    /**
     * Reads a Web `Request`'s raw body (at most `maxBodyBytes`, default
     * 1 MiB: past it throws `LeanError` code `payload_too_large`) and
     * header, then `constructEvent`.
     */
    async constructEventFromRequest(request, secretsOrVerifier, options) {
      const raw = await readRequestBody(request, bodyLimit(options));
      return constructEvent(raw, request.headers.get(header), secretsOrVerifier);
    },
    /** A verifier to build at start-up and pass instead of the secrets. */
    createVerifier: (secretOrSecrets) => new Verifier(secretOrSecrets),
  };
}

/** Whether the helpers answer `error` themselves: a refused webhook, or a body over the limit. */
function refused(error) {
  return error?.code === 'payload_too_large' || error instanceof WebhookSignatureError;
}

/** The answer to an accepted webhook: 200 `{"received":true}`. */
export const RECEIVED = '{"received":true}';

/**
 * A handler of Web-standard `Request`s: reads the body (at most `limit`
 * bytes, never whole past it), verifies it with `verifier` against the
 * header `header`, then answers what `respond(event, request)` resolves
 * to. A refused webhook gets 400 and a body over the limit 413, without
 * calling `respond`; other errors propagate.
 */
export function requestHandler(verifier, header, limit, respond) {
  return async (request) => {
    let event;
    try {
      const raw = await readRequestBody(request, limit);
      event = verifier.constructEvent(raw, request.headers.get(header));
    } catch (error) {
      if (refused(error)) return refuseRequest(error);
      throw error;
    }
    return respond(event, request);
  };
}

/** The `Response` of an accepted webhook. */
export function receivedResponse() {
  return new Response(RECEIVED, { status: 200, headers: { 'content-type': 'application/json' } });
}

/**
 * Express/Connect middleware: reads the raw body itself (at most `limit`
 * bytes, refused on `Content-Length` first and never read whole), verifies
 * it with `verifier` against the header `header`, then hands the event to
 * `use(event, req, res, next)`. A refused webhook gets 400 `{ error: {
 * code, message } }` and a body over the limit 413; other errors, and
 * those of `use`, go to `next(error)`.
 */
export function expressMiddleware(verifier, header, limit, use) {
  return function leanWebhook(req, res, next) {
    readNodeBody(req, limit)
      .then((raw) => verifier.constructEvent(raw, req.headers[header]))
      .then(
        (event) => use(event, req, res, next),
        (error) => (refused(error) ? refuseNode(res, error) : next(error)),
      )
      .catch(next);
  };
}
