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
import { configuration, host, optionalCount, secretsPolicy } from '../options.js';
import { callSignal, createSender, drive, entropy, hiddenRedirect, readStep } from '../transport.js';
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

/** Refuses keys the client does not read: a misspelt option must not be ignored. */
function onlyKnown(object, known, what) {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      throw configuration(`unknown ${what} ${JSON.stringify(key)}: expected one of ${known.join(', ')}`);
    }
  }
}

function optionalFlag(object, name) {
  const value = object[name];
  if (value !== undefined && typeof value !== 'boolean') throw configuration(`${name} must be true or false`);
  return value;
}

/**
 * The `{ pageNumber, pageSize }` of a list call, with nothing else in it:
 * call options (`{ signal }`) passed where the paging goes would otherwise
 * be ignored without a word. The core checks the numbers. (The methods that
 * call it are `async`, so that its error rejects like every other.)
 */
function pagingOf(paging) {
  if (paging === undefined || paging === null) return {};
  if (typeof paging !== 'object') throw configuration('paging must be an object { pageNumber?, pageSize? }');
  onlyKnown(paging, ['pageNumber', 'pageSize'], 'paging key');
  const { pageNumber, pageSize } = paging;
  return { pageNumber, pageSize };
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
    const { environment, baseUrl, tokenBaseUrl, tls, retryBackoff = {}, clock = Date.now } = options;
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
      maxRetries: optionalCount(options, 'maxRetries'),
      timeoutMs: optionalCount(options, 'timeoutMs'),
      initialBackoffMs: optionalCount(retryBackoff, 'initialMs', 'retryBackoff.'),
      maxBackoffMs: optionalCount(retryBackoff, 'maxMs', 'retryBackoff.'),
      tokenRenewalMarginMs: optionalCount(options, 'tokenRenewalMarginMs'),
      requireMtls: optionalFlag(options, 'requireMtls'),
      host: host(),
      events: this.#logger !== null,
      ...secretsPolicy(options),
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

  /**
   * `POST /customers/v1/`. A retry whose first attempt may have landed, or
   * a 409 `CUSTOMER_ALREADY_EXISTS`, is resolved by looking the customer up
   * by `app_user_id`: creating a customer is idempotent.
   */
  createCustomer(input, options) {
    return this.#run({ operation: 'createCustomer', input }, options);
  }

  /** `GET /customers/v1/{customer_id}`. */
  getCustomer(customerId, options) {
    return this.#run({ operation: 'getCustomer', customerId }, options);
  }

  /** `GET /customers/v1/app-user-id/{app_user_id}`. */
  getCustomerByAppUserId(appUserId, options) {
    return this.#run({ operation: 'getCustomerByAppUserId', appUserId }, options);
  }

  /** `GET /customers/v1`, one page: `{ customers, ...paging fields }`. */
  listCustomers(paging = {}, options) {
    const { pageNumber, pageSize } = paging ?? {};
    return this.#run({ operation: 'listCustomers', pageNumber, pageSize }, options);
  }

  /** `GET /customers/v1/{customer_id}/entities`: the banks the customer connected. */
  listEntities(customerId, options) {
    return this.#run({ operation: 'listEntities', customerId }, options);
  }

  /** `GET /customers/v1/{customer_id}/entities/{entity_id}`. */
  getEntity(customerId, entityId, options) {
    return this.#run({ operation: 'getEntity', customerId, entityId }, options);
  }

  /**
   * `POST /data/v1/identity` with `{ entity_id, async? }`. Data calls
   * resolve to `{ status: 'OK', payload }`, or with `async: true` (or a
   * slow bank) to `{ status: 'PENDING', results_id }`: fetch those with
   * `getDataResults` once the `results.ready` webhook arrives.
   */
  getIdentity(input, options) {
    return this.#run({ operation: 'getIdentity', input }, options);
  }

  /** `POST /data/v1/accounts` with `{ entity_id, async? }`. */
  getAccounts(input, options) {
    return this.#run({ operation: 'getAccounts', input }, options);
  }

  /** `POST /data/v1/balance` with `{ entity_id, account_id, async? }`. */
  getBalance(input, options) {
    return this.#run({ operation: 'getBalance', input }, options);
  }

  /**
   * `POST /data/v1/transactions` with `{ entity_id, account_id, async? }`,
   * and optionally `start_date` and `end_date` (`'YYYY-MM-DD'`, both days
   * included: only those days are fetched from the bank, which is quicker)
   * and `insights: true` (Lean's income and spending summary beside them).
   */
  getTransactions(input, options) {
    return this.#run({ operation: 'getTransactions', input }, options);
  }

  /** `GET /data/v2/results/{results_id}`: the data of a `PENDING` answer. */
  getDataResults(resultsId, options) {
    return this.#run({ operation: 'getDataResults', resultsId }, options);
  }

  /**
   * `POST /payments/v1/intents` with `{ customer_id, amount, currency, ... }`
   * (`amount` a decimal string). Not retried once it may have landed: an
   * uncertain create fails with `transport` and `outcomeUnknown: true`.
   */
  createPaymentIntent(input, options) {
    return this.#run({ operation: 'createPaymentIntent', input }, options);
  }

  /** `GET /payments/v1/intents/{payment_intent_id}`. */
  getPaymentIntent(paymentIntentId, options) {
    return this.#run({ operation: 'getPaymentIntent', paymentIntentId }, options);
  }

  /** `POST /payments/v1/destinations`. */
  createPaymentDestination(input, options) {
    return this.#run({ operation: 'createPaymentDestination', input }, options);
  }

  /** `GET /payments/v1/destinations`. */
  listPaymentDestinations(options) {
    return this.#run({ operation: 'listPaymentDestinations' }, options);
  }

  /**
   * `GET /banks/v1/`: the banks Lean supports, for a bank picker of your
   * own; only those offering `accountTypes` (`'PERSONAL'`, `'BUSINESS'`)
   * when given.
   */
  listBanks(accountTypes, options) {
    return this.#run({ operation: 'listBanks', accountTypes }, options);
  }

  /**
   * `GET /payments/v1/{payment_id}`: one payment made against an intent
   * (the `id` of the `payment.created` webhook), for its current status.
   */
  getPayment(paymentId, options) {
    return this.#run({ operation: 'getPayment', paymentId }, options);
  }

  /**
   * `GET /payments/v1/intents`: every payment intent of the application
   * (a customer token: that customer's), with the payments made against
   * each: to reconcile intents whose webhooks were missed.
   */
  listPaymentIntents(options) {
    return this.#run({ operation: 'listPaymentIntents' }, options);
  }

  /**
   * `GET /customers/v1/entities`: the entities (bank connections) of every
   * customer made from `startDate` to `endDate` (`'YYYY-MM-DD'`, both days
   * included), one page at a time (`{ pageNumber, pageSize }`): to find the
   * connections made while `entity.created` webhooks were not received.
   */
  async listEntitiesByDate(startDate, endDate, paging, options) {
    return this.#run({ operation: 'listEntitiesByDate', startDate, endDate, ...pagingOf(paging) }, options);
  }

  /**
   * `GET /data/v2/accounts`: the entity's accounts as Lean holds them since
   * the last refresh, one page at a time (`{ pageNumber, pageSize }`,
   * pages from 0). Answered at once, where `getAccounts` asks the bank.
   * The data v2 reads resolve to a `DataPage`: `data`, the records as Lean
   * sends them (amounts as exact decimal strings), and `page`, Lean's
   * `{ number, size, total_elements, total_pages }`. A `FAILED` answer
   * rejects with `LeanApiError` (`apiCode: 'FAILED'`, `granularStatusCode`).
   */
  async listAccounts(entityId, paging, options) {
    return this.#run({ operation: 'listAccounts', entityId, ...pagingOf(paging) }, options);
  }

  /**
   * `GET /data/v2/identity`: the account holder's identity as Lean holds it,
   * a `DataPage`.
   */
  async listIdentities(entityId, paging, options) {
    return this.#run({ operation: 'listIdentities', entityId, ...pagingOf(paging) }, options);
  }

  /**
   * `GET /data/v2/accounts/{account_id}/balances`: one account's balances as
   * Lean holds them, a page at a time: answered at once, where `getBalance`
   * asks the bank. A `DataPage`.
   */
  async listAccountBalances(entityId, accountId, paging, options) {
    return this.#run({ operation: 'listAccountBalances', entityId, accountId, ...pagingOf(paging) }, options);
  }

  /**
   * `GET /data/v2/accounts/{account_id}/transactions`: one account's
   * transactions as Lean holds them, a page at a time: a long history read
   * without holding it all at once. A `DataPage`.
   */
  async listAccountTransactions(entityId, accountId, paging, options) {
    return this.#run({ operation: 'listAccountTransactions', entityId, accountId, ...pagingOf(paging) }, options);
  }

  /**
   * `GET /data/v2/accounts/{account_id}/identities`: the identities of one
   * account's holders (a joint account has several). A `DataPage`.
   */
  async listAccountIdentities(entityId, accountId, paging, options) {
    return this.#run({ operation: 'listAccountIdentities', entityId, accountId, ...pagingOf(paging) }, options);
  }

  /**
   * `GET /data/v2/accounts/{account_id}/beneficiaries`: the payees saved on
   * one account at the bank: whom the customer pays. A `DataPage`.
   */
  async listAccountBeneficiaries(entityId, accountId, paging, options) {
    return this.#run({ operation: 'listAccountBeneficiaries', entityId, accountId, ...pagingOf(paging) }, options);
  }

  /**
   * `GET /data/v2/accounts/{account_id}/direct-debits`: one account's direct
   * debits (mandates that let a company take payments): commitments an
   * affordability check must count. A `DataPage`.
   */
  async listAccountDirectDebits(entityId, accountId, paging, options) {
    return this.#run({ operation: 'listAccountDirectDebits', entityId, accountId, ...pagingOf(paging) }, options);
  }

  /**
   * `GET /data/v2/accounts/{account_id}/standing-orders`: one account's
   * standing orders (recurring payments the customer set up). A `DataPage`.
   */
  async listAccountStandingOrders(entityId, accountId, paging, options) {
    return this.#run({ operation: 'listAccountStandingOrders', entityId, accountId, ...pagingOf(paging) }, options);
  }

  /**
   * `GET /data/v2/accounts/{account_id}/scheduled-payments`: one account's
   * scheduled future payments: money already committed. A `DataPage`.
   */
  async listAccountScheduledPayments(entityId, accountId, paging, options) {
    return this.#run({ operation: 'listAccountScheduledPayments', entityId, accountId, ...pagingOf(paging) }, options);
  }

  /**
   * `POST /data/v2/refreshes`: asks Lean to fetch an entity's data from its
   * bank again, so that the data v2 reads return today's data. Resolves at
   * once to the refresh, `status: 'IN_PROGRESS'`; the
   * `entity.data.refresh.updated` webhook (or `getDataRefresh`) says when it
   * is done. Not retried once it may have landed: an uncertain create
   * rejects with `transport` and `outcomeUnknown: true`, so look at
   * `listDataRefreshes` before asking again.
   */
  createDataRefresh(entityId, options) {
    return this.#run({ operation: 'createDataRefresh', entityId }, options);
  }

  /**
   * `GET /data/v2/refreshes/{refresh_id}`: one refresh, for its `status`
   * and, once done, its `data_status`.
   */
  getDataRefresh(refreshId, options) {
    return this.#run({ operation: 'getDataRefresh', refreshId }, options);
  }

  /**
   * `GET /data/v2/refreshes?entity_id=`: an entity's refreshes, one page at
   * a time (`{ pageNumber, pageSize }`): whether one is under way before
   * starting another.
   */
  async listDataRefreshes(entityId, paging, options) {
    return this.#run({ operation: 'listDataRefreshes', entityId, ...pagingOf(paging) }, options);
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
    const signal = callSignal(options);
    const client = this.#client.get();
    if (!client.usesOAuth) {
      return drive(guard(() => client.start(JSON.stringify(spec), entropy())), this.#send, signal, this.#logger);
    }
    const ticket = guard(() => client.openTicket());
    try {
      for (;;) {
        await this.#authenticate(client, ticket);
        const first = guard(() => client.start(JSON.stringify(spec), entropy(), ticket));
        try {
          return await drive(first, this.#send, signal, this.#logger);
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
}

printedAsString(OpenBankingClient);

/**
 * Checks an operation's input with the API's rules without sending it:
 * returns the field errors (`[]` when valid). `args` carries path
 * arguments where the operation has them (`{ customerId }`).
 */
export function validate(operation, input, args = {}) {
  const found = guard(() => wasm().checkCall(JSON.stringify({ ...args, operation, input })));
  if (found === undefined || found === null) return [];
  const error = translate(found);
  if (error.code !== 'validation') throw error;
  return error.errors;
}
