// Type declarations of the npm package `lean-sdk`. The core's models,
// inputs and codes are generated from its definitions by the build
// (`./core-types.js`, from bindings-wasm/boundary/examples/declarations.rs);
// this file declares the JavaScript API around them, and is compiled
// against the real exports by test/types.test.js. Field names are the
// API's own camelCase names; amounts are strings ("15.00"), never numbers,
// so no binary float ever touches money.

import type {
  Application, CoreErrorCode, Customer, CustomerUpdate, EventType, FieldError, Gig, NewCustomer, NewGig,
  NewSpecialPayment, OperationName, SpecialPayment,
} from './core-types.js';
export type * from './core-types.js';

/** An amount of money as a decimal string with at most two decimals. */
export type Amount = string;

/** The event a webhook reports (the core's `EventType`). */
export type EventName = EventType;

/**
 * A verified webhook: `data` is the object the event is about. Payouts
 * webhooks carry no id or timestamp, and Lean delivers them again until it
 * gets a 200: skip the ones whose `dedupKey` you have already handled.
 */
export interface WebhookEvent {
  event: EventType;
  data: Customer | Gig | SpecialPayment | Record<string, unknown> | null;
  /** `event:objectId:status` (e.g. `gig.completed:g1:SUCCESS`): the same for every delivery of one event. */
  dedupKey: string;
}

/**
 * One request a call made, as the core lists it: what to quote to Lean's
 * support. Results carry their call's list as `attempts` (not enumerable:
 * JSON and equality see the API's value only), and so does every
 * `LeanError`.
 */
export interface Attempt {
  /** 1 for the call's first request, lookups counted. */
  attempt: number;
  /** `operation`, or `lookup` (the lookup of what an uncertain create made). */
  phase: string;
  /** The answer's status; absent when there was no answer. */
  status?: number;
  /** The answer's request id header, when it had one. */
  requestId?: string;
  /** How the attempt failed below HTTP (`connect`, `timeout`, `other`), when it did. */
  transportError?: string;
  /** How long the attempt took, by `performance.now()`. */
  elapsedMs?: number;
}

/** A result with the attempts of the call that produced it. */
export type WithAttempts<T> = T & { readonly attempts: Attempt[] };

/**
 * An event of a call (or of the open-banking token policy), as the core
 * reports it: its name, level, message, then its fields in camelCase. It
 * never holds a credential, a token or a body.
 */
export interface LeanEvent {
  event: string;
  level: 'debug' | 'info';
  message: string;
  [field: string]: unknown;
}

/**
 * Where a client's events go: each to the method of its level, with its
 * message and the event. `console`, pino and winston loggers fit.
 */
export interface Logger {
  debug(message: string, event: LeanEvent): unknown;
  info(message: string, event: LeanEvent): unknown;
}

export interface LeanClientOptions {
  /** The API key (for the local sandbox, the one it was started with). */
  apiKey: string;
  /** `'sandbox'` (default) or `'production'`. */
  environment?: 'sandbox' | 'production';
  /** Another base URL: `https://`, or `http://` on a loopback host. */
  baseUrl?: string;
  /** Defaults to `globalThis.fetch`. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /** Per-attempt timeout in milliseconds (default 30000). */
  timeoutMs?: number;
  /** Exponential backoff bounds between retries (default 500 ms to 5 s). */
  retryBackoff?: { initialMs?: number; maxMs?: number };
  /**
   * Receives each call's events (requests and answers at `debug`; retries,
   * lookups and outcomes at `info`). Without one, `console` when the
   * environment sets `LEAN_LOG=debug` or `info`; `null` turns that off.
   */
  logger?: Logger | null;
  /**
   * Lets the client start in a web page. Without it, it throws a
   * `configuration` error there: whoever opens the page can read the API
   * key and pay out money in your name. Call Lean from your backend; in the
   * page, `validate` checks forms with the API's rules and needs no key.
   */
  dangerouslyAllowBrowser?: boolean;
}

/** A client for the Lean Payouts API. */
/**
 * Per call: `signal` ends the call when aborted. A create interrupted while
 * its request was in flight rejects with a `transport` error whose
 * `outcomeUnknown`, `idempotencyKey` and `sentIds` say what was sent.
 */
export interface CallOptions {
  signal?: AbortSignal;
}

export class LeanClient {
  constructor(options: LeanClientOptions);
  /** `POST /customer`. */
  createCustomer(input: NewCustomer, options?: CallOptions): Promise<WithAttempts<Customer>>;
  /** `GET /customer/:partnerUserId`. */
  getCustomer(partnerUserId: string, options?: CallOptions): Promise<WithAttempts<Customer>>;
  /** `PATCH /customer/:partnerUserId`, while the customer is `PENDING`. */
  updateCustomer(partnerUserId: string, input: CustomerUpdate, options?: CallOptions): Promise<WithAttempts<Customer>>;
  /** `POST /application` (sandbox only). */
  submitApplication(partnerUserId: string, options?: CallOptions): Promise<WithAttempts<Application>>;
  /** `POST /gig`. A retried create whose first attempt may have landed is looked up by `gigId`, never made twice. */
  createGig(input: NewGig, options?: CallOptions): Promise<WithAttempts<Gig>>;
  /** `GET /gig/:gigId`. */
  getGig(gigId: string, options?: CallOptions): Promise<WithAttempts<Gig>>;
  /** `GET /gig`. */
  listGigs(options?: CallOptions): Promise<WithAttempts<Gig[]>>;
  /**
   * `POST /specialpayment`. Pass `{ idempotencyKey }` derived from your own
   * payment id to make re-running a script safe; without it a key is
   * generated per call (the same on each of its retries).
   */
  createSpecialPayment(input: NewSpecialPayment, options?: CallOptions & { idempotencyKey?: string }): Promise<SpecialPayment>;
  /** `GET /specialpayment/:id`. */
  getSpecialPayment(id: string, options?: CallOptions): Promise<SpecialPayment>;
  /** `GET /specialpayment`. */
  listSpecialPayments(options?: CallOptions): Promise<SpecialPayment[]>;
}

/** Checks input with the API's rules without sending it; `[]` when valid. */
export function validate(operation: OperationName, input: unknown, args?: Record<string, unknown>): FieldError[];

/** A raw webhook body exactly as received. */
export type WebhookPayload = string | Uint8Array | ArrayBuffer | ArrayBufferView;
/** The `x-lean-signature` header value as Node or `Headers` give it. */
export type SignatureHeader = string | string[] | null | undefined;
export type Secrets = string | string[];

export class WebhookVerifier {
  constructor(secretOrSecrets: Secrets);
  verify(payload: WebhookPayload, signature: SignatureHeader): void;
  constructEvent(payload: WebhookPayload, signature: SignatureHeader): WebhookEvent;
}

/** Minimal shapes of Node's request/response, so no @types are needed. */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  readableEnded?: boolean;
  leanEvent?: WebhookEvent;
}
export interface NodeResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

/**
 * What the `webhooks` objects of both APIs have, for the event type
 * `Event` and the verifier class `Verifier` of each.
 */
export interface WebhookFunctions<Event, Verifier> {
  sign(payload: WebhookPayload, secret: string): string;
  verify(payload: WebhookPayload, signature: SignatureHeader, secrets: Secrets | Verifier): void;
  constructEvent(payload: WebhookPayload, signature: SignatureHeader, secrets: Secrets | Verifier): Event;
  /** Reads at most `maxBodyBytes` (default 1 MiB); a longer body throws `LeanError` code `payload_too_large`. */
  constructEventFromRequest(
    request: Request,
    secrets: Secrets | Verifier,
    options?: { maxBodyBytes?: number },
  ): Promise<Event>;
  /** The default body limit of the helpers that read a body themselves: 1 MiB. */
  readonly MAX_BODY_BYTES: number;
  createVerifier(secrets: Secrets): Verifier;
}

/** The options of the webhook helpers that read a body themselves (`handler`, `express`). */
export interface WebhookHelperOptions {
  secret?: Secrets;
  secrets?: Secrets;
  /** Bodies longer than this are refused with 413 before being read whole (default 1 MiB). */
  maxBodyBytes?: number;
}

export declare const webhooks: WebhookFunctions<WebhookEvent, WebhookVerifier> & {
  readonly SIGNATURE_HEADER: 'x-lean-signature';
  handler(
    options: WebhookHelperOptions & {
      onEvent: (event: WebhookEvent, request: Request) => void | Response | Promise<void | Response>;
    },
  ): (request: Request) => Promise<Response>;
  express(options: WebhookHelperOptions): (req: NodeRequestLike, res: NodeResponseLike, next: (error?: unknown) => void) => void;
};

/**
 * Every code a `LeanError` carries: the core's, and `payload_too_large` of
 * the webhook helpers that read a body themselves.
 */
export type ErrorCode = CoreErrorCode | 'payload_too_large';

export class LeanError extends Error {
  readonly code: ErrorCode;
  /**
   * On `transport` errors: the request may have been applied (its answer
   * was lost). Look it up by `sentIds`, or retry with `idempotencyKey`;
   * never retry blindly with a new key.
   */
  readonly outcomeUnknown?: boolean;
  /** The `Idempotency-Key` the request carried, when it carried one. */
  readonly idempotencyKey?: string;
  /** The caller-chosen ids that were sent, by wire name (`{ gigId: 'g1' }`, `{ app_user_id: 'u1' }`). */
  readonly sentIds?: Record<string, string>;
  /** On `invalid_response` errors: the API answered 2xx, so the operation was applied, though its body could not be read. */
  readonly applied?: boolean;
  /** On `invalid_response` and `redirect` errors: the HTTP status. */
  readonly status?: number;
  /** On `redirect` errors: the `Location` the API pointed to, when it gave one. */
  readonly location?: string;
  /** On `invalid_response` errors: the raw body. */
  readonly body?: string;
  /** The requests the call made, with their request ids; empty when none was sent. */
  readonly attempts: Attempt[];
}

/**
 * The API answered with a redirect, which the SDK never follows
 * (credentials go only to the configured origin). `status` is 0 and
 * `location` absent when a browser hid the redirect.
 */
export class LeanRedirectError extends LeanError {
  readonly code: 'redirect';
  readonly status: number;
  readonly location?: string;
}

export class LeanValidationError extends LeanError {
  readonly code: 'validation';
  readonly errors: FieldError[];
}

export class LeanApiError extends LeanError {
  readonly status: number;
  /** The raw response body. */
  readonly body: string;
  /** The API's own message, or a description of the status. */
  readonly apiMessage: string;
  /** The API's own error code, where its body carries one (open-banking: `CUSTOMER_ALREADY_EXISTS`, `FAILED`). */
  readonly apiCode?: string;
  /** Why a `FAILED` open-banking data answer failed, where Lean says (`granular_status_code`, such as `CONSENT_EXPIRED`). */
  readonly granularStatusCode?: string;
  readonly requestId?: string;
  readonly retryAfterMs?: number;
  readonly errors: FieldError[];
}

export class WebhookSignatureError extends LeanError {
  readonly code: 'signature_missing' | 'signature_malformed' | 'signature_mismatch' | 'invalid_payload';
}
