// The public API of `lean-sdk/openbanking`, the same on every platform. The
// entry points (node.js, browser.js) load the open-banking wasm module,
// then re-export this. The error classes are the package's own (the same
// classes `lean-sdk` exports).

export { OpenBankingClient } from './client.js';
export { validate } from '../operations.js';
export { OAuthToken } from './token.js';
export { webhooks, WebhookVerifier } from './webhooks.js';
export { LeanError, LeanValidationError, LeanApiError, LeanRedirectError, WebhookSignatureError } from '../errors.js';

import { guard, wasm } from '../wasm.js';

/**
 * Panics inside the open-banking wasm module on purpose, so that the
 * package's tests can prove a Rust panic surfaces as a catchable
 * `LeanError` (code `internal`) and that the module keeps working; not
 * public API.
 * @internal
 */
export function __testPanic(message) {
  guard(() => wasm().__testPanic(String(message)));
}
