// The SDK's errors: real `Error` subclasses built from the core's error JSON
// (`Error::to_json`), so every code means the same thing as in Rust, Python,
// Kotlin and Swift. Catch `LeanError` for everything, or a subclass for one
// kind; switch on `code` for the exact reason.
//
// One set of classes serves the whole process: both entry points
// (`lean-sdk` and `lean-sdk/openbanking`, each a bundle of its own, in ESM
// or CommonJS) take them from a global registry, so `instanceof LeanError`
// holds whichever entry point threw. The key carries a shape version: bump
// it when a class changes.

const REGISTRY = Symbol.for('lean-sdk.errors.v3');

/**
 * Keys of the core's error JSON kept as properties of every error that
 * carries them: what a caller needs to decide what to do next.
 */
const DETAILS = ['outcomeUnknown', 'idempotencyKey', 'sentIds', 'applied', 'location', 'status', 'body'];

function defineClasses() {
  /** Every error the SDK throws. `code` is stable and machine-readable. */
  class LeanError extends Error {
    /**
     * `details` may carry the core's keys that say what happened to the
     * request: `outcomeUnknown` (it may have been applied), `idempotencyKey`
     * and `sentIds` (what was sent, to look the operation up or retry it
     * safely), `applied` (a 2xx whose body could not be read), `location`
     * and `status` (a redirect), `body`.
     */
    constructor(message, { code = 'internal', cause, ...details } = {}) {
      super(message, cause === undefined ? undefined : { cause });
      this.code = code;
      for (const key of DETAILS) {
        if (details[key] !== undefined) this[key] = details[key];
      }
    }
  }

  /**
   * Input refused before any request was sent. `errors` lists every failing
   * field at once (`field` is the API's camelCase name), so a form can show
   * them all in one pass.
   */
  class LeanValidationError extends LeanError {
    constructor(message, { errors = [], ...rest } = {}) {
      super(message, { code: 'validation', ...rest });
      this.errors = errors;
    }
  }

  /**
   * The API answered with a non-success status; `body` is the raw text.
   * `apiCode` is the API's own code where its body carries one (open banking:
   * `CUSTOMER_ALREADY_EXISTS`, or `FAILED` for data the bank could not give).
   */
  class LeanApiError extends LeanError {
    constructor(message, { status, body, apiMessage, apiCode, requestId, retryAfterMs, errors = [], ...rest } = {}) {
      super(message, rest);
      this.status = status;
      this.body = body;
      this.apiMessage = apiMessage;
      if (apiCode !== undefined) this.apiCode = apiCode;
      if (requestId !== undefined) this.requestId = requestId;
      if (retryAfterMs !== undefined) this.retryAfterMs = retryAfterMs;
      this.errors = errors;
    }
  }

  /**
   * A webhook was refused: `code` is `signature_missing`, `signature_malformed`
   * or `signature_mismatch` (answer 400 and do not process it), or
   * `invalid_payload` for a genuine body that is not a valid event.
   */
  class WebhookSignatureError extends LeanError {}

  /**
   * The API answered with a redirect (code `redirect`), which the SDK never
   * follows: credentials go only to the configured origin. `status` is the
   * 3xx status and `location` its `Location` header (absent when there was
   * none, or when a browser hid the redirect: then `status` is 0). Usually a
   * wrong `baseUrl` (http instead of https, a missing path) or a proxy.
   */
  class LeanRedirectError extends LeanError {
    constructor(message, rest = {}) {
      super(message, { ...rest, code: 'redirect' });
    }
  }

  const names = { LeanError, LeanValidationError, LeanApiError, WebhookSignatureError, LeanRedirectError };
  for (const [name, cls] of Object.entries(names)) {
    Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
  }
  return Object.freeze(names);
}

// Bound under other names here, so that bundlers need not rename the
// classes inside defineClasses (a renamed class would change its `name`).
const {
  LeanError: SharedLeanError,
  LeanValidationError: SharedValidationError,
  LeanApiError: SharedApiError,
  WebhookSignatureError: SharedSignatureError,
  LeanRedirectError: SharedRedirectError,
} = (globalThis[REGISTRY] ??= defineClasses());
export {
  SharedLeanError as LeanError,
  SharedValidationError as LeanValidationError,
  SharedApiError as LeanApiError,
  SharedSignatureError as WebhookSignatureError,
  SharedRedirectError as LeanRedirectError,
};

const API_CODES = new Set([
  'bad_request', 'unauthorized', 'not_found', 'rate_limited', 'service_unavailable', 'server_error', 'api_error',
]);
const WEBHOOK_CODES = new Set(['signature_missing', 'signature_malformed', 'signature_mismatch', 'invalid_payload']);

/** Builds the matching error class from the core's error JSON. */
export function fromCore(json, cause) {
  const { code, message, fieldErrors, ...details } = json;
  if (code === 'validation') return new SharedValidationError(message, { errors: fieldErrors, cause });
  if (API_CODES.has(code)) return new SharedApiError(message, { code, errors: fieldErrors, cause, ...details });
  if (WEBHOOK_CODES.has(code)) return new SharedSignatureError(message, { code, cause });
  if (code === 'redirect') return new SharedRedirectError(message, { cause, ...details });
  return new SharedLeanError(message, { code, cause, ...details });
}
