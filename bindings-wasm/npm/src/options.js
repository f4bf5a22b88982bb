// What both clients (`LeanClient`, `OpenBankingClient`) read from their
// options the same way. Each bundle carries its own copy.

import { LeanError } from './errors.js';

/** A `configuration` error: the client is set up wrongly. */
export function configuration(message) {
  return new LeanError(message, { code: 'configuration' });
}

/** The host the core names in the `User-Agent`: `node/<version>` or `browser`. */
export function host() {
  const node = globalThis.process?.versions?.node;
  return node ? `node/${node}` : 'browser';
}

/**
 * Whether this runs in a web page, where a partner secret would be read by
 * whoever opens it: the core refuses such a client unless the caller passes
 * `dangerouslyAllowBrowser: true`. Servers, edge runtimes and workers have
 * no `document`.
 */
export function secretsPolicy(options) {
  const inPage = typeof globalThis.window !== 'undefined' && typeof globalThis.document !== 'undefined';
  return { inPage, dangerouslyAllowBrowser: options.dangerouslyAllowBrowser === true };
}

/** An optional whole number >= 0 (`prefix` names the object it is in). */
export function optionalCount(options, name, prefix = '') {
  const value = options[name];
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw configuration(`${prefix}${name} must be a whole number >= 0, got ${typeof value === 'number' ? value : typeof value}`);
  }
  return value;
}

/** Refuses keys the client does not read: a misspelt option must not be ignored. */
export function onlyKnown(object, known, what) {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      throw configuration(`unknown ${what} ${JSON.stringify(key)}: expected one of ${known.join(', ')}`);
    }
  }
}

/**
 * The settings both clients hand their wasm client alike: retries, the
 * attempt timeout and backoff bounds (checked), the host for the
 * `User-Agent`, whether events are wanted (a `logger` was chosen) and the
 * page policy.
 */
export function callSettings(options, logger) {
  const { retryBackoff = {} } = options;
  return {
    maxRetries: optionalCount(options, 'maxRetries'),
    timeoutMs: optionalCount(options, 'timeoutMs'),
    initialBackoffMs: optionalCount(retryBackoff, 'initialMs', 'retryBackoff.'),
    maxBackoffMs: optionalCount(retryBackoff, 'maxMs', 'retryBackoff.'),
    host: host(),
    events: logger !== null,
    ...secretsPolicy(options),
  };
}
