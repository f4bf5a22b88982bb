// Reading a webhook body ourselves, with a bound: the helpers that take a
// request (Express middleware, Web `Request` handlers, both APIs) read at
// most `maxBodyBytes`, so that a sender cannot make the process hold an
// arbitrary body in memory, however large or slow it is. A webhook event
// is a few kilobytes.
//
// Shared by both bundles (lean-sdk, lean-sdk/openbanking), each of which
// carries its own copy.

import { LeanError } from './errors.js';

/** The default bound: 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;

const encoder = new TextEncoder();

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
export async function readNodeBody(req, limit, help) {
  if (typeof req.body === 'string' || ArrayBuffer.isView(req.body)) {
    const size = typeof req.body === 'string' ? encoder.encode(req.body).length : req.body.byteLength;
    if (size > limit) throw bodyTooLarge(limit);
    return req.body;
  }
  if (req.body !== undefined && req.body !== null && req.readableEnded) {
    throw new TypeError(`lean-sdk: a body parser already consumed this request; ${help}`);
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

/** Answers a Node response with the error of a body over the bound: 413, and the connection closed. */
export function refuseNodeBody(res, error, refusal) {
  res.statusCode = 413;
  res.setHeader('content-type', 'application/json');
  // The rest of the body is never read: the connection cannot carry
  // another request after it.
  res.setHeader('connection', 'close');
  res.end(refusal(error));
}

/** The Web `Response` for a body over the bound. */
export function refuseRequestBody(error, refusal) {
  return new Response(refusal(error), { status: 413, headers: { 'content-type': 'application/json' } });
}
