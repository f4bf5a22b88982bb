// Shared helpers of the package's tests: the shared vectors, the package
// under test (the built dist/, as users load it) and error comparison.

import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
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

// The codes of each error class, as the build generated them from the core.
const { API_CODES, WEBHOOK_CODES } = await import(join(packageDir, 'pkg', 'codes.js'));

/** Checks a thrown error against a vector's expected error (only the keys given). */
export function checkError(name, error, want) {
  assert.ok(error instanceof sdk.LeanError, `${name}: not a LeanError: ${error?.stack ?? error}`);
  assert.ok(error instanceof Error, `${name}: not an Error`);
  assert.equal(error.code, want.code, `${name}: code (${error.message})`);
  if (want.code === 'validation') assert.ok(error instanceof sdk.LeanValidationError, `${name}: class`);
  if (API_CODES.includes(want.code)) assert.ok(error instanceof sdk.LeanApiError, `${name}: class`);
  if (WEBHOOK_CODES.includes(want.code)) assert.ok(error instanceof sdk.WebhookSignatureError, `${name}: class`);
  assert.equal(error.name, error.constructor.name, `${name}: name`);
  if (want.code === 'redirect') assert.ok(error instanceof sdk.LeanRedirectError, `${name}: class`);
  for (const key of ['status', 'requestId', 'retryAfterMs', 'idempotencyKey', 'sentIds', 'location']) {
    if (key in want) assert.deepEqual(error[key] ?? null, want[key], `${name}: ${key}`);
  }
  // Flags: absent means false.
  for (const key of ['outcomeUnknown', 'applied']) {
    if (key in want) assert.equal(error[key] === true, want[key] === true, `${name}: ${key}`);
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

/**
 * A `fetch` Response from a vector reply. A status `Response` cannot hold
 * (outside 200-599, such as a broken proxy's 700, or 0) comes as the
 * response-like object a `fetch` of the caller's own may return: the
 * transport passes its status on for the core to judge.
 */
export function reply(spec) {
  const status = spec.status;
  const body = [204, 205, 304].includes(status) ? null : responseBody(spec);
  if (status < 200 || status > 599) {
    const bytes = new TextEncoder().encode(body ?? '');
    return { status, type: 'basic', headers: new Headers(spec.headers ?? {}), arrayBuffer: async () => bytes.buffer };
  }
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

/**
 * Runs a responses.json case: `makeClient(fetch)` builds the client over a
 * fetch that answers once with the case's response; `check(error)` checks
 * a failure against `c.expect.error`.
 */
export async function runResponseCase(c, call, makeClient, invoke, check) {
  let calls = 0;
  const fetch = async () => {
    calls += 1;
    return reply(c.response);
  };
  const client = makeClient(fetch);
  if (c.expect.error) {
    check(c.name, await thrown(c.name, () => invoke(client, call)), c.expect.error);
  } else {
    assert.deepEqual(await invoke(client, call), c.expect.value, `${c.name}: value`);
  }
  assert.equal(calls, 1, `${c.name}: one request`);
}

/**
 * A logger that keeps what it is given: `lines` holds `{ level, message,
 * event }` for each call of its `debug` and `info` methods.
 */
export function capturingLogger() {
  const lines = [];
  const record = (level) => (message, event, ...rest) => {
    assert.equal(rest.length, 0, 'a log line has two arguments');
    lines.push({ level, message, event });
  };
  return { debug: record('debug'), info: record('info'), lines };
}

/** An attempt list without `elapsedMs`, which the host measures. */
function untimed(attempts) {
  return attempts.map(({ elapsedMs, ...rest }) => rest);
}

/**
 * Checks what a call reported against a vector's `attempts` and `events`
 * (the rule of the core's `check_trace`): the attempt list exactly, apart
 * from `elapsedMs` (present on every attempt that ended, the client timing
 * each one); each event's given keys (`path` a suffix of the URL path),
 * logged at its level with its message; the last event's `attempts` the
 * same list.
 */
export function checkTrace(c, attempts, lines) {
  assert.ok(Array.isArray(attempts), `${c.name}: attempts`);
  for (const attempt of attempts) {
    const ended = 'status' in attempt || 'transportError' in attempt;
    assert.equal(typeof attempt.elapsedMs === 'number', ended, `${c.name}: elapsedMs of ${JSON.stringify(attempt)}`);
  }
  assert.deepEqual(untimed(attempts), c.attempts, `${c.name}: attempts`);
  const events = lines.map((line) => line.event);
  const names = events.map((e) => e.event);
  assert.equal(events.length, c.events.length, `${c.name}: events ${names}`);
  c.events.forEach((want, i) => {
    const got = events[i];
    for (const [key, value] of Object.entries(want)) {
      if (key === 'path') assert.ok(got.path.endsWith(value), `${c.name}: path ${got.path} of event ${i + 1}`);
      else assert.deepEqual(got[key], value, `${c.name}: ${key} of event ${i + 1} (${JSON.stringify(got)})`);
    }
    assert.equal(lines[i].level, got.level, `${c.name}: event ${i + 1} goes to its level`);
    assert.equal(typeof got.message, 'string', `${c.name}: message of event ${i + 1}`);
    assert.equal(lines[i].message, got.message, `${c.name}: event ${i + 1} is logged with its message`);
  });
  assert.deepEqual(events.at(-1).attempts, attempts, `${c.name}: the attempts of call_finished`);
}

/** The per-attempt timeout of engine runs; never mistaken for a backoff. */
export const ENGINE_TIMEOUT_MS = 321;

/**
 * Runs an engine.json case: `makeClient(fetch, logger)` builds the client
 * (with `timeoutMs: ENGINE_TIMEOUT_MS`) over a fetch that plays the case's
 * exchanges, failures included, logging to `logger`; the engine's waits
 * are recorded and skipped, the attempt timeout runs for real. A reply
 * `{ interrupt }` aborts the call's signal while its request is in flight.
 * The attempts of the result or error and the events logged are checked
 * against the case's (`checkTrace`).
 */
export async function runEngineCase(c, makeClient, invoke, check) {
  const exchanges = [...c.exchanges];
  const controller = new AbortController();
  const fetch = async (url, init) => {
    const exchange = exchanges.shift();
    assert.ok(exchange, `${c.name}: unexpected request ${init.method} ${url}`);
    assert.equal(init.method, exchange.request.method, `${c.name}: method`);
    assert.ok(url.endsWith(exchange.request.path), `${c.name}: ${url} does not end with ${exchange.request.path}`);
    if (exchange.reply.interrupt !== undefined) {
      controller.abort(new Error(exchange.reply.interrupt));
      throw init.signal.reason;
    }
    switch (exchange.reply.transportError) {
      case undefined: return reply(exchange.reply);
      case 'connect': throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
      case 'timeout':
        // Never answers: the client's own AbortController timeout fires.
        return new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason)));
      default: throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    }
  };
  const waits = [];
  const realSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = (fn, ms, ...rest) => {
    if (ms === ENGINE_TIMEOUT_MS) return realSetTimeout(fn, ms, ...rest);
    waits.push(ms);
    return realSetTimeout(fn, 0, ...rest);
  };
  const logger = capturingLogger();
  let attempts;
  try {
    const client = makeClient(fetch, logger);
    const options = { signal: controller.signal };
    if (c.expect.error) {
      const error = await thrown(c.name, () => invoke(client, c.call, options));
      check(c.name, error, c.expect.error);
      attempts = error.attempts;
    } else {
      const value = await invoke(client, c.call, options);
      assert.deepEqual(value, c.expect.value, `${c.name}: value`);
      assert.ok(!Object.keys(value).includes('attempts'), `${c.name}: attempts are not enumerable`);
      attempts = value.attempts;
    }
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
  assert.equal(exchanges.length, 0, `${c.name}: the engine stopped before every exchange was used`);
  assert.ok(c.attempts && c.events, `${c.name}: the case gives attempts and events`);
  checkTrace(c, attempts, logger.lines);
  if (c.waitsMs) assert.deepEqual(waits, c.waitsMs, `${c.name}: waits`);
}

/** The payload of a webhook vector in every form the package accepts. */
export function payloadForms(spec) {
  let bytes;
  if (typeof spec === 'string') bytes = Buffer.from(spec, 'utf8');
  else if ('base64' in spec) bytes = Buffer.from(spec.base64, 'base64');
  else bytes = Buffer.from(spec.repeat.repeat(spec.times), 'utf8');
  const forms = {
    Buffer: bytes,
    Uint8Array: new Uint8Array(bytes),
    ArrayBuffer: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
  };
  try {
    forms.string = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Not UTF-8: only byte forms can carry it.
  }
  return forms;
}
