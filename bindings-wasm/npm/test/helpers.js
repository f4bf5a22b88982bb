// Shared helpers of the package's tests: the shared vectors, the package
// under test (the built dist/, as users load it) and error comparison.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
export const packageDir = join(here, '..');
export const repoDir = join(here, '..', '..', '..');

/** The cases of one file of tests/vectors/. */
export function vectors(file) {
  const doc = JSON.parse(readFileSync(join(repoDir, 'tests', 'vectors', file), 'utf8'));
  assert.ok(Array.isArray(doc.cases) && doc.cases.length > 0, `${file}: no cases`);
  return doc.cases;
}

/** The package as Node loads it through its exports map. */
export const sdk = await import('lean-sdk');

/** Client options from a vector's `config`, with the vector defaults. */
export function clientOptions(config = {}, extra = {}) {
  return { apiKey: 'test_key_123', environment: 'sandbox', ...config, ...extra };
}

const API_CODES = ['bad_request', 'unauthorized', 'not_found', 'rate_limited', 'service_unavailable', 'server_error', 'api_error'];
const SIGNATURE_CODES = ['signature_missing', 'signature_malformed', 'signature_mismatch', 'invalid_payload'];

/** Checks a thrown error against a vector's expected error (only the keys given). */
export function checkError(name, error, want) {
  assert.ok(error instanceof sdk.LeanError, `${name}: not a LeanError: ${error?.stack ?? error}`);
  assert.ok(error instanceof Error, `${name}: not an Error`);
  assert.equal(error.code, want.code, `${name}: code (${error.message})`);
  if (want.code === 'validation') assert.ok(error instanceof sdk.LeanValidationError, `${name}: class`);
  if (API_CODES.includes(want.code)) assert.ok(error instanceof sdk.LeanApiError, `${name}: class`);
  if (SIGNATURE_CODES.includes(want.code)) assert.ok(error instanceof sdk.WebhookSignatureError, `${name}: class`);
  assert.equal(error.name, error.constructor.name, `${name}: name`);
  for (const key of ['status', 'requestId', 'retryAfterMs', 'outcomeUnknown']) {
    if (key in want) assert.deepEqual(error[key] ?? null, want[key], `${name}: ${key}`);
  }
  if ('message' in want) assert.equal(error.apiMessage, want.message, `${name}: API message`);
  if ('fieldErrors' in want) {
    const pairs = (list) => new Set((list ?? []).map((e) => `${e.field} ${e.code}`));
    assert.deepEqual(pairs(error.errors), pairs(want.fieldErrors), `${name}: field errors`);
    for (const e of error.errors) assert.ok(e.message, `${name}: every field error has a message`);
  }
}

/** The body bytes of a vector response or payload spec. */
export function responseBody(spec) {
  if ('bodyText' in spec) return spec.bodyText;
  if ('body' in spec) return JSON.stringify(spec.body);
  return null;
}

/** A `fetch` Response from a vector reply. */
export function reply(spec) {
  const status = spec.status;
  const body = [204, 205, 304].includes(status) ? null : responseBody(spec);
  return new Response(body, { status, headers: spec.headers ?? {} });
}

/** Runs `fn` and returns what it throws (or fails if it does not throw). */
export async function thrown(name, fn) {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  assert.fail(`${name}: expected an error`);
}
