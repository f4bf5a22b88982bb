// OpenBankingClient's own behaviour over scripted transports: OAuth tokens
// (one fetch for concurrent calls, renewal by the clock, a 401 answered by
// one retry with a fresh token), secrets kept out of every printed form,
// the mTLS configuration rules, panics, and the error classes shared with
// the main entry.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import { test } from 'node:test';
import { sdk, thrown } from './helpers.js';
import { ob } from './openbanking-helpers.js';

const { OpenBankingClient, LeanError, LeanApiError, createMtlsFetch } = ob;

const SECRET = 'cl13nt-s3cr3t-do-not-print';
const TOKEN_PREFIX = 'access-t0k3n-';
const OAUTH = { clientId: 'app-1', clientSecret: SECRET };
const LOCAL = { baseUrl: 'http://127.0.0.1:9', tokenBaseUrl: 'http://127.0.0.1:9' };

/**
 * A scripted Lean: the token endpoint issues `access-t0k3n-N` (lifetime
 * `ttl` s), and API calls answer `api(request)` or a customer. Every
 * request is recorded.
 */
function fakeLean({ ttl = 3600, api, tokenDelayMs = 0, tokenReply } = {}) {
  const log = [];
  let issued = 0;
  const fetch = async (url, init) => {
    const request = { url, method: init.method, headers: new Headers(init.headers), body: init.body };
    log.push(request);
    if (url.endsWith('/oauth2/token')) {
      if (tokenDelayMs) await new Promise((resolve) => setTimeout(resolve, tokenDelayMs));
      if (tokenReply) return tokenReply(request);
      issued += 1;
      return Response.json({ access_token: `${TOKEN_PREFIX}${issued}`, token_type: 'Bearer', expires_in: ttl, scope: 'api' });
    }
    return api ? api(request) : Response.json({ customer_id: 'c-1' });
  };
  const tokens = () => log.filter((r) => r.url.endsWith('/oauth2/token'));
  const calls = () => log.filter((r) => !r.url.endsWith('/oauth2/token'));
  return { fetch, log, tokens, calls };
}

function printed(value) {
  return [String(value), JSON.stringify(value), inspect(value, { depth: 8, showHidden: true }), value?.stack ?? ''].join('\n');
}

test('concurrent calls share one token request', async () => {
  const lean = fakeLean({ tokenDelayMs: 20 });
  const client = new OpenBankingClient(OAUTH, { ...LOCAL, fetch: lean.fetch });
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => client.getCustomer(`c-${i}`)));
  assert.equal(results.length, 8);
  assert.equal(lean.tokens().length, 1, 'one token request');
  for (const call of lean.calls()) assert.equal(call.headers.get('authorization'), `Bearer ${TOKEN_PREFIX}1`);
  assert.equal(lean.tokens()[0].body, `client_id=app-1&client_secret=${SECRET}&grant_type=client_credentials&scope=api`);
});

test('the token is renewed before it expires, by the client clock', async () => {
  const time = { now: 1_700_000_000_000 };
  const lean = fakeLean({ ttl: 3600 });
  const client = new OpenBankingClient(OAUTH, { ...LOCAL, fetch: lean.fetch, clock: () => time.now });
  await client.getCustomer('c-1');
  assert.equal(client.tokenStatus.expiresAt.getTime(), time.now + 3_600_000);
  assert.equal(client.tokenStatus.renewAt.getTime(), time.now + 3_540_000, 'renewed 60 s before expiry');
  time.now += 3_539_000;
  await client.getCustomer('c-1');
  assert.equal(lean.tokens().length, 1, 'still valid one second before the renewal time');
  time.now += 1_000;
  await client.getCustomer('c-1');
  assert.equal(lean.tokens().length, 2, 'renewed at the renewal time');
  assert.equal(lean.calls().at(-1).headers.get('authorization'), `Bearer ${TOKEN_PREFIX}2`);
});

test('a 401 drops the token and retries the call once with a new one', async () => {
  let refusals = 1;
  const lean = fakeLean({
    api: (request) => {
      if (request.headers.get('authorization') === `Bearer ${TOKEN_PREFIX}1` && refusals-- > 0) {
        return Response.json({ status: 'UNAUTHORIZED', message: 'token revoked' }, { status: 401 });
      }
      return Response.json({ customer_id: 'c-1' });
    },
  });
  const client = new OpenBankingClient(OAUTH, { ...LOCAL, fetch: lean.fetch, maxRetries: 0 });
  assert.deepEqual(await client.getCustomer('c-1'), { customer_id: 'c-1' });
  assert.equal(lean.tokens().length, 2);
  assert.deepEqual(lean.calls().map((c) => c.headers.get('authorization')), [`Bearer ${TOKEN_PREFIX}1`, `Bearer ${TOKEN_PREFIX}2`]);
});

test('a second 401 is the caller\'s: no loop of token requests', async () => {
  const lean = fakeLean({ api: () => Response.json({ status: 'UNAUTHORIZED', message: 'no access' }, { status: 401 }) });
  const client = new OpenBankingClient(OAUTH, { ...LOCAL, fetch: lean.fetch, maxRetries: 0 });
  const error = await thrown('401', () => client.getCustomer('c-1'));
  assert.ok(error instanceof LeanApiError);
  assert.equal(error.code, 'unauthorized');
  assert.equal(lean.tokens().length, 2, 'one fresh token, one retry');
  assert.equal(lean.calls().length, 2);
  assert.ok(!printed(error).includes(TOKEN_PREFIX), 'the error shows no token');
});

test('concurrent 401s share one new token', async () => {
  const lean = fakeLean({
    tokenDelayMs: 10,
    api: (request) =>
      request.headers.get('authorization') === `Bearer ${TOKEN_PREFIX}1`
        ? Response.json({ status: 'UNAUTHORIZED', message: 'revoked' }, { status: 401 })
        : Response.json({ customer_id: 'c-1' }),
  });
  const client = new OpenBankingClient(OAUTH, { ...LOCAL, fetch: lean.fetch, maxRetries: 0 });
  await Promise.all(Array.from({ length: 5 }, () => client.getCustomer('c-1')));
  assert.equal(lean.tokens().length, 2);
});

test('with an application token a 401 is not retried', async () => {
  const lean = fakeLean({ api: () => Response.json({ status: 'UNAUTHORIZED', message: 'bad token' }, { status: 401 }) });
  const client = new OpenBankingClient({ appToken: 'app-t0k3n' }, { fetch: lean.fetch, maxRetries: 0 });
  assert.equal((await thrown('401', () => client.getCustomer('c-1'))).code, 'unauthorized');
  assert.equal(lean.log.length, 1);
});

test('a refused token request is an API error that shows no secret', async () => {
  const lean = fakeLean({
    tokenReply: () => Response.json({ error: 'invalid_client', error_description: 'bad secret' }, { status: 401 }),
  });
  const client = new OpenBankingClient(OAUTH, { ...LOCAL, fetch: lean.fetch });
  const error = await thrown('token', () => client.getCustomer('c-1'));
  assert.equal(error.code, 'unauthorized');
  assert.equal(lean.calls().length, 0, 'no call without a token');
  assert.ok(!printed(error).includes(SECRET));
});

test('an unreachable token endpoint is a transport error naming it, without the secret', async () => {
  const client = new OpenBankingClient(OAUTH, {
    ...LOCAL,
    fetch: async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    },
  });
  const error = await thrown('token', () => client.getCustomer('c-1'));
  assert.ok(error instanceof LeanError);
  assert.equal(error.code, 'transport');
  assert.match(error.message, /OAuth token request to http:\/\/127\.0\.0\.1:9\/oauth2\/token failed/);
  assert.ok(!printed(error).includes(SECRET));
});

test('secrets never show in the client, its errors or its token status', async () => {
  const lean = fakeLean();
  const oauth = new OpenBankingClient(OAUTH, { ...LOCAL, fetch: lean.fetch });
  await oauth.getCustomer('c-1');
  const app = new OpenBankingClient({ appToken: 'app-t0k3n-secret' }, { fetch: lean.fetch });
  for (const [value, secret] of [[oauth, SECRET], [oauth, TOKEN_PREFIX], [oauth.tokenStatus, TOKEN_PREFIX], [app, 'app-t0k3n-secret']]) {
    assert.ok(!printed(value).includes(secret), `${printed(value)} shows ${secret}`);
  }
  for (const [credentials, secret] of [
    [{ appToken: 'has a space' }, 'has a space'],
    [{ clientId: 'app-1', clientSecret: 'bad secret\n' }, 'bad secret'],
    [{ appToken: 'tok', clientId: 'x', clientSecret: 'y-secret' }, 'y-secret'],
    [{ appToken: 9876543210 }, '9876543210'],
  ]) {
    let error;
    try {
      new OpenBankingClient(credentials, LOCAL);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof LeanError && error.code === 'configuration', `${JSON.stringify(credentials)} refused`);
    assert.ok(!printed(error).includes(secret), `${error.message} shows the secret`);
  }
});

test('OAuth needs a token host: a clear configuration error where none is documented', () => {
  const error = assert.throws(() => new OpenBankingClient(OAUTH), (e) => e.code === 'configuration' && /token/.test(e.message));
  void error;
  const ok = new OpenBankingClient(OAUTH, { tokenBaseUrl: 'https://auth.example.test' });
  assert.equal(ok.environment.tokenUrl, 'https://auth.example.test/oauth2/token');
});

test('misspelt or misplaced options are refused, not ignored', () => {
  assert.throws(() => new OpenBankingClient({ appToken: 't' }, { tokenUrl: 'https://auth.example.test' }), /unknown option "tokenUrl".*tokenBaseUrl/);
  assert.throws(() => new OpenBankingClient({ apiKey: 't' }), /unknown credential "apiKey"/);
  assert.throws(() => new OpenBankingClient({ appToken: 't' }, { requireMtls: false, environment: 'uae-production' }), /requireMtls is for a custom baseUrl/);
  assert.throws(() => new OpenBankingClient({ appToken: 't' }, { baseUrl: 'https://x.example.test', requireMtls: 'yes' }), /requireMtls must be true or false/);
  // A host in front of a production environment keeps its mTLS requirement.
  assert.throws(() => new OpenBankingClient({ appToken: 't' }, { environment: 'uae-production', baseUrl: 'https://proxy.example.test' }), /requires mutual TLS/);
  const local = new OpenBankingClient({ appToken: 't' }, { environment: 'uae-sandbox', baseUrl: 'http://127.0.0.1:1' });
  assert.deepEqual(local.environment, { name: 'custom', apiBaseUrl: 'http://127.0.0.1:1', tokenUrl: null, requiresMtls: false });
});

test('production environments refuse to start without a client certificate', () => {
  for (const environment of ['uae-production', 'ksa-production', 'uae-sandbox-mtls']) {
    assert.throws(
      () => new OpenBankingClient({ appToken: 't' }, { environment }),
      (e) => e instanceof LeanError && e.code === 'configuration' && e.message.includes(`${environment} requires mutual TLS`) && e.message.includes('tls: { cert, key, ca }'),
    );
  }
  for (const environment of ['uae-sandbox', 'ksa-sandbox']) new OpenBankingClient({ appToken: 't' }, { environment });
});

test('tls is checked at construction, never echoing a key', () => {
  const cases = [
    [{ cert: 'not a pem', key: 'also not' }, /tls\.cert is not PEM/],
    [{ cert: '/etc/lean/cert.pem', key: '/etc/lean/key.pem' }, /not its path/],
    [{ key: '-----BEGIN PRIVATE KEY-----' }, /tls\.cert is missing/],
    [{ cert: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', key: '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleQ==\n-----END PRIVATE KEY-----\n' }, /does not load/],
  ];
  for (const [tls, pattern] of cases) {
    let error;
    try {
      new OpenBankingClient({ appToken: 't' }, { environment: 'uae-production', tls });
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof LeanError && error.code === 'configuration', `refused: ${error?.stack}`);
    assert.match(error.message, pattern);
    assert.ok(!printed(error).includes('c2VjcmV0LWtleQ'), 'no key material in the error');
  }
  assert.throws(() => new OpenBankingClient({ appToken: 't' }, { tls: {}, fetch: async () => null }), /not both/);
  assert.throws(() => createMtlsFetch(null), /needs \{ cert, key, ca\? \}/);
});

test('the error classes are the main entry\'s, in ESM and CommonJS', () => {
  const require = createRequire(import.meta.url);
  const cjs = require('lean-sdk/openbanking');
  const mainCjs = require('lean-sdk');
  for (const name of ['LeanError', 'LeanValidationError', 'LeanApiError', 'WebhookSignatureError']) {
    assert.equal(ob[name], sdk[name], `${name}: ESM entries`);
    assert.equal(cjs[name], sdk[name], `${name}: CommonJS open-banking`);
    assert.equal(mainCjs[name], sdk[name], `${name}: CommonJS main`);
  }
  assert.equal(typeof cjs.OpenBankingClient, 'function');
});

test('error classes keep their names through bundling', () => {
  const error = assert.throws(() => new OpenBankingClient(null), (e) => e.name === 'LeanError' && e.constructor.name === 'LeanError');
  void error;
  for (const name of ['LeanError', 'LeanValidationError', 'LeanApiError', 'WebhookSignatureError']) {
    assert.equal(ob[name].name, name);
    assert.equal(ob[name].prototype.name, name);
  }
});

test('a panic in the open-banking module is a catchable internal error, and both modules keep working', async () => {
  assert.throws(() => ob.__testPanic('boom'), (e) => e instanceof LeanError && e.code === 'internal' && /boom/.test(e.message));
  const lean = fakeLean();
  const client = new OpenBankingClient({ appToken: 't' }, { fetch: lean.fetch });
  assert.deepEqual(await client.getCustomer('c-1'), { customer_id: 'c-1' });
  assert.deepEqual(ob.validate('getCustomer', undefined, { customerId: 'c-1' }), []);
  // The payouts module was not involved.
  assert.deepEqual(sdk.validate('getCustomer', undefined, { partnerUserId: 'u-1' }), []);
});

test('odd arguments are validation errors naming the field, never crashes', async () => {
  const lean = new OpenBankingClient({ appToken: 't' }, { fetch: async () => assert.fail('nothing may be sent') });
  for (const [call, field] of [
    [() => lean.getCustomer({}), 'customerId'],
    [() => lean.getEntity('c-1', 42), 'entityId'],
    [() => lean.listCustomers({ pageSize: -1 }), 'pageSize'],
    [() => lean.getBalance(null), '$'],
    [() => lean.createPaymentIntent({ customer_id: 'c', amount: 0.1 + 0.2, currency: 'AED' }), 'amount'],
  ]) {
    const error = await thrown(field, call);
    assert.equal(error.code, 'validation', `${field}: ${error.stack}`);
    assert.ok(error.errors.some((e) => e.field === field), `${field}: ${JSON.stringify(error.errors)}`);
  }
  const sent = [];
  const listing = new OpenBankingClient({ appToken: 't' }, { fetch: async (url) => (sent.push(url), Response.json([])) });
  assert.deepEqual(await listing.listCustomers(null), { customers: [] }, 'null paging is no paging');
  assert.equal(sent[0], 'https://sandbox.leantech.me/customers/v1');
});

test('validate reports every failing field without sending anything', () => {
  const errors = ob.validate('createPaymentIntent', { customer_id: '', amount: '1.234', currency: 'dirhams' });
  assert.deepEqual(errors.map((e) => e.field).sort(), ['amount', 'currency', 'customer_id']);
});

test('data pages, refreshes and listings: one method each, paging as an object', async () => {
  const sent = [];
  const answers = {
    '/data/v2/accounts/a-1/balances?entity_id=e-1&page=1&size=2':
      '{"status":"OK","data":[{"account_id":"a-1","balance":12.10}],"page":{"number":1,"total_pages":2}}',
    '/data/v2/refreshes': '{"refresh_id":"r-1","entity_id":"e-1","status":"IN_PROGRESS"}',
    '/data/v2/refreshes?entity_id=e-1&size=5': '{"data":[{"refresh_id":"r-1","entity_id":"e-1","status":"COMPLETED"}]}',
    '/payments/v1/intents': '[{"payment_intent_id":"p-1","amount":100.5,"currency":"AED"}]',
    '/customers/v1/entities?page_number=0&start_date=2026-01-01&end_date=2026-01-31': '{"content":[{"id":"e-1"}]}',
  };
  const lean = new OpenBankingClient({ appToken: 't' }, {
    maxRetries: 0,
    fetch: async (url, init) => {
      sent.push({ url, method: init.method, body: init.body });
      const path = url.slice('https://sandbox.leantech.me'.length);
      return new Response(answers[path], { status: init.method === 'POST' ? 201 : 200 });
    },
  });
  const page = await lean.listAccountBalances('e-1', 'a-1', { pageNumber: 1, pageSize: 2 });
  assert.deepEqual(page, { status: 'OK', data: [{ account_id: 'a-1', balance: '12.10' }], page: { number: 1, total_pages: 2 } });
  assert.equal(page.attempts.length, 1);
  const refresh = await lean.createDataRefresh('e-1');
  assert.equal(refresh.status, 'IN_PROGRESS');
  assert.deepEqual(JSON.parse(sent.at(-1).body), { entity_id: 'e-1' });
  assert.deepEqual((await lean.listDataRefreshes('e-1', { pageSize: 5 })).map((r) => r.status), ['COMPLETED']);
  assert.deepEqual((await lean.listPaymentIntents()).map((i) => i.amount), ['100.50']);
  assert.deepEqual((await lean.listEntitiesByDate('2026-01-01', '2026-01-31', { pageNumber: 0 })).map((e) => e.id), ['e-1']);

  // Call options where the paging goes are refused, not ignored; the error rejects.
  const calls = sent.length;
  const misplaced = lean.listAccounts('e-1', { signal: AbortSignal.abort() });
  assert.ok(misplaced instanceof Promise);
  const error = await thrown('misplaced', () => misplaced);
  assert.equal(error.code, 'configuration');
  assert.match(error.message, /unknown paging key "signal"/);
  const invalid = await thrown('size 0', () => lean.listDataRefreshes('e-1', { pageSize: 0 }));
  assert.deepEqual(invalid.errors.map((e) => [e.field, e.code]), [['page_size', 'out_of_range']]);
  assert.equal(sent.length, calls, 'nothing sent');
});

test('a FAILED data page carries its granular status code; other errors none', async () => {
  const failing = new OpenBankingClient({ appToken: 't' }, {
    fetch: async () => new Response('{"status":"FAILED","granular_status_code":"CONSENT_EXPIRED","message":"Reconnect"}'),
  });
  const failed = await thrown('FAILED', () => failing.listAccountTransactions('e-1', 'a-1'));
  assert.ok(failed instanceof LeanApiError);
  assert.equal(failed.apiCode, 'FAILED');
  assert.equal(failed.granularStatusCode, 'CONSENT_EXPIRED');
  const missing = new OpenBankingClient({ appToken: 't' }, { fetch: async () => new Response('{"status":"NOT_FOUND"}', { status: 404 }) });
  const notFound = await thrown('404', () => missing.listAccounts('e-1'));
  assert.equal(notFound.code, 'not_found');
  assert.equal('granularStatusCode' in notFound, false);
});

test('a refresh whose answer is lost is reported, not asked for twice', async () => {
  let sent = 0;
  const lean = new OpenBankingClient({ appToken: 't' }, {
    retryBackoff: { initialMs: 1, maxMs: 2 },
    fetch: async () => {
      sent += 1;
      throw new TypeError('fetch failed', { cause: new Error('socket hang up') });
    },
  });
  const error = await thrown('lost', () => lean.createDataRefresh('e-1'));
  assert.equal(error.code, 'transport');
  assert.equal(error.outcomeUnknown, true);
  assert.equal(sent, 1);
  await thrown('read', () => lean.getDataRefresh('r-1'));
  assert.equal(sent, 4, 'a read is retried');
});
