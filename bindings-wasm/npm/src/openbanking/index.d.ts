// Type declarations of `lean-sdk/openbanking`, Lean's open-banking API.
// The core's models and inputs are generated from its definitions by the
// build (`./openbanking-types.js`); this file declares the JavaScript API
// around them, and is compiled against the real exports by
// test/openbanking-types.test.js (tsc --noEmit). Field names are the API's
// own snake_case names; amounts are decimal strings ("100.50"), never
// numbers. The error classes are the main entry's own.

import type {
  CallOptions, FieldError, Logger, NodeRequestLike, NodeResponseLike, Secrets, SignatureHeader, WebhookFunctions,
  WebhookHelperOptions, WebhookPayload, WithAttempts,
} from './index.js';
import type {
  Bank, Customer, CustomerPage, DataPage, DataRefresh, DataResult, Destination, Entity, EventType, NewCustomer, NewDestination,
  NewPaymentIntent, OperationName, Payment, PaymentIntent,
} from './openbanking-types.js';
export type * from './openbanking-types.js';
export {
  LeanError,
  LeanValidationError,
  LeanApiError,
  LeanRedirectError,
  WebhookSignatureError,
  type Amount,
  type Attempt,
  type CallOptions,
  type ErrorCode,
  type FieldError,
  type FieldErrorCode,
  type LeanEvent,
  type Logger,
  type NodeRequestLike,
  type NodeResponseLike,
  type Secrets,
  type SignatureHeader,
  type WebhookPayload,
  type WithAttempts,
} from './index.js';

export type EnvironmentName = 'uae-sandbox' | 'uae-sandbox-mtls' | 'uae-production' | 'ksa-sandbox' | 'ksa-production';

/** The application token (`lean-app-token` on every call). */
export interface AppTokenCredentials {
  appToken: string;
}
/** OAuth 2.0 client credentials; `customerId` asks for a token of scope `customer.<id>`. */
export interface OAuthCredentials {
  clientId: string;
  clientSecret: string;
  customerId?: string;
}
/** A bearer token minted elsewhere (for example by your own token service). */
export interface AccessTokenCredentials {
  accessToken: string;
}
export type Credentials = AppTokenCredentials | OAuthCredentials | AccessTokenCredentials;

/** The client certificate for mutual TLS (Node only): PEM text or bytes. */
export interface TlsOptions {
  /** The application's certificate (followed by Lean's chain if the portal says so). */
  cert: string | Uint8Array | Array<string | Uint8Array>;
  /** Its private key. */
  key: string | Uint8Array;
  /** The chain that signed the server's certificate; the system roots when absent. */
  ca?: string | Uint8Array | Array<string | Uint8Array>;
  /** For an encrypted key. */
  passphrase?: string;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface OpenBankingClientOptions {
  /** `'uae-sandbox'` (default), `'uae-sandbox-mtls'`, `'uae-production'`, `'ksa-sandbox'`, `'ksa-production'`. */
  environment?: EnvironmentName;
  /** Any other host instead (a local emulator): `https://`, or `http://` on loopback. */
  baseUrl?: string;
  /** The OAuth token host (`{tokenBaseUrl}/oauth2/token`): needed for OAuth in the UAE sandbox and custom hosts. */
  tokenBaseUrl?: string;
  /** With `baseUrl`: the host requires mTLS (documented environments know; a `baseUrl` in front of one keeps its requirement). */
  requireMtls?: boolean;
  /** Node: present this client certificate (mutual TLS). Not in browsers. */
  tls?: TlsOptions;
  /** The transport; defaults to `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /** Per-attempt timeout in milliseconds (default 65000: Lean may hold a synchronous data call 50 s before answering `PENDING`). */
  timeoutMs?: number;
  /** Exponential backoff bounds between retries. */
  retryBackoff?: { initialMs?: number; maxMs?: number };
  /** Renew OAuth tokens this long before they expire (default 60000, at most half their lifetime). */
  tokenRenewalMarginMs?: number;
  /** The clock, in milliseconds since the epoch (default `Date.now`). */
  clock?: () => number;
  /**
   * Receives each call's events and the token fetches' (requests and
   * answers at `debug`; retries, lookups, tokens and outcomes at `info`).
   * Without one, `console` when the environment sets `LEAN_LOG=debug` or
   * `info`; `null` turns that off.
   */
  logger?: Logger | null;
  /**
   * Lets a client with `clientSecret` start in a web page. Without it, it
   * throws a `configuration` error there: whoever opens the page can read
   * the secret. The app token, or a customer token your backend mints with
   * `customerToken`, needs no opt-in.
   */
  dangerouslyAllowBrowser?: boolean;
}

export interface EnvironmentInfo {
  name: EnvironmentName | 'custom' | (string & {});
  apiBaseUrl: string;
  /** `null` where the token host is not documented (set `tokenBaseUrl`). */
  tokenUrl: string | null;
  requiresMtls: boolean;
}

export interface TokenStatus {
  expiresAt: Date;
  renewAt: Date;
  scope?: string;
}

/**
 * An access token for one customer's device (`customerToken`). Printed,
 * inspected or serialised it shows `<redacted>`: read `accessToken`.
 */
export class OAuthToken {
  private constructor();
  /** The token itself, for the app to hand to the Link SDK. Keep it out of logs. */
  readonly accessToken: string;
  /** When it expires, counted from when the answer arrived. */
  readonly expiresAt: Date;
  /** The scope granted (`customer.<id>`), or `null` if the server did not say. */
  readonly scope: string | null;
}

/** Input of `getIdentity` and `getAccounts`. */
export interface EntityDataRequest {
  entity_id: string;
  /** Answer `PENDING` at once and send `results.ready` when the data is there. */
  async?: boolean;
}
/** Input of `getBalance` and `getTransactions`. */
export interface AccountDataRequest extends EntityDataRequest {
  account_id: string;
}
/** Input of `getTransactions`: only the days from `start_date` to `end_date` (`'YYYY-MM-DD'`, both included), with Lean's `insights`. */
export interface TransactionsRequest extends AccountDataRequest {
  start_date?: string;
  end_date?: string;
  /** Ask for Lean's income and spending summary beside the transactions. */
  insights?: boolean;
}
/** Which page of a list call to read: `pageNumber` from 0, `pageSize` at least 1. */
export interface Paging {
  pageNumber?: number;
  pageSize?: number;
}

/** A client for Lean's open-banking API. */
export class OpenBankingClient {
  constructor(credentials: Credentials, options?: OpenBankingClientOptions);
  readonly environment: EnvironmentInfo;
  readonly tokenStatus: TokenStatus | null;
  /** Mints a `customer.<id>` token with the client credentials for the Link SDK on that customer's device. */
  customerToken(customerId: string): Promise<OAuthToken>;
  /**
   * `POST /customers/v1/`. A retry whose first attempt may have landed, or
   * a 409 `CUSTOMER_ALREADY_EXISTS`, is resolved by looking the customer up
   * by `app_user_id`: creating a customer is idempotent.
   */
  createCustomer(input: NewCustomer, options?: CallOptions): Promise<WithAttempts<Customer>>;
  getCustomer(customerId: string, options?: CallOptions): Promise<WithAttempts<Customer>>;
  getCustomerByAppUserId(appUserId: string, options?: CallOptions): Promise<WithAttempts<Customer>>;
  listCustomers(paging?: { pageNumber?: number; pageSize?: number }, options?: CallOptions): Promise<WithAttempts<CustomerPage>>;
  listEntities(customerId: string, options?: CallOptions): Promise<WithAttempts<Entity[]>>;
  getEntity(customerId: string, entityId: string, options?: CallOptions): Promise<WithAttempts<Entity>>;
  /**
   * `POST /data/v1/identity`. Data calls resolve to `{ status: 'OK', payload }`,
   * or with `async: true` (or a slow bank) to `{ status: 'PENDING', results_id }`:
   * fetch those with `getDataResults` once the `results.ready` webhook arrives.
   */
  getIdentity(input: EntityDataRequest, options?: CallOptions): Promise<WithAttempts<DataResult>>;
  getAccounts(input: EntityDataRequest, options?: CallOptions): Promise<WithAttempts<DataResult>>;
  getBalance(input: AccountDataRequest, options?: CallOptions): Promise<WithAttempts<DataResult>>;
  /**
   * `POST /data/v1/transactions`: optionally only the days from `start_date` to
   * `end_date` (quicker), and with `insights: true` Lean's income and spending summary.
   */
  getTransactions(input: TransactionsRequest, options?: CallOptions): Promise<WithAttempts<DataResult>>;
  getDataResults(resultsId: string, options?: CallOptions): Promise<WithAttempts<DataResult>>;
  /**
   * `POST /payments/v1/intents` (`amount` a decimal string). Not retried once it may
   * have landed: an uncertain create fails with `transport` and `outcomeUnknown: true`.
   */
  createPaymentIntent(input: NewPaymentIntent, options?: CallOptions): Promise<WithAttempts<PaymentIntent>>;
  getPaymentIntent(paymentIntentId: string, options?: CallOptions): Promise<WithAttempts<PaymentIntent>>;
  createPaymentDestination(input: NewDestination, options?: CallOptions): Promise<WithAttempts<Destination>>;
  listPaymentDestinations(options?: CallOptions): Promise<WithAttempts<Destination[]>>;
  /** The banks Lean supports; only those offering `accountTypes` (`'PERSONAL'`) when given. */
  listBanks(accountTypes?: string, options?: CallOptions): Promise<WithAttempts<Bank[]>>;
  /** One payment made against an intent, by its id. */
  getPayment(paymentId: string, options?: CallOptions): Promise<WithAttempts<Payment>>;
  /** Every payment intent of the application (a customer token: that customer's), to reconcile missed webhooks. */
  listPaymentIntents(options?: CallOptions): Promise<WithAttempts<PaymentIntent[]>>;
  /** The entities of every customer connected from `startDate` to `endDate` (`'YYYY-MM-DD'`, both included). */
  listEntitiesByDate(startDate: string, endDate: string, paging?: Paging, options?: CallOptions): Promise<WithAttempts<Entity[]>>;
  /**
   * The entity's accounts as Lean holds them since the last refresh, one page at a time: answered at once,
   * where `getAccounts` asks the bank. The data v2 reads resolve to a `DataPage`; a `FAILED` answer rejects
   * with `LeanApiError` (`apiCode: 'FAILED'`, `granularStatusCode`).
   */
  listAccounts(entityId: string, paging?: Paging, options?: CallOptions): Promise<WithAttempts<DataPage>>;
  /** The account holder's identity as Lean holds it. */
  listIdentities(entityId: string, paging?: Paging, options?: CallOptions): Promise<WithAttempts<DataPage>>;
  listAccountBalances(entityId: string, accountId: string, paging?: Paging, options?: CallOptions): Promise<WithAttempts<DataPage>>;
  listAccountTransactions(entityId: string, accountId: string, paging?: Paging, options?: CallOptions): Promise<WithAttempts<DataPage>>;
  listAccountIdentities(entityId: string, accountId: string, paging?: Paging, options?: CallOptions): Promise<WithAttempts<DataPage>>;
  listAccountBeneficiaries(entityId: string, accountId: string, paging?: Paging, options?: CallOptions): Promise<WithAttempts<DataPage>>;
  listAccountDirectDebits(entityId: string, accountId: string, paging?: Paging, options?: CallOptions): Promise<WithAttempts<DataPage>>;
  listAccountStandingOrders(entityId: string, accountId: string, paging?: Paging, options?: CallOptions): Promise<WithAttempts<DataPage>>;
  listAccountScheduledPayments(entityId: string, accountId: string, paging?: Paging, options?: CallOptions): Promise<WithAttempts<DataPage>>;
  /**
   * Asks Lean to fetch the entity's data from its bank again; `entity.data.refresh.updated` (or
   * `getDataRefresh`) says when it is done. Not retried once it may have landed: look at
   * `listDataRefreshes` before asking again after a `transport` error with `outcomeUnknown: true`.
   */
  createDataRefresh(entityId: string, options?: CallOptions): Promise<WithAttempts<DataRefresh>>;
  getDataRefresh(refreshId: string, options?: CallOptions): Promise<WithAttempts<DataRefresh>>;
  listDataRefreshes(entityId: string, paging?: Paging, options?: CallOptions): Promise<WithAttempts<DataRefresh[]>>;
}

/** Checks input with the API's rules without sending it; `[]` when valid. */
export function validate(operation: OperationName, input: unknown, args?: Record<string, unknown>): FieldError[];

/**
 * Node.js: a `fetch`-compatible transport on node:https that presents a
 * client certificate. In browsers it throws: the browser presents client
 * certificates itself.
 */
export function createMtlsFetch(tls: TlsOptions): FetchLike;

/**
 * A verified webhook: the envelope as Lean sends it. Lean delivers an event
 * again until it gets a 200: skip the ones whose `event_id` you have already
 * handled.
 */
export interface WebhookEvent {
  type: EventType;
  /**
   * What the event is about, checked by the core for the types it knows: `results.ready`
   * `ResultsReady` (`id`, the results id for `getDataResults`), `entity.created` `Entity`,
   * `payment.created` / `payment.updated` `Payment`, `payment_intent.created`
   * `PaymentIntentCreated`, `payment_source.created` / `payment_source.beneficiary.created`
   * `PaymentSource`, `entity.data.refresh.updated` `DataRefresh`, `bank.availability.updated`
   * `BankAvailability`; amounts are decimal strings. Other types: the JSON as sent.
   */
  payload: any;
  message?: string;
  timestamp?: string;
  event_id?: string;
  [field: string]: unknown;
}

export class WebhookVerifier {
  constructor(secretOrSecrets: Secrets);
  verify(payload: WebhookPayload, signature: SignatureHeader): void;
  constructEvent(payload: WebhookPayload, signature: SignatureHeader): WebhookEvent;
}

export declare const webhooks: WebhookFunctions<WebhookEvent, WebhookVerifier> & {
  readonly SIGNATURE_HEADER: 'lean-signature';
  /** Lean retries an unanswered webhook after these minutes: answer 200. */
  readonly RETRY_SCHEDULE_MINUTES: readonly number[];
  /** Answers 200 once `onEvent` resolves; 400 to a refused signature. */
  handler(
    options: WebhookHelperOptions & { onEvent: (event: WebhookEvent, request: Request) => void | Promise<void> },
  ): (request: Request) => Promise<Response>;
  /** Answers 200 once `onEvent` resolves; 400 to a refused signature; `next(error)` if `onEvent` throws. */
  express(
    options: WebhookHelperOptions & { onEvent: (event: WebhookEvent, req: NodeRequestLike) => void | Promise<void> },
  ): (req: NodeRequestLike, res: NodeResponseLike, next: (error?: unknown) => void) => void;
};
