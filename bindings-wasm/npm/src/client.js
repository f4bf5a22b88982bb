// `LeanClient`: the API's operations as async methods, with the core's
// call engine (validation, retries, idempotency keys, reconciliation of
// uncertain creates) driven over `fetch`.

import { LeanError, fromCore } from './errors.js';
import { generation, guard, wasm } from './wasm.js';

const REDACTED = 'LeanClient { apiKey: <redacted> }';

function host() {
  const node = globalThis.process?.versions?.node;
  return node ? `node/${node}` : 'browser';
}

function optionalCount(options, name) {
  const value = options[name];
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new LeanError(`${name} must be a whole number >= 0, got ${typeof value === 'number' ? value : typeof value}`, {
      code: 'configuration',
    });
  }
  return value;
}

// Random bytes for the engine (idempotency keys, jitter), drawn from
// crypto.getRandomValues in batches: one call per 64 API calls.
const pool = new Uint8Array(32 * 64);
let drawn = pool.length;

function entropy() {
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
 * A client for the Lean Payouts API. Every method validates its input with
 * the API's own rules before sending anything (rejecting with
 * `LeanValidationError`), retries what is safe to retry, and resolves to the
 * result as a plain object in the API's camelCase shape (amounts as strings).
 */
export class LeanClient {
  #options;
  #client = null;
  #generation = -1;
  #fetch;
  #timeoutMs;

  /**
   * @param {object} options `apiKey` (required), `environment` (`'sandbox'`
   * or `'production'`), `baseUrl`, `fetch` (defaults to `globalThis.fetch`),
   * `maxRetries`, `timeoutMs` (per attempt), `retryBackoff` (`{initialMs,
   * maxMs}`).
   */
  constructor(options) {
    if (options === null || typeof options !== 'object') {
      throw new LeanError('LeanClient needs an options object such as { apiKey, environment: "sandbox" }', {
        code: 'configuration',
      });
    }
    const { apiKey, environment, baseUrl, fetch = globalThis.fetch, retryBackoff = {} } = options;
    if (typeof apiKey !== 'string') {
      throw new LeanError('apiKey must be the API key as a string', { code: 'configuration' });
    }
    for (const [name, value] of [['environment', environment], ['baseUrl', baseUrl]]) {
      if (value !== undefined && typeof value !== 'string') {
        throw new LeanError(`${name} must be a string`, { code: 'configuration' });
      }
    }
    if (typeof fetch !== 'function') {
      throw new LeanError('no fetch function: pass options.fetch, or use a runtime with a global fetch', {
        code: 'configuration',
      });
    }
    this.#fetch = fetch;
    this.#options = JSON.stringify({
      apiKey,
      environment,
      baseUrl,
      maxRetries: optionalCount(options, 'maxRetries'),
      timeoutMs: optionalCount(options, 'timeoutMs'),
      initialBackoffMs: optionalCount(retryBackoff, 'initialMs'),
      maxBackoffMs: optionalCount(retryBackoff, 'maxMs'),
      host: host(),
    });
    this.#timeoutMs = this.#wasmClient().timeoutMs;
  }

  /** `POST /customer`. */
  createCustomer(input) {
    return this.#run({ operation: 'createCustomer', input });
  }

  /** `GET /customer/:partnerUserId`. */
  getCustomer(partnerUserId) {
    return this.#run({ operation: 'getCustomer', partnerUserId });
  }

  /** `PATCH /customer/:partnerUserId`, while the customer is `PENDING`. */
  updateCustomer(partnerUserId, input) {
    return this.#run({ operation: 'updateCustomer', partnerUserId, input });
  }

  /** `POST /application` (sandbox only). */
  submitApplication(partnerUserId) {
    return this.#run({ operation: 'submitApplication', partnerUserId });
  }

  /** `POST /gig`. A retried create whose first attempt may have landed is looked up by `gigId`, never made twice. */
  createGig(input) {
    return this.#run({ operation: 'createGig', input });
  }

  /** `GET /gig/:gigId`. */
  getGig(gigId) {
    return this.#run({ operation: 'getGig', gigId });
  }

  /** `GET /gig`. */
  listGigs() {
    return this.#run({ operation: 'listGigs' });
  }

  /**
   * `POST /specialpayment`. Pass `{ idempotencyKey }` derived from your own
   * payment id to make re-running a script safe; without it a key is
   * generated per call (the same on each of its retries).
   */
  createSpecialPayment(input, { idempotencyKey } = {}) {
    return this.#run({ operation: 'createSpecialPayment', input, idempotencyKey });
  }

  /** `GET /specialpayment/:id`. */
  getSpecialPayment(id) {
    return this.#run({ operation: 'getSpecialPayment', id });
  }

  /** `GET /specialpayment`. */
  listSpecialPayments() {
    return this.#run({ operation: 'listSpecialPayments' });
  }

  toString() {
    return REDACTED;
  }

  toJSON() {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')]() {
    return REDACTED;
  }

  /** The configuration inside wasm, rebuilt if the instance was replaced. */
  #wasmClient() {
    if (this.#generation !== generation()) {
      const { Client } = wasm();
      this.#client = guard(() => new Client(this.#options));
      this.#generation = generation();
    }
    return this.#client;
  }

  async #run(spec) {
    const client = this.#wasmClient();
    const started = generation();
    const call = guard(() => client.start(JSON.stringify(spec), entropy()));
    try {
      for (;;) {
        if (generation() !== started) {
          throw new LeanError('lean-sdk recovered from an internal error while this call was running; retry it', {
            code: 'internal',
          });
        }
        const step = JSON.parse(guard(() => call.poll()));
        if (step.send) {
          const answer = await this.#send(step.send);
          guard(() =>
            answer.kind
              ? call.onTransportError(answer.kind, answer.message)
              : call.onResponse(answer.status, answer.headers, answer.body),
          );
        } else if (step.wait !== undefined) {
          await sleep(step.wait);
        } else if (step.done.error) {
          throw fromCore(step.done.error);
        } else {
          return step.done.value;
        }
      }
    } finally {
      if (generation() === started) call.free();
    }
  }

  /** One attempt over `fetch`; a rejection is an attempt with an unknown outcome. */
  async #send({ method, url, headers, body }) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    try {
      const response = await this.#fetch(url, { method, headers, body: body ?? undefined, signal: controller.signal });
      const bytes = new Uint8Array(await response.arrayBuffer());
      const flat = [];
      response.headers.forEach((value, name) => flat.push(name, value));
      return { status: response.status, headers: flat, body: bytes };
    } catch (error) {
      if (controller.signal.aborted) return { kind: 'timeout', message: `no answer within ${this.#timeoutMs} ms` };
      const cause = error?.cause;
      const kind = CONNECT_CODES.has(cause?.code) ? 'connect' : 'other';
      const detail = cause?.message ? ` (${cause.message})` : '';
      return { kind, message: `${error?.name ?? 'Error'}: ${error?.message ?? error}${detail}` };
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Checks an operation's input with the API's rules without sending it, for
 * forms: returns the field errors (`[]` when valid). `args` carries path
 * parameters where the operation has them (`{ partnerUserId }`).
 */
export function validate(operation, input, args = {}) {
  const found = guard(() => wasm().checkCall(JSON.stringify({ ...args, operation, input })));
  if (found === undefined || found === null) return [];
  const error = fromCore(JSON.parse(found));
  if (error.code !== 'validation') throw error;
  return error.errors;
}
