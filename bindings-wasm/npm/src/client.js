// `LeanClient`: the API's operations as async methods, with the core's
// call engine (validation, retries, idempotency keys, reconciliation of
// uncertain creates) driven over `fetch`.

import { LeanError, fromCore } from './errors.js';
import { callSignal, createSender, drive, entropy } from './transport.js';
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
  #send;

  /**
   * @param {object} options `apiKey` (required), `environment` (`'sandbox'`
   * or `'production'`), `baseUrl`, `fetch` (defaults to `globalThis.fetch`),
   * `maxRetries`, `timeoutMs` (per attempt), `retryBackoff` (`{initialMs,
   * maxMs}`). Redirects are never followed, whatever `fetch` is given: a
   * 3xx answer rejects with `LeanRedirectError`.
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
    this.#send = createSender(fetch, this.#wasmClient().timeoutMs);
  }

  /** `POST /customer`. */
  createCustomer(input, options) {
    return this.#run({ operation: 'createCustomer', input }, options);
  }

  /** `GET /customer/:partnerUserId`. */
  getCustomer(partnerUserId, options) {
    return this.#run({ operation: 'getCustomer', partnerUserId }, options);
  }

  /** `PATCH /customer/:partnerUserId`, while the customer is `PENDING`. */
  updateCustomer(partnerUserId, input, options) {
    return this.#run({ operation: 'updateCustomer', partnerUserId, input }, options);
  }

  /** `POST /application` (sandbox only). */
  submitApplication(partnerUserId, options) {
    return this.#run({ operation: 'submitApplication', partnerUserId }, options);
  }

  /** `POST /gig`. A retried create whose first attempt may have landed is looked up by `gigId`, never made twice. */
  createGig(input, options) {
    return this.#run({ operation: 'createGig', input }, options);
  }

  /** `GET /gig/:gigId`. */
  getGig(gigId, options) {
    return this.#run({ operation: 'getGig', gigId }, options);
  }

  /** `GET /gig`. */
  listGigs(options) {
    return this.#run({ operation: 'listGigs' }, options);
  }

  /**
   * `POST /specialpayment`. Pass `{ idempotencyKey }` derived from your own
   * payment id to make re-running a script safe; without it a key is
   * generated per call (the same on each of its retries).
   */
  createSpecialPayment(input, options = {}) {
    return this.#run({ operation: 'createSpecialPayment', input, idempotencyKey: options?.idempotencyKey }, options);
  }

  /** `GET /specialpayment/:id`. */
  getSpecialPayment(id, options) {
    return this.#run({ operation: 'getSpecialPayment', id }, options);
  }

  /** `GET /specialpayment`. */
  listSpecialPayments(options) {
    return this.#run({ operation: 'listSpecialPayments' }, options);
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

  /**
   * Runs one call. `options.signal` (an `AbortSignal`) interrupts it; every
   * method takes it as its last argument.
   */
  async #run(spec, options) {
    const signal = callSignal(options);
    const client = this.#wasmClient();
    const first = guard(() => client.start(JSON.stringify(spec), entropy()));
    return drive(first, this.#send, signal);
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
