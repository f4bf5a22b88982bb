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

const REGISTRY = Symbol.for('lean-sdk.errors.v2');

function defineClasses() {
  /** Every error the SDK throws. `code` is stable and machine-readable. */
  class LeanError extends Error {
    constructor(message, { code = 'internal', cause } = {}) {
      super(message, cause === undefined ? undefined : { cause });
      this.code = code;
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

  const names = { LeanError, LeanValidationError, LeanApiError, WebhookSignatureError };
  for (const [name, cls] of Object.entries(names)) {
    Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
  }
  return Object.freeze({ LeanError, LeanValidationError, LeanApiError, WebhookSignatureError });
}

// Bound under other names here, so that bundlers need not rename the
// classes inside defineClasses (a renamed class would change its `name`).
const {
  LeanError: SharedLeanError,
  LeanValidationError: SharedValidationError,
  LeanApiError: SharedApiError,
  WebhookSignatureError: SharedSignatureError,
} = (globalThis[REGISTRY] ??= defineClasses());
export {
  SharedLeanError as LeanError,
  SharedValidationError as LeanValidationError,
  SharedApiError as LeanApiError,
  SharedSignatureError as WebhookSignatureError,
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
  const error = new SharedLeanError(message, { code, cause });
  // Transport errors say whether the request may have been applied;
  // invalid responses keep the status and body.
  for (const key of ['outcomeUnknown', 'status', 'body']) {
    if (details[key] !== undefined) error[key] = details[key];
  }
  return error;
}
