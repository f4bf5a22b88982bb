// What a call reports (src/logging.js): the core's events handed to the
// `logger` option (or to `console` under `LEAN_LOG`), the attempts on every
// result and error, and nothing secret in any of it.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { inspect, promisify } from 'node:util';
import { capturingLogger, packageDir, sdk, thrown } from './helpers.js';
import { ob } from './openbanking-helpers.js';

const { LeanClient, LeanError } = sdk;

const GIG_INPUT = {
  partnerUserId: 'uid_1',
  totalAmount: '15.00',
  description: 'BODY_MARKER gig',
  gigId: 'gig_42',
  startTime: '2021-03-01T21:04:04',
  endTime: '2021-03-01T21:31:05',
  tips: '3.00',
  expenses: '2.00',
};
const GIG = { ...GIG_INPUT, id: 'uid_1', status: 'PENDING', invoiceId: 'RESPONSE_MARKER' };
const FAST = { retryBackoff: { initialMs: 1, maxMs: 2 } };

/**
 * A fetch answering each request with the next of `replies` (`[status,
 * body]`), each with the request id `req-N`; `sent` records the requests.
 */
function scripted(replies, sent = []) {
  return async (url, init) => {
    sent.push({ url, method: init.method });
    const [status, body] = replies.shift();
    const text = body === undefined ? '' : JSON.stringify(body);
    return new Response(text, { status, headers: { 'x-request-id': `req-${sent.length}` } });
  };
}

test('a create answered 503, then looked up through a retried 503, logs each decision', async () => {
  const logger = capturingLogger();
  const fetch = scripted([[503, { message: 'unavailable' }], [503], [200, GIG]]);
  const client = new LeanClient({ apiKey: 'key_1', fetch, logger, ...FAST });
  const gig = await client.createGig(GIG_INPUT);

  const seen = logger.lines.map(({ level, event }) => {
    const { event: name, attempt, phase, status, requestId, reason, verdict, ok } = event;
    return [level, name, { attempt, phase, status, requestId, reason, verdict, ok }];
  });
  const only = (fields) => Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  assert.deepEqual(
    seen.map(([level, name, fields]) => [level, name, only(fields)]),
    [
      ['debug', 'attempt_sent', { attempt: 1, phase: 'operation' }],
      ['debug', 'answer_received', { attempt: 1, status: 503, requestId: 'req-1' }],
      ['info', 'lookup_started', { reason: 'outcome_unknown' }],
      ['debug', 'attempt_sent', { attempt: 2, phase: 'lookup' }],
      ['debug', 'answer_received', { attempt: 2, status: 503, requestId: 'req-2' }],
      ['info', 'retry_scheduled', { phase: 'lookup', status: 503, reason: 'status' }],
      ['debug', 'attempt_sent', { attempt: 3, phase: 'lookup' }],
      ['debug', 'answer_received', { attempt: 3, status: 200, requestId: 'req-3' }],
      ['info', 'lookup_finished', { verdict: 'same' }],
      ['info', 'call_finished', { ok: true }],
    ],
  );
  for (const { message, event } of logger.lines) assert.equal(message, event.message);
  assert.deepEqual(logger.lines[2].event.ids, { gigId: 'gig_42' });
  assert.match(logger.lines.at(-1).message, /req-1, req-2, req-3/);

  // The result is the API's gig; its attempts name every request id.
  assert.deepEqual(gig, GIG);
  assert.deepEqual(
    gig.attempts.map(({ attempt, phase, status, requestId }) => ({ attempt, phase, status, requestId })),
    [
      { attempt: 1, phase: 'operation', status: 503, requestId: 'req-1' },
      { attempt: 2, phase: 'lookup', status: 503, requestId: 'req-2' },
      { attempt: 3, phase: 'lookup', status: 200, requestId: 'req-3' },
    ],
  );
  for (const attempt of gig.attempts) assert.equal(typeof attempt.elapsedMs, 'number');
  assert.deepEqual(logger.lines.at(-1).event.attempts, gig.attempts);
  assert.ok(!JSON.stringify(gig).includes('attempts'), 'JSON shows the API value only');
  assert.ok(!('attempts' in { ...gig }), 'spreading copies the API value only');
});

test('a list result carries its attempts too', async () => {
  const client = new LeanClient({ apiKey: 'key_1', fetch: scripted([[200, [GIG]]]) });
  const gigs = await client.listGigs();
  assert.deepEqual(gigs, [GIG]);
  assert.deepEqual(gigs.attempts.map((a) => a.requestId), ['req-1']);
});

test('every error carries its attempts: none before a request, each one after', async () => {
  const client = new LeanClient({ apiKey: 'key_1', fetch: scripted([[404, { message: 'no such gig' }]]) });
  const missing = await thrown('404', () => client.getGig('gig_404'));
  assert.equal(missing.code, 'not_found');
  assert.deepEqual(
    missing.attempts.map(({ attempt, phase, status, requestId }) => ({ attempt, phase, status, requestId })),
    [{ attempt: 1, phase: 'operation', status: 404, requestId: 'req-1' }],
  );
  const invalid = await thrown('validation', () => client.createGig({}));
  assert.equal(invalid.code, 'validation');
  assert.deepEqual(invalid.attempts, []);
  assert.deepEqual(new LeanError('made by hand').attempts, []);

  const reset = async () => {
    throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
  };
  const lost = await thrown('reset', () => new LeanClient({ apiKey: 'key_1', fetch: reset, maxRetries: 1, ...FAST }).getGig('g'));
  assert.deepEqual(
    lost.attempts.map(({ attempt, transportError }) => ({ attempt, transportError })),
    [{ attempt: 1, transportError: 'other' }, { attempt: 2, transportError: 'other' }],
  );
});

test('an interrupted call logs its end and lists the attempt in flight', async () => {
  const logger = capturingLogger();
  const controller = new AbortController();
  const fetch = (url, init) =>
    new Promise((_, reject) => {
      init.signal.addEventListener('abort', () => reject(init.signal.reason));
      controller.abort(new Error('the user left'));
    });
  const client = new LeanClient({ apiKey: 'key_1', fetch, logger });
  const error = await thrown('interrupt', () => client.createGig(GIG_INPUT, { signal: controller.signal }));
  assert.equal(error.code, 'transport');
  assert.deepEqual(error.attempts.map(({ attempt, phase }) => ({ attempt, phase })), [{ attempt: 1, phase: 'operation' }]);
  const last = logger.lines.at(-1).event;
  assert.equal(last.event, 'call_finished');
  assert.equal(last.ok, false);
  assert.deepEqual(last.attempts, error.attempts);
});

test('a logger must have debug and info methods; one that throws does not fail the call', async () => {
  for (const logger of [{}, { info() {} }, 'console', 42]) {
    assert.throws(() => new LeanClient({ apiKey: 'k', logger }), (e) => e.code === 'configuration');
    assert.throws(() => new ob.OpenBankingClient({ appToken: 't' }, { logger }), (e) => e.code === 'configuration');
  }
  const throwing = {
    debug() {
      throw new Error('the log sink is down');
    },
    info() {
      throw new Error('the log sink is down');
    },
  };
  const client = new LeanClient({ apiKey: 'k', fetch: scripted([[200, GIG]]), logger: throwing });
  assert.deepEqual(await client.getGig('gig_42'), GIG);
});

const API_KEY = 'sk_live_SECRET_api_key_1';
const APP_TOKEN = 'SECRET_app_token_2';
const CLIENT_SECRET = 'SECRET_client_secret_3';
const ISSUED_TOKEN = 'SECRET_issued_token_4';
const ACCESS_TOKEN = 'SECRET_bearer_token_5';
const SECRETS = [API_KEY, APP_TOKEN, CLIENT_SECRET, ISSUED_TOKEN, ACCESS_TOKEN];
// A secret as a header may carry it, and what the bodies held.
const FORBIDDEN = [
  ...SECRETS.flatMap((s) => [s, Buffer.from(`${s}:`).toString('base64'), Buffer.from(`app-1234:${s}`).toString('base64')]),
  'BODY_MARKER',
  'RESPONSE_MARKER',
];

/** Every argument the logger was given, printed as JSON and by `util.inspect`. */
function assertNothingSecret(what, logger) {
  assert.ok(logger.lines.length > 0, `${what}: something was logged`);
  for (const { message, event } of logger.lines) {
    const text = [message, JSON.stringify(event), inspect(event, { depth: 8, showHidden: true })].join('\n');
    for (const secret of FORBIDDEN) assert.ok(!text.includes(secret), `${what} logged ${secret}: ${text}`);
  }
}

test('nothing logged holds a credential, a token or a body', async () => {
  const payouts = capturingLogger();
  const client = new LeanClient({
    apiKey: API_KEY,
    logger: payouts,
    fetch: scripted([[503], [200, GIG], [401, { message: `bad key ${API_KEY}` }]]),
    ...FAST,
  });
  await client.createGig(GIG_INPUT);
  await client.getGig('gig_42').catch(() => {});
  assertNothingSecret('LeanClient', payouts);

  const customer = { customer_id: 'c-1', app_user_id: 'RESPONSE_MARKER' };
  for (const credentials of [{ appToken: APP_TOKEN }, { accessToken: ACCESS_TOKEN }]) {
    const logger = capturingLogger();
    const obClient = new ob.OpenBankingClient(credentials, { logger, fetch: scripted([[503], [200, customer]]), ...FAST });
    await obClient.getCustomer('c-1');
    assertNothingSecret(Object.keys(credentials)[0], logger);
  }

  // OAuth: the token fetch, a 401 renewal, and the call sent again.
  const logger = capturingLogger();
  const token = { access_token: ISSUED_TOKEN, token_type: 'Bearer', expires_in: 3600 };
  const sent = [];
  const obClient = new ob.OpenBankingClient(
    { clientId: 'app-1234', clientSecret: CLIENT_SECRET },
    { environment: 'ksa-sandbox', logger, fetch: scripted([[200, token], [401], [200, token], [200, customer]], sent), ...FAST },
  );
  await obClient.getCustomer('c-1');
  assert.equal(sent.length, 4);
  const names = logger.lines.map((l) => l.event.event);
  for (const name of ['token_fetch_started', 'token_fetched', 'token_rejected', 'call_finished']) {
    assert.ok(names.includes(name), `the OAuth flow logs ${name}: ${names}`);
  }
  assertNothingSecret('OAuth', logger);
});

const run = promisify(execFile);

/** Runs a script that makes one retried call, in a fresh `node` with `env`. */
async function childRun(env) {
  const script = `
    import { LeanClient } from 'lean-sdk';
    const answers = [503, 200];
    const fetch = async () => new Response('{"gigId":"gig_42","status":"PENDING"}', {
      status: answers.shift(), headers: { 'x-request-id': 'req-' + (2 - answers.length) } });
    await new LeanClient({ apiKey: '${API_KEY}', fetch, retryBackoff: { initialMs: 1, maxMs: 2 } }).getGig('gig_42');
  `;
  const { LEAN_LOG, ...rest } = process.env;
  const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: packageDir,
    env: { ...rest, ...env },
  });
  return stdout + stderr;
}

test('LEAN_LOG in the environment logs to the console', async () => {
  const debug = await childRun({ LEAN_LOG: 'debug' });
  const lines = debug.trim().split('\n');
  assert.ok(lines.every((line) => line.startsWith('lean-sdk: ')), debug);
  assert.match(debug, /^lean-sdk: getGig: attempt 1: GET \/api\/gig\/gig_42$/m);
  assert.match(debug, /^lean-sdk: attempt 1: answered 503, request id req-1/m);
  assert.match(debug, /^lean-sdk: sending again in \d+ ms: after 503$/m);
  assert.match(debug, /^lean-sdk: getGig: done after 2 attempt\(s\); request ids req-1, req-2$/m);
  assert.ok(!debug.includes(API_KEY));

  const info = await childRun({ LEAN_LOG: 'info' });
  assert.doesNotMatch(info, /attempt 1: GET/, 'info leaves out the debug events');
  assert.match(info, /^lean-sdk: getGig: done after 2 attempt\(s\)/m);

  assert.equal(await childRun({}), '', 'nothing without LEAN_LOG');
  assert.equal(await childRun({ LEAN_LOG: 'off' }), '', 'nothing for another value');
});
