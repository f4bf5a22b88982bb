// The public API of `lean-sdk`, the same on every platform. The entry
// points (node.js, browser.js) load the wasm module, then re-export this.

export { LeanClient } from './client.js';
export { validate } from './operations.js';
export { webhooks, WebhookVerifier } from './webhooks.js';
export { LeanError, LeanValidationError, LeanApiError, LeanRedirectError, WebhookSignatureError } from './errors.js';

import { guard, wasm } from './wasm.js';

/**
 * Panics inside the wasm module on purpose. Exists only so the package's
 * tests can prove that a Rust panic surfaces as a catchable `LeanError`
 * (code `internal`) and that the module keeps working; not public API.
 * @internal
 */
export function __testPanic(message) {
  guard(() => wasm().__testPanic(String(message)));
}
