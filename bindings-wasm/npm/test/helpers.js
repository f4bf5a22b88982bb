// Shared helpers of the package's tests: the shared vectors, the package
// under test (the built dist/, as users load it) and error comparison.

import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
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
 * Runs `make()`. When it throws, the case must expect an error, which
 * `check(name, error, want)` compares with the case's: returns `{ error }`;
 * otherwise `{ value }`, what it made.
 */
export function made(c, make, check) {
  try {
    return { value: make() };
  } catch (error) {
    assert.ok(c.expect.error, `${c.name}: unexpected ${error.stack}`);
    check(c.name, error, c.expect.error);
    return { error };
  }
}

/** A fetch that records what it was given in `sent`, then answers (by default 200 `{}`). */
export function recordingFetch(sent, answer = () => new Response('{}', { status: 200 })) {
  return async (url, init) => {
    sent.push({ url, ...init, headers: new Headers(init.headers) });
    return answer(url, init);
  };
}

/** Checks a recorded request's method, URL and the headers a vector's `want` gives. */
export function checkRequest(name, request, want) {
  assert.equal(request.method, want.method, `${name}: method`);
  assert.equal(request.url, want.url, `${name}: url`);
  for (const [header, value] of Object.entries(want.headers ?? {})) {
    assert.equal(request.headers.get(header), value, `${name}: header ${header}`);
  }
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Runs a requests.json or validation.json case: `makeClient(fetch)` builds
 * the client over a recording fetch (a `configuration` error there may be
 * what the case expects); then the call's first request is checked, or
 * its error and that nothing was sent.
 */
async function runRequestCase(c, makeClient, invoke, check) {
  const sent = [];
  const { value: client, error } = made(c, () => makeClient(recordingFetch(sent)), check);
  if (error) return;
  if (c.expect.error) {
    check(c.name, await thrown(c.name, () => invoke(client, c.call)), c.expect.error);
    assert.equal(sent.length, 0, `${c.name}: no request may be sent`);
    return;
  }
  // The answer ({}) may not parse for the operation: the request is what is checked.
  await invoke(client, c.call).catch(() => {});
  assert.ok(sent.length >= 1, `${c.name}: no request sent`);
  const [request] = sent;
  const want = c.expect.request;
  checkRequest(c.name, request, want);
  assert.match(request.headers.get('user-agent') ?? '', /^lean-sdk\//, `${c.name}: user-agent`);
  const body = request.body === undefined ? null : JSON.parse(request.body);
  assert.deepEqual(body, want.body, `${c.name}: body`);
  if (want.bodyContains) assert.ok(request.body.includes(want.bodyContains), `${c.name}: body contains ${want.bodyContains}`);
  if (want.generatedIdempotencyKey) {
    assert.match(request.headers.get('idempotency-key') ?? '', UUID_V4, `${c.name}: generated idempotency key`);
  }
}

/**
 * The tests of the vector files both APIs have (requests.json,
 * validation.json, responses.json, engine.json) for one API: `load(file)`
 * reads its cases; `clients` builds its client for each kind of case,
 * with the options the test adds (its `fetch`, retries, timeout, backoff,
 * logger): `request(c, options)`, `response(options)` and
 * `engine(c, options)`; `argumentsFor(operation)` is a valid call of an
 * operation; `invoke(client, call, options)` makes a call and
 * `check(name, error, want)` compares errors.
 */
export function testClientVectors({ load, clients, argumentsFor, invoke, check }) {
  const once = (fetch) => ({ fetch, maxRetries: 0 });
  test('requests.json', async (t) => {
    for (const c of load('requests.json')) {
      await t.test(c.name, () => runRequestCase(c, (fetch) => clients.request(c, once(fetch)), invoke, check));
    }
  });
  test('validation.json', async (t) => {
    for (const c of load('validation.json')) {
      assert.ok(c.expect.error, `${c.name}: validation cases expect errors`);
      await t.test(c.name, () => runRequestCase(c, (fetch) => clients.request(c, once(fetch)), invoke, check));
    }
  });
  test('responses.json', async (t) => {
    for (const c of load('responses.json')) {
      const call = { ...argumentsFor(c.operation), operation: c.operation };
      await t.test(c.name, () => runResponseCase(c, call, (fetch) => clients.response(once(fetch)), invoke, check));
    }
  });
  test('engine.json', async (t) => {
    for (const c of load('engine.json')) {
      const options = (fetch, logger) => ({ fetch, logger, timeoutMs: ENGINE_TIMEOUT_MS, retryBackoff: { initialMs: 1, maxMs: 2 } });
      await t.test(c.name, () => runEngineCase(c, (fetch, logger) => clients.engine(c, options(fetch, logger)), invoke, check));
    }
  });
}

/**
 * Runs the cases of a webhooks.json through `webhooks` (either API's),
 * each with its payload in every form the package accepts; `check`
 * compares errors.
 */
export async function runWebhookCases(t, cases, webhooks, check) {
  for (const c of cases) {
    for (const [form, payload] of Object.entries(payloadForms(c.payload))) {
      await t.test(`${c.name} (${form})`, () => {
        const signature = c.signature ?? undefined;
        const run = {
          sign: () => ({ signature: webhooks.sign(payload, c.secrets[0]) }),
          verify: () => (webhooks.verify(payload, signature, c.secrets), { valid: true }),
          constructEvent: () => ({ event: webhooks.constructEvent(payload, signature, c.secrets) }),
        }[c.action];
        assert.ok(run, `${c.name}: unknown action ${c.action}`);
        const { value, error } = made(c, run, check);
        if (error) return;
        assert.ok(!c.expect.error, `${c.name}: expected ${JSON.stringify(c.expect.error)}`);
        assert.deepEqual(value, c.expect, c.name);
      });
    }
  }
}

/**
 * Runs a responses.json case: `makeClient(fetch)` builds the client over a
 * fetch that answers once with the case's response; `check(error)` checks
 * a failure against `c.expect.error`.
 */
async function runResponseCase(c, call, makeClient, invoke, check) {
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
async function runEngineCase(c, makeClient, invoke, check) {
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

/** The code of the README's samples opened by the fence line `fence` (such as "```js"). */
export function readmeSamples(fence) {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  return readme.split(`${fence}\n`).slice(1).map((rest) => rest.slice(0, rest.indexOf('```')));
}

/**
 * A fresh ES-module project where samples import `lean-sdk` (this package)
 * and `express` as a user's code would; returns its directory.
 */
export function sampleProject() {
  const dir = mkdtempSync(join(tmpdir(), 'lean-sdk-samples-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(packageDir, join(dir, 'node_modules', 'lean-sdk'));
  symlinkSync(join(packageDir, 'node_modules', 'express'), join(dir, 'node_modules', 'express'));
  return dir;
}

/** Runs README sample number `n` in `dir` with the environment `env`; returns what it printed. */
export function runSample(sample, n, dir, env) {
  const file = join(dir, `sample${n}.mjs`);
  writeFileSync(file, sample);
  try {
    return execFileSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', env });
  } catch (error) {
    assert.fail(`sample ${n} failed:\n${sample}\n${error.stdout}${error.stderr}`);
  }
}

const npm = (args, cwd) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });

/**
 * Packs the package with `npm pack` and installs the tarball into a fresh
 * project, as users get it; checks that it brings no runtime dependency.
 * Returns the paths in the tarball and the project's directory.
 */
export function installPacked() {
  const work = mkdtempSync(join(tmpdir(), 'lean-sdk-pack-'));
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], packageDir));
  const project = join(work, 'app');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  npm(['install', '--offline', join(work, packed.filename)], project);
  const installed = JSON.parse(readFileSync(join(project, 'node_modules', 'lean-sdk', 'package.json'), 'utf8'));
  assert.deepEqual(installed.dependencies ?? {}, {}, 'zero runtime dependencies');
  return { files: packed.files.map((f) => f.path), project };
}

/** Writes `code` as the file `name` in `dir` and runs it with Node; returns what it printed. */
export function runFile(dir, name, code) {
  writeFileSync(join(dir, name), code);
  return execFileSync(process.execPath, [name], { cwd: dir, encoding: 'utf8' });
}
