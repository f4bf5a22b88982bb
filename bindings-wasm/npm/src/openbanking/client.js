// `OpenBankingClient`: Lean's open-banking API (customers, connected bank
// entities, account data, payment intents and destinations) as async
// methods, driven by the core's open-banking call engine over the same
// transport loop as the payouts client (../transport.js).
//
// Authentication is an application token, a bearer token obtained
// elsewhere, or OAuth client credentials. With OAuth the core's token
// policy decides everything (one shared fetch, renewal before expiry, one
// renewal and retry after a 401); this class only sends the token request
// it asks for, waits for another call's, and reports what happened.

import { LeanError, fromCore } from '../errors.js';
import { chooseLogger, emit } from '../logging.js';
import { defineOperations } from '../operations.js';
import { callSettings, configuration, onlyKnown, optionalCount } from '../options.js';
import { createSender, hiddenRedirect, readStep, runCall } from '../transport.js';
import { Remade, guard, printedAsString, translate, wasm } from '../wasm.js';
import { OAuthToken } from './token.js';

// The platform's mTLS transport factory: set by the Node entry point
// (node:https), absent in browsers, where the browser presents client
// certificates itself.
let mtlsFactory = null;

/** Called by the Node entry point. */
export function useMtls(factory) {
  mtlsFactory = factory;
}

const CREDENTIALS = ['appToken', 'accessToken', 'clientId', 'clientSecret', 'customerId'];
const OPTIONS = ['environment', 'baseUrl', 'tokenBaseUrl', 'requireMtls', 'tls', 'fetch', 'maxRetries', 'timeoutMs',
  'retryBackoff', 'tokenRenewalMarginMs', 'clock', 'logger', 'dangerouslyAllowBrowser'];

function optionalFlag(object, name) {
  const value = object[name];
  if (value !== undefined && typeof value !== 'boolean') throw configuration(`${name} must be true or false`);
  return value;
}

function optionalText(object, name, what) {
  const value = object[name];
  // Never echo the value: it may be a secret.
  if (value !== undefined && typeof value !== 'string') throw configuration(`${name} must be a string (${what})`);
  return value;
}

/** The credentials as the wasm client reads them; checks their types. */
function credentialOptions(credentials) {
  if (credentials === null || typeof credentials !== 'object') {
    throw configuration(
      'OpenBankingClient needs credentials first: { appToken } (the application token) or { clientId, clientSecret } (OAuth)',
    );
  }
  onlyKnown(credentials, CREDENTIALS, 'credential');
  return {
    appToken: optionalText(credentials, 'appToken', 'the application token from the Lean developer portal'),
    accessToken: optionalText(credentials, 'accessToken', 'an OAuth access token obtained elsewhere'),
    clientId: optionalText(credentials, 'clientId', 'the application id'),
    clientSecret: optionalText(credentials, 'clientSecret', 'the OAuth client secret'),
    customerId: optionalText(credentials, 'customerId', 'for a token of scope customer.<id>'),
  };
}

/** How a host that requires a client certificate turns away a client without one. */
const REFUSED = /other side closed|socket hang up|ECONNRESET|certificate|alert|SSL|TLS/i;

/**
 * Adds to a connection failure of a client without `tls` the likely cause:
 * Lean's production hosts (and the sandbox's mTLS listener) close the
 * connection of a client that presents no certificate.
 */
function withMtlsHint(send) {
  return async (request, signal) => {
    const answer = await send(request, signal);
    if (answer.kind === 'other' && REFUSED.test(answer.message)) {
      answer.message += '; if the host requires mutual TLS, pass tls: { cert, key, ca } to present the client certificate';
    }
    return answer;
  };
}

/**
 * The operations, with the arguments their methods take before the call
 * options (`paging`: `{ pageNumber, pageSize }`, pages from 0). Creating a
 * customer is idempotent: a retry whose first attempt may have landed, or
 * a 409 `CUSTOMER_ALREADY_EXISTS`, is resolved by looking the customer up
 * by `app_user_id`. Payment intents and data refreshes are not retried
 * once they may have landed: an uncertain create rejects with `transport`
 * and `outcomeUnknown: true`.
 */
const OPERATIONS = {
  createCustomer: ['input'],
  getCustomer: ['customerId'],
  getCustomerByAppUserId: ['appUserId'],
  listCustomers: ['paging'],
  listEntities: ['customerId'],
  getEntity: ['customerId', 'entityId'],
  // The data v1 calls ask the bank: `{ status: 'OK', payload }`, or with
  // `async: true` (or a slow bank) `{ status: 'PENDING', results_id }`,
  // for `getDataResults` once the `results.ready` webhook arrives.
  getIdentity: ['input'],
  getAccounts: ['input'],
  getBalance: ['input'],
  getTransactions: ['input'],
  getDataResults: ['resultsId'],
  createPaymentIntent: ['input'],
  getPaymentIntent: ['paymentIntentId'],
  createPaymentDestination: ['input'],
  listPaymentDestinations: [],
  listBanks: ['accountTypes'],
  getPayment: ['paymentId'],
  listPaymentIntents: [],
  listEntitiesByDate: ['startDate', 'endDate', 'paging'],
  // The data v2 reads: the data as Lean holds it since the last refresh,
  // answered at once, a `DataPage` at a time.
  listAccounts: ['entityId', 'paging'],
  listIdentities: ['entityId', 'paging'],
  listAccountBalances: ['entityId', 'accountId', 'paging'],
  listAccountTransactions: ['entityId', 'accountId', 'paging'],
  listAccountIdentities: ['entityId', 'accountId', 'paging'],
  listAccountBeneficiaries: ['entityId', 'accountId', 'paging'],
  listAccountDirectDebits: ['entityId', 'accountId', 'paging'],
  listAccountStandingOrders: ['entityId', 'accountId', 'paging'],
  listAccountScheduledPayments: ['entityId', 'accountId', 'paging'],
  createDataRefresh: ['entityId'],
  getDataRefresh: ['refreshId'],
  listDataRefreshes: ['entityId', 'paging'],
};

/**
 * A client for Lean's open-banking API. Every method validates its input
 * with the API's own rules before sending anything (rejecting with
 * `LeanValidationError`), retries what is safe to retry, and resolves to
 * the result as a plain object in the API's own snake_case shape: amounts
 * of payment intents as decimal strings (`"100.50"`); data payloads
 * (balances, transactions) as the core passes them on, untyped.
 */
export class OpenBankingClient {
  #client;
  #send;
  #clock;
  #logger;
  // The token request in flight (the core allows one at a time), for the
  // calls the policy tells to wait for it.
  #tokenFetch = null;

  /**
   * @param {object} credentials `{ appToken }`, `{ clientId, clientSecret,
   * customerId? }` (OAuth; `customerId` asks for a token of scope
   * `customer.<id>`) or `{ accessToken }` (a bearer token minted elsewhere).
   * @param {object} [options] `environment` (`'uae-sandbox'` by default,
   * `'uae-sandbox-mtls'`, `'uae-production'`, `'ksa-sandbox'`,
   * `'ksa-production'`), or `baseUrl` (and `tokenBaseUrl`) for any other
   * host; `tls: { cert, key, ca }` (Node: PEM text or Buffers, presented by
   * the built-in mTLS transport) or `fetch`; `maxRetries`, `timeoutMs` (per
   * attempt), `retryBackoff: { initialMs, maxMs }`, `tokenRenewalMarginMs`,
   * `clock` (ms since the epoch; defaults to `Date.now`), `logger` (an
   * object with `debug` and `info` methods, such as `console` or a pino or
   * winston logger: each call's retries, lookups and outcome, and the
   * token fetches, go to it; by default `console` when the environment
   * sets `LEAN_LOG=debug` or `info`; `null` for none),
   * `dangerouslyAllowBrowser` (with `clientSecret`, in a web page the client
   * refuses to start without it: whoever opens the page can read the
   * secret, and with it every connected customer's bank data; the app
   * token and a customer token minted by your backend need no opt-in).
   */
  constructor(credentials, options = {}) {
    const secrets = credentialOptions(credentials);
    if (options === null || typeof options !== 'object') throw configuration('options must be an object');
    onlyKnown(options, OPTIONS, 'option');
    const { environment, baseUrl, tokenBaseUrl, tls, clock = Date.now } = options;
    for (const [name, value] of [['environment', environment], ['baseUrl', baseUrl], ['tokenBaseUrl', tokenBaseUrl]]) {
      if (value !== undefined && typeof value !== 'string') throw configuration(`${name} must be a string`);
    }
    if (typeof clock !== 'function') throw configuration('clock must be a function returning milliseconds since the epoch');
    this.#clock = clock;
    this.#logger = chooseLogger(options);
    const settings = JSON.stringify({
      ...secrets,
      environment,
      baseUrl,
      tokenBaseUrl,
      tokenRenewalMarginMs: optionalCount(options, 'tokenRenewalMarginMs'),
      requireMtls: optionalFlag(options, 'requireMtls'),
      ...callSettings(options, this.#logger),
    });
    // The configuration inside wasm, made again if a trap replaced the
    // instance (with a new token policy: the token request in flight went
    // with the old one).
    this.#client = new Remade(() => {
      this.#tokenFetch = null;
      return new (wasm().Client)(settings);
    });
    const env = this.environment;
    const send = createSender(this.#transport(options, env), this.#client.get().timeoutMs);
    this.#send = options.tls === undefined && env.apiBaseUrl.startsWith('https://') ? withMtlsHint(send) : send;
  }

  /**
   * Where calls go: `{ name, apiBaseUrl, tokenUrl, requiresMtls }`
   * (`tokenUrl` is `null` where the token host is not documented).
   */
  get environment() {
    return JSON.parse(guard(() => this.#client.get().environment()));
  }

  /**
   * The current OAuth token's `{ expiresAt, renewAt, scope }` (Dates; never
   * the token), or `null` before the first token or without OAuth.
   */
  get tokenStatus() {
    const status = guard(() => this.#client.get().tokenStatus());
    if (status === undefined) return null;
    const { expiresAtMs, renewAtMs, scope } = JSON.parse(status);
    return { expiresAt: new Date(expiresAtMs), renewAt: new Date(renewAtMs), ...(scope ? { scope } : {}) };
  }

  /**
   * Mints an access token limited to one customer (scope `customer.<id>`)
   * with this client's OAuth credentials: the backend half of the Link SDK
   * flow. Hand only `token.accessToken` to the app on that customer's
   * device, never the client secret. Sent once (a transport failure rejects
   * with `transport`, a refusal with the API error); the client's own token
   * is not touched. Resolves to an `OAuthToken` whose printed forms never
   * show the token.
   */
  async customerToken(customerId) {
    if (typeof customerId !== 'string') throw configuration('customerId must be a string');
    const client = this.#client.get();
    const { send } = readStep(guard(() => client.customerTokenRequest(customerId)));
    const answer = await this.#send(send);
    if (answer.hiddenRedirect) throw hiddenRedirect(send.url);
    if (answer.kind) {
      throw fromCore({ code: 'transport', outcomeUnknown: false, message: `the OAuth token request to ${send.url} failed: ${answer.message}` });
    }
    return new OAuthToken(JSON.parse(guard(() => wasm().parseToken(answer.status, answer.headers, answer.body, this.#clock()))));
  }

  toString() {
    return 'OpenBankingClient { credentials: <redacted> }';
  }

  /** The transport: `fetch`, or the mTLS transport built from `tls`. */
  #transport({ fetch, tls }, env) {
    if (fetch !== undefined && typeof fetch !== 'function') throw configuration('fetch must be a function');
    if (tls !== undefined && fetch !== undefined) {
      throw configuration('pass tls (the client certificate) or fetch (a transport of your own), not both');
    }
    if (tls !== undefined) {
      if (mtlsFactory === null) {
        throw configuration(
          'tls is not available in browsers: the browser presents a client certificate itself (installed in the browser or the OS); omit tls',
        );
      }
      if (!env.apiBaseUrl.startsWith('https://')) {
        throw configuration(`tls needs an https:// base URL; ${env.apiBaseUrl} is plain HTTP`);
      }
      return mtlsFactory(tls);
    }
    if (env.requiresMtls && fetch === undefined) {
      throw configuration(
        mtlsFactory === null
          ? `${env.name} requires mutual TLS: in a browser the browser presents the client certificate; pass fetch: globalThis.fetch to confirm it is installed`
          : `${env.name} requires mutual TLS: pass tls: { cert, key, ca } (the certificate, private key and Lean's chain from the developer portal, as PEM text or Buffers), or a fetch that presents the client certificate`,
      );
    }
    const chosen = fetch ?? globalThis.fetch;
    if (typeof chosen !== 'function') {
      throw configuration('no fetch function: pass options.fetch, or use a runtime with a global fetch');
    }
    return chosen;
  }

  /**
   * Runs one call. `options.signal` (an `AbortSignal`) interrupts it; every
   * method takes it as its last argument.
   */
  async #run(spec, options) {
    const client = this.#client.get();
    if (!client.usesOAuth) return runCall(client, spec, this.#send, options, this.#logger);
    const ticket = guard(() => client.openTicket());
    try {
      for (;;) {
        await this.#authenticate(client, ticket);
        try {
          return await runCall(client, spec, this.#send, options, this.#logger, ticket);
        } catch (error) {
          if (error?.code !== 'unauthorized' || !this.#same(client) || !this.#tokenStep(client, () => client.onUnauthorized(ticket))) {
            throw error;
          }
        }
      }
    } finally {
      if (this.#same(client)) client.closeTicket(ticket);
    }
  }

  /** Whether `client` is still this client's wasm client (no trap replaced it). */
  #same(client) {
    return client === this.#client.get();
  }

  /**
   * Follows the core's token policy until it lets the call of `ticket`
   * start: sends the token request when the policy says so, or waits for
   * the one another call sends.
   */
  async #authenticate(client, ticket) {
    for (;;) {
      if (!this.#same(client)) {
        throw new LeanError('lean-sdk recovered from an internal error while fetching a token; retry the call', { code: 'internal' });
      }
      const step = readStep(this.#tokenStep(client, () => client.tokenPoll(ticket, this.#clock())));
      if (step.use) return;
      if (step.waitFor !== undefined) {
        if (this.#tokenFetch === null) throw new LeanError('a token fetch the SDK lost track of', { code: 'internal' });
        // Its outcome is the next poll's to report.
        await this.#tokenFetch.catch(() => {});
        continue;
      }
      const fetch = this.#fetchToken(client, ticket, step.send);
      this.#tokenFetch = fetch;
      try {
        await fetch;
      } finally {
        if (this.#tokenFetch === fetch) this.#tokenFetch = null;
      }
    }
  }

  /**
   * Sends the token request of `ticket` and reports the outcome to the
   * policy, whatever it is: other calls wait for it.
   */
  async #fetchToken(client, ticket, request) {
    let answer;
    try {
      answer = await this.#send(request);
    } catch (error) {
      answer = { kind: 'other', message: String(error?.message ?? error) };
    }
    if (!this.#same(client)) return;
    if (answer.hiddenRedirect) {
      // The calls waiting for this token get the core's redirect error; this
      // one says that the browser hid where the redirect pointed.
      this.#tokenStep(client, () => client.tokenFailed(ticket, 'redirect', ''));
      throw hiddenRedirect(request.url);
    }
    if (answer.kind) throw translate(this.#tokenStep(client, () => client.tokenFailed(ticket, answer.kind, answer.message)));
    this.#tokenStep(client, () => client.tokenResponse(ticket, answer.status, answer.headers, answer.body, this.#clock()));
  }

  /**
   * Runs one step of the token policy (`guard`ed), then hands the events
   * it recorded to the logger, whether the step threw or not.
   */
  #tokenStep(client, step) {
    try {
      return guard(step);
    } finally {
      if (this.#logger !== null && this.#same(client)) emit(this.#logger, JSON.parse(guard(() => client.takeEvents())));
    }
  }

  static {
    defineOperations(this, OPERATIONS, (client, spec, options) => client.#run(spec, options));
  }
}

printedAsString(OpenBankingClient);
