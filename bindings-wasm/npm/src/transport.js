// The transport loop shared by both clients (payouts `LeanClient` and
// `OpenBankingClient`): a call of the core's engine is driven to its end
// over a `fetch`-compatible function. The engine decides what to send,
// when to wait and when to stop; this module only performs the steps.
//
// Each bundle (lean-sdk, lean-sdk/openbanking) carries its own copy, bound
// to its own wasm module through ./wasm.js.

import { LeanError, fromCore } from './errors.js';
import { generation, guard } from './wasm.js';

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

/** Waits `ms` milliseconds; the engine's backoff between attempts. */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Connection errors below `fetch` that prove nothing was sent. */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * One attempt over `fetch`, aborted after `timeoutMs`. Resolves to the
 * answer `{ status, headers: [name, value, ...], body: Uint8Array }`, or to
 * the transport failure `{ kind: 'connect' | 'timeout' | 'other', message }`
 * (a rejection is an attempt with an unknown outcome unless it proves that
 * nothing was sent).
 */
export function createSender(fetch, timeoutMs) {
  return async function send({ method, url, headers, body }) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetch(url, { method, headers, body: body ?? undefined, signal: controller.signal });
      const bytes = new Uint8Array(await response.arrayBuffer());
      const flat = [];
      response.headers.forEach((value, name) => flat.push(name, value));
      return { status: response.status, headers: flat, body: bytes };
    } catch (error) {
      if (controller.signal.aborted) return { kind: 'timeout', message: `no answer within ${timeoutMs} ms` };
      const cause = error?.cause;
      const kind = CONNECT_CODES.has(cause?.code) ? 'connect' : 'other';
      const detail = cause?.message ? ` (${cause.message})` : '';
      return { kind, message: `${error?.name ?? 'Error'}: ${error?.message ?? error}${detail}` };
    } finally {
      clearTimeout(timer);
    }
  };
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
 * Drives a call that `client` (the wasm `Client` of either module) has
 * started, whose first step is `first`, with `send` until it is done:
 * resolves to its value, or throws its `LeanError`. Finishes the call at
 * the end.
 */
export async function drive(client, first, send) {
  const started = generation();
  let step = readStep(first);
  const call = step.call;
  try {
    for (;;) {
      if (step.done) {
        if (step.done.error) throw fromCore(step.done.error);
        return step.done.value;
      }
      const answer = step.send ? await send(step.send) : await sleep(step.wait);
      // Another call may have trapped the module meanwhile: this call's
      // state went with the old instance.
      if (generation() !== started) {
        throw new LeanError('lean-sdk recovered from an internal error while this call was running; retry it', {
          code: 'internal',
        });
      }
      if (answer) {
        guard(() =>
          answer.kind
            ? client.onTransportError(call, answer.kind, answer.message)
            : client.onResponse(call, answer.status, answer.headers, answer.body),
        );
      }
      step = readStep(guard(() => client.poll(call)));
    }
  } finally {
    if (generation() === started) client.finish(call);
  }
}
