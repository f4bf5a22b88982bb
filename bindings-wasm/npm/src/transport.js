// The transport loop shared by both clients (payouts `LeanClient` and
// `OpenBankingClient`): a call of the core's engine is driven to its end
// over a `fetch`-compatible function. The engine decides what to send,
// when to wait and when to stop; this module only performs the steps.
//
// Each bundle (lean-sdk, lean-sdk/openbanking) carries its own copy, bound
// to its own wasm module through ./wasm.js.

import { LeanError, fromCore } from './errors.js';
import { emit, withAttempts } from './logging.js';
import { generation, guard, wasm } from './wasm.js';

/**
 * The clock attempts are timed by: monotonic where there is one
 * (`performance.now()`: Node, browsers, workers).
 */
const now = typeof globalThis.performance?.now === 'function' ? () => globalThis.performance.now() : () => Date.now();

// Random bytes for the engine (idempotency keys, jitter), drawn from
// crypto.getRandomValues in batches: one call per 64 API calls.
const pool = new Uint8Array(32 * 64);
let drawn = pool.length;

/** 32 random bytes for one call of the engine. */
export function entropy() {
  if (drawn === pool.length) {
    globalThis.crypto.getRandomValues(pool);
    drawn = 0;
  }
  drawn += 32;
  return pool.subarray(drawn - 32, drawn);
}

/**
 * Waits `ms` milliseconds, the engine's backoff between attempts; ends
 * early when `signal` aborts.
 */
function sleep(ms, signal) {
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', wake);
      resolve();
    }, ms);
    signal?.addEventListener('abort', wake, { once: true });
  });
}

/**
 * Resolves after one turn of the event loop where there is one to wait for
 * (`setImmediate`: Node, Bun). Node's `fetch` hands a connection back to
 * its pool a turn after the answer's body has ended; a call sent before
 * that opens a second connection, so back-to-back calls would alternate
 * between two. Waiting that turn keeps sequential calls on one kept-alive
 * connection. Browsers pool connections their own way: nothing to wait.
 */
const connectionReleased =
  typeof globalThis.setImmediate === 'function' ? () => new Promise((resolve) => globalThis.setImmediate(resolve)) : () => undefined;

/** Connection errors below `fetch` that prove nothing was sent. */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * The prototype of the request headers handed to `fetch` (a plain record
 * of name to value). They carry the credentials (`Authorization`,
 * `lean-app-token`), so a transport that logs its arguments shows them
 * redacted; `fetch` reads only the record's own entries.
 */
const REDACTED_HEADERS = Object.freeze({
  [INSPECT]() {
    return `{ ${Object.keys(this).join(', ')}: <values redacted> }`;
  },
  toJSON() {
    return '<redacted>';
  },
  toString() {
    return '[headers redacted]';
  },
});

/**
 * One attempt over `fetch`, aborted after `timeoutMs` or when the caller's
 * `signal` aborts. Redirects are never followed (`redirect: 'manual'`):
 * they would take the credentials to whatever origin the answer names, so
 * a 3xx answer goes to the core as it is. Resolves to the answer
 * `{ status, headers: [name, value, ...], body: Uint8Array }`, to the
 * transport failure `{ kind: 'connect' | 'timeout' | 'other', message }`
 * (a rejection is an attempt with an unknown outcome unless it proves that
 * nothing was sent), to `{ hiddenRedirect: true }` (a browser's opaque
 * redirect: status 0, the Location hidden) or to `{ interrupted: reason }`.
 */
export function createSender(fetch, timeoutMs) {
  return async function send({ method, url, headers, body }, signal) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const interrupt = () => controller.abort(signal.reason);
    signal?.addEventListener('abort', interrupt, { once: true });
    try {
      const response = await fetch(url, {
        method,
        headers: Object.setPrototypeOf(headers, REDACTED_HEADERS),
        body: body ?? undefined,
        redirect: 'manual',
        signal: controller.signal,
      });
      if (response.type === 'opaqueredirect') return { hiddenRedirect: true };
      const bytes = new Uint8Array(await response.arrayBuffer());
      await connectionReleased();
      const flat = [];
      response.headers.forEach((value, name) => flat.push(name, value));
      return { status: response.status, headers: flat, body: bytes };
    } catch (error) {
      if (signal?.aborted) return { interrupted: signal.reason };
      if (controller.signal.aborted) return { kind: 'timeout', message: `no answer within ${timeoutMs} ms` };
      const cause = error?.cause;
      const kind = CONNECT_CODES.has(cause?.code) ? 'connect' : 'other';
      const detail = cause?.message ? ` (${cause.message})` : '';
      return { kind, message: `${error?.name ?? 'Error'}: ${error?.message ?? error}${detail}` };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', interrupt);
    }
  };
}

/**
 * The error of a call the caller interrupted (its `signal` aborted): the
 * core ends the call and says whether a request was in flight, with the
 * idempotency key and ids it carried, and the events of its end.
 */
function interrupted(call, reason, logger) {
  const why = reason instanceof Error ? reason.message : String(reason);
  const step = readStep(guard(() => wasm().interrupt(call, why)));
  emit(logger, step.events);
  return fromCore(step.done.error);
}

/**
 * The error of a redirect the browser hid from the page (`redirect:
 * 'manual'` gives an opaque response): the SDK never follows redirects, and
 * here cannot even name where it pointed. `attempts` are the call's (none
 * for a token request, which is not a call of the engine).
 */
export function hiddenRedirect(url, attempts) {
  return fromCore({
    code: 'redirect',
    status: 0,
    attempts,
    message: `the API answered ${url} with a redirect, which the SDK never follows (credentials stay on the configured origin); the browser hid its Location: check baseUrl`,
  });
}

/**
 * The attempts of a call the core never heard the end of (a redirect the
 * browser hid has no status to report): the core ends it as interrupted,
 * and its list names every request id so far, the last attempt without a
 * status. The interruption's events are not logged: the call ends with
 * the redirect error, not the interruption's.
 */
function endedAttempts(glue, call) {
  return readStep(guard(() => glue.interrupt(call, 'the browser hid a redirect'))).done.error.attempts;
}

/**
 * Reads a step of the core's engine: JSON, followed for a request with a
 * body by a line break and the body as it is (the JSON never holds a raw
 * line break), so that the body is neither escaped nor parsed on its way.
 */
export function readStep(text) {
  const cut = text.indexOf('\n');
  if (cut < 0) return JSON.parse(text);
  const step = JSON.parse(text.slice(0, cut));
  step.send.body = text.slice(cut + 1);
  return step;
}

/**
 * The caller's `AbortSignal` from a method's options, checked. One that
 * is already aborted rejects the call with its reason before anything
 * starts, as `fetch` does.
 */
export function callSignal(options) {
  const signal = options?.signal;
  if (signal === undefined || signal === null) return undefined;
  if (typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function') {
    throw new LeanError('options.signal must be an AbortSignal', { code: 'configuration' });
  }
  if (signal.aborted) throw signal.reason;
  return signal;
}

/**
 * Runs one call of the core's engine: starts `spec` (`{ operation,
 * ...arguments }`) on the wasm `Client` `client` (of either module; with
 * the open-banking token policy's `ticket` when it has one), then drives
 * it over `send` to its end. `options.signal` (an `AbortSignal`)
 * interrupts it; each step's events go to `logger`.
 */
export function runCall(client, spec, send, options, logger, ticket) {
  const signal = callSignal(options);
  const first = guard(() => client.start(JSON.stringify(spec), entropy(), ticket));
  return drive(first, send, signal, logger);
}

/**
 * Drives a call that a wasm `Client` (of either module) has started, whose
 * first step is `first`, with `send` until it is done: resolves to its
 * value (with its `attempts`), or throws its `LeanError` (whose `attempts`
 * the core's error JSON gives). `signal` (the caller's `AbortSignal`,
 * optional) interrupts it. Each step's events go to `logger` (the client
 * started the call recording them only when it has one). Finishes the
 * call at the end.
 */
export async function drive(first, send, signal, logger) {
  const started = generation();
  const glue = wasm();
  let step = readStep(first);
  const call = step.call;
  try {
    for (;;) {
      emit(logger, step.events);
      if (step.done) {
        if (step.done.error) throw fromCore(step.done.error);
        return withAttempts(step.done.value, step.done.attempts);
      }
      // Aborted between the last step and this one: the core counts a
      // request handed out as sent, so it may say more than happened,
      // never less.
      if (signal?.aborted) throw interrupted(call, signal.reason, logger);
      const sentAt = now();
      const answer = step.send ? await send(step.send, signal) : await sleep(step.wait, signal);
      const elapsedMs = now() - sentAt;
      // Another call may have trapped the module meanwhile: this call's
      // state went with the old instance.
      if (generation() !== started) {
        throw new LeanError('lean-sdk recovered from an internal error while this call was running; retry it', {
          code: 'internal',
        });
      }
      if ((answer !== undefined && 'interrupted' in answer) || (answer === undefined && signal?.aborted)) {
        throw interrupted(call, signal.reason, logger);
      }
      if (answer?.hiddenRedirect) throw hiddenRedirect(step.send.url, endedAttempts(glue, call));
      if (answer) {
        guard(() =>
          answer.kind
            ? glue.onTransportError(call, answer.kind, answer.message, elapsedMs)
            : glue.onResponse(call, answer.status, answer.headers, answer.body, elapsedMs),
        );
      }
      step = readStep(guard(() => glue.poll(call)));
    }
  } finally {
    if (generation() === started) glue.finish(call);
  }
}
