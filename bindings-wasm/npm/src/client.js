// `LeanClient`: the API's operations as async methods, with the core's
// call engine (validation, retries, idempotency keys, reconciliation of
// uncertain creates) driven over `fetch`.

import { chooseLogger } from './logging.js';
import { defineOperations } from './operations.js';
import { callSettings, configuration } from './options.js';
import { createSender, runCall } from './transport.js';
import { Remade, printedAsString, wasm } from './wasm.js';

/**
 * The operations that are one call each (all but `createSpecialPayment`),
 * with the arguments their methods take before the call options. A
 * retried `createGig` whose first attempt may have landed is looked up by
 * its `gigId`, never made twice.
 */
const OPERATIONS = {
  createCustomer: ['input'],
  getCustomer: ['partnerUserId'],
  // While the customer is `PENDING`.
  updateCustomer: ['partnerUserId', 'input'],
  // Sandbox only.
  submitApplication: ['partnerUserId'],
  createGig: ['input'],
  getGig: ['gigId'],
  listGigs: [],
  getSpecialPayment: ['id'],
  listSpecialPayments: [],
};

/**
 * A client for the Lean Payouts API. Every method validates its input with
 * the API's own rules before sending anything (rejecting with
 * `LeanValidationError`), retries what is safe to retry, and resolves to the
 * result as a plain object in the API's camelCase shape (amounts as strings).
 */
export class LeanClient {
  #client;
  #send;
  #logger;

  /**
   * @param {object} options `apiKey` (required), `environment` (`'sandbox'`
   * or `'production'`), `baseUrl`, `fetch` (defaults to `globalThis.fetch`),
   * `maxRetries`, `timeoutMs` (per attempt), `retryBackoff` (`{initialMs,
   * maxMs}`), `logger` (an object with `debug` and `info` methods, such as
   * `console` or a pino or winston logger: each call's retries, lookups and
   * outcome go to it; by default `console` when the environment sets
   * `LEAN_LOG=debug` or `info`; `null` for none), `dangerouslyAllowBrowser`
   * (in a web page the client refuses to start without it: whoever opens
   * the page can read the API key and pay out money in your name; call
   * Lean from your backend, and validate forms in the page with
   * `validate`, which needs no key). Redirects are never
   * followed, whatever `fetch` is given: a 3xx answer rejects with
   * `LeanRedirectError`.
   */
  constructor(options) {
    if (options === null || typeof options !== 'object') {
      throw configuration('LeanClient needs an options object such as { apiKey, environment: "sandbox" }');
    }
    const { apiKey, environment, baseUrl, fetch = globalThis.fetch } = options;
    if (typeof apiKey !== 'string') {
      throw configuration('apiKey must be the API key as a string');
    }
    for (const [name, value] of [['environment', environment], ['baseUrl', baseUrl]]) {
      if (value !== undefined && typeof value !== 'string') {
        throw configuration(`${name} must be a string`);
      }
    }
    if (typeof fetch !== 'function') {
      throw configuration('no fetch function: pass options.fetch, or use a runtime with a global fetch');
    }
    this.#logger = chooseLogger(options);
    const settings = JSON.stringify({ apiKey, environment, baseUrl, ...callSettings(options, this.#logger) });
    // The configuration inside wasm, made again if a trap replaced the instance.
    this.#client = new Remade(() => new (wasm().Client)(settings));
    this.#send = createSender(fetch, this.#client.get().timeoutMs);
  }

  /**
   * `POST /specialpayment`. Pass `{ idempotencyKey }` derived from your own
   * payment id to make re-running a script safe; without it a key is
   * generated per call (the same on each of its retries).
   */
  createSpecialPayment(input, options = {}) {
    return this.#run({ operation: 'createSpecialPayment', input, idempotencyKey: options?.idempotencyKey }, options);
  }

  toString() {
    return 'LeanClient { apiKey: <redacted> }';
  }

  /**
   * Runs one call; it resolves to the API's value, which also carries the
   * call's `attempts` (not enumerable: JSON and equality see the value
   * only). `options.signal` (an `AbortSignal`) interrupts it; every
   * method takes it as its last argument.
   */
  async #run(spec, options) {
    return runCall(this.#client.get(), spec, this.#send, options, this.#logger);
  }

  static {
    defineOperations(this, OPERATIONS, (client, spec, options) => client.#run(spec, options));
  }
}

printedAsString(LeanClient);
