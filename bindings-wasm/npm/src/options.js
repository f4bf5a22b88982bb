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
