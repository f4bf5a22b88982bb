// What the webhook helpers of both APIs share: reading their arguments
// (the raw payload, the signature header, the secrets), reading a body
// themselves with a bound, and refusing a webhook. The helpers that take a
// request (Express middleware, Web `Request` handlers) read at most
// `maxBodyBytes`, so that a sender cannot make the process hold an
// arbitrary body in memory, however large or slow it is. A webhook event
// is a few kilobytes.
//
// Shared by both bundles (lean-sdk, lean-sdk/openbanking), each of which
// carries its own copy.

import { LeanError } from './errors.js';

/** The default bound: 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** What to pass instead of a parsed body. */
export const RAW_BODY_HELP =
  'verify the raw request body exactly as received (a string, Buffer, Uint8Array or ArrayBuffer), ' +
  'not a parsed object: re-serialising JSON changes the bytes and breaks the signature. ' +
  'With Express, use webhooks.express() or express.raw({ type: "application/json" }) on the webhook route';

const encoder = new TextEncoder();

/** A webhook payload argument as a string or bytes (`Uint8Array`), refusing parsed bodies. */
export function rawPayload(payload) {
  if (typeof payload === 'string' || payload instanceof Uint8Array) return payload;
  if (ArrayBuffer.isView(payload)) return new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
  if (payload instanceof ArrayBuffer || Object.prototype.toString.call(payload) === '[object ArrayBuffer]') {
    return new Uint8Array(payload);
  }
  const found = payload === null ? 'null' : Array.isArray(payload) ? 'an array' : `a value of type ${typeof payload}`;
  throw new TypeError(`lean-sdk: the webhook payload is ${found}; ${RAW_BODY_HELP}`);
}

/** The signature header's value (header `name`) as Node or `Headers` give it. */
export function headerValue(signature, name) {
  if (signature === undefined || signature === null) return undefined;
  if (typeof signature === 'string') return signature;
  if (Array.isArray(signature) && signature.every((s) => typeof s === 'string')) return signature[0];
  throw new TypeError(`lean-sdk: the ${name} header must be a string (or absent)`);
}

/** The webhook secrets as a list; `which` tells, on error, which secret is meant. */
export function secretList(secretOrSecrets, which) {
  const list = Array.isArray(secretOrSecrets) ? secretOrSecrets : [secretOrSecrets];
  if (!list.every((s) => typeof s === 'string')) {
    throw new LeanError(`webhook secrets must be strings: ${which}, or several during a rotation`, { code: 'configuration' });
  }
  return list;
}

/** The bound from a helper's options, checked. */
export function bodyLimit(options) {
  const limit = options?.maxBodyBytes;
  if (limit === undefined) return MAX_BODY_BYTES;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new LeanError(`maxBodyBytes must be a whole number of bytes >= 0, got ${typeof limit === 'number' ? limit : typeof limit}`, {
      code: 'configuration',
    });
  }
  return limit;
}

/** The error of a body over the bound: the helpers answer it with 413. */
export function bodyTooLarge(limit) {
  return new LeanError(
    `the webhook body is larger than ${limit} bytes, so it was not read; ` +
      'if your events are really that large, raise maxBodyBytes',
    { code: 'payload_too_large', status: 413 },
  );
}

/** Refuses a request whose declared `Content-Length` is over the bound. */
function checkDeclared(contentLength, limit) {
  const declared = Number(Array.isArray(contentLength) ? contentLength[0] : contentLength);
  if (Number.isFinite(declared) && declared > limit) throw bodyTooLarge(limit);
}

/** Joins chunks of `length` bytes in all. */
function concat(chunks, length) {
  const raw = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    raw.set(chunk, offset);
    offset += chunk.length;
  }
  return raw;
}

/**
 * Reads a Node request's body (or what a body parser left in `req.body`),
 * at most `limit` bytes. Past the bound it stops pulling chunks (without
 * destroying the request, so that the 413 can still be sent) and throws
 * `bodyTooLarge`.
 */
export async function readNodeBody(req, limit) {
  if (typeof req.body === 'string' || ArrayBuffer.isView(req.body)) {
    const size = typeof req.body === 'string' ? encoder.encode(req.body).length : req.body.byteLength;
    if (size > limit) throw bodyTooLarge(limit);
    return req.body;
  }
  if (req.body !== undefined && req.body !== null && req.readableEnded) {
    throw new TypeError(`lean-sdk: a body parser already consumed this request; ${RAW_BODY_HELP}`);
  }
  checkDeclared(req.headers?.['content-length'], limit);
  // Pulled one chunk at a time rather than with `for await`: leaving a
  // `for await` early destroys the request, and its socket with it.
  const chunks = [];
  let length = 0;
  const iterator = req[Symbol.asyncIterator]();
  for (;;) {
    const { value, done } = await iterator.next();
    if (done) return concat(chunks, length);
    const bytes = typeof value === 'string' ? encoder.encode(value) : value;
    length += bytes.length;
    if (length > limit) throw bodyTooLarge(limit);
    chunks.push(bytes);
  }
}

/**
 * Reads a Web `Request`'s body, at most `limit` bytes: refused on its
 * `Content-Length` before reading, or cancelled past the bound.
 */
export async function readRequestBody(request, limit) {
  checkDeclared(request.headers.get('content-length'), limit);
  if (request.body === null || request.body === undefined) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks = [];
  let length = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return concat(chunks, length);
    length += value.length;
    if (length > limit) {
      reader.cancel().catch(() => {});
      throw bodyTooLarge(limit);
    }
    chunks.push(value);
  }
}

/** The JSON body of a refused webhook: `{ error: { code, message } }`. */
function refusal(error) {
  return JSON.stringify({ error: { code: error.code, message: error.message } });
}

/**
 * Answers a Node response with a refusal: 400 for a refused signature, 413
 * (and the connection closed) for a body over the bound.
 */
export function refuseNode(res, error) {
  const tooLarge = error.code === 'payload_too_large';
  res.statusCode = tooLarge ? 413 : 400;
  res.setHeader('content-type', 'application/json');
  // The rest of a body over the bound is never read: the connection
  // cannot carry another request after it.
  if (tooLarge) res.setHeader('connection', 'close');
  res.end(refusal(error));
}

/** The Web `Response` of a refusal: 400 for a refused signature, 413 for a body over the bound. */
export function refuseRequest(error) {
  const status = error.code === 'payload_too_large' ? 413 : 400;
  return new Response(refusal(error), { status, headers: { 'content-type': 'application/json' } });
}
