// Redirects are never followed, by either client's default transport: a
// 3xx answer from a real loopback server ends the call with
// `LeanRedirectError`, and the origin it points to never sees a request,
// let alone a credential. A browser's opaque redirect (what `redirect:
// 'manual'` gives a page) is reported the same way.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { sdk, thrown } from './helpers.js';
import { ob } from './openbanking-helpers.js';

const API_KEY = 'sk_redirect_test_key';
const APP_TOKEN = 'app-token-never-to-leave';
const ACCESS_TOKEN = 'bearer-token-never-to-leave';
const CLIENT_SECRET = 'client-secret-never-to-leave';
const CREDENTIAL_HEADERS = ['authorization', 'lean-app-token'];

/** A loopback server recording what reaches it; `answer(req, url)` answers. */
async function server(answer) {
  const seen = [];
  const http = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    seen.push({ method: req.method, path: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
    answer(req, res);
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const url = `http://127.0.0.1:${http.address().port}`;
  return { url, seen, close: () => http.close() };
}

/** An origin that answers every request with `status` pointing to `target + path`. */
function redirectingTo(target, status = 307) {
  return (req, res) => {
    res.writeHead(status, { location: `${target()}${req.url}`, 'content-type': 'text/plain' });
    res.end('moved');
  };
}

const answerOk = (req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"access_token":"stolen","token_type":"bearer","expires_in":3600}');
};

/** The main origin redirecting to another origin, for one test. */
async function origins(t, status) {
  const other = await server(answerOk);
  const main = await server(redirectingTo(() => other.url, status));
  t.after(() => {
    main.close();
    other.close();
  });
  return { main, other };
}

/** Checks, in a subtest of `t`, that each of `reports` (`[error, location]`) is the core's redirect error. */
async function checkRedirects(t, reports) {
  await t.test('each is a LeanRedirectError naming the Location', () => {
    for (const [error, location] of reports) {
      assert.ok(error instanceof sdk.LeanRedirectError, `not a LeanRedirectError: ${error?.stack ?? error}`);
      assert.ok(error instanceof ob.LeanRedirectError, 'one class for both entry points');
      assert.equal(error.code, 'redirect');
      assert.equal(error.location, location);
      assert.ok(error.status >= 300 && error.status < 400, `status ${error.status}`);
    }
  });
}

const gig = {
  partnerUserId: 'u1', totalAmount: '15.00', tips: '0.00', expenses: '0.00', description: 'd', gigId: 'g1',
  startTime: '2021-03-01T21:04:04', endTime: '2021-03-01T21:31:05',
};

for (const status of [301, 302, 303, 307, 308]) {
  test(`payouts: a ${status} to another origin is not followed, and the API key stays home`, async (t) => {
    const { main, other } = await origins(t, status);
    const lean = new sdk.LeanClient({ apiKey: API_KEY, baseUrl: `${main.url}/api`, maxRetries: 2, retryBackoff: { initialMs: 1, maxMs: 2 } });
    const reports = [];
    for (const [name, call] of [['createGig', () => lean.createGig(gig)], ['getGig', () => lean.getGig('g1')]]) {
      const error = await thrown(name, call);
      assert.ok(error instanceof sdk.LeanError, `${name}: ${error?.stack ?? error}`);
      assert.equal(other.seen.length, 0, `${name}: the other origin was reached`);
      reports.push([error, `${other.url}${main.seen.at(-1).path}`]);
    }
    assert.ok(main.seen.every((r) => r.headers.authorization), 'the main origin got the credentials it is meant to');
    await checkRedirects(t, reports);
  });
}

test('open-banking: an application token, a bearer token and OAuth credentials never follow a redirect', async (t) => {
  const { main, other } = await origins(t, 307);
  const clients = {
    appToken: new ob.OpenBankingClient({ appToken: APP_TOKEN }, { baseUrl: main.url, maxRetries: 1, retryBackoff: { initialMs: 1, maxMs: 2 } }),
    accessToken: new ob.OpenBankingClient({ accessToken: ACCESS_TOKEN }, { baseUrl: main.url, maxRetries: 1 }),
    oauth: new ob.OpenBankingClient(
      { clientId: 'app-1', clientSecret: CLIENT_SECRET },
      { baseUrl: main.url, tokenBaseUrl: main.url, maxRetries: 1 },
    ),
  };
  const reports = [];
  for (const [name, client] of Object.entries(clients)) {
    for (const [operation, call] of [
      ['createPaymentIntent', () => client.createPaymentIntent({ customer_id: 'c1', amount: '10.00', currency: 'AED' })],
      ['getCustomer', () => client.getCustomer('c1')],
    ]) {
      const error = await thrown(`${name} ${operation}`, call);
      assert.ok(error instanceof sdk.LeanError, `${name} ${operation}: ${error?.stack ?? error}`);
      assert.equal(other.seen.length, 0, `${name} ${operation}: the other origin was reached`);
      reports.push([error, `${other.url}${main.seen.at(-1).path}`]);
    }
  }
  const sent = main.seen.map((r) => JSON.stringify(r));
  for (const secret of [APP_TOKEN, ACCESS_TOKEN, CLIENT_SECRET]) {
    assert.ok(sent.some((r) => r.includes(secret)), `the main origin got ${secret.slice(0, 8)}...`);
  }
  await checkRedirects(t, reports);
});

test('a redirect to the same origin is not followed either', async (t) => {
  const main = await server(redirectingTo(() => `${main.url}/elsewhere`));
  t.after(() => main.close());
  const lean = new sdk.LeanClient({ apiKey: API_KEY, baseUrl: `${main.url}/api`, maxRetries: 0 });
  const error = await thrown('getGig', () => lean.getGig('g1'));
  assert.deepEqual(main.seen.map((r) => r.path), ['/api/gig/g1']);
  await checkRedirects(t, [[error, `${main.url}/elsewhere/api/gig/g1`]]);
});

test('every request asks fetch not to follow redirects, a custom fetch included', async () => {
  const modes = [];
  const fetch = async (url, init) => {
    modes.push(init.redirect);
    return new Response('{"gigId":"g1","status":"pending"}', { status: 200, headers: { 'content-type': 'application/json' } });
  };
  await new sdk.LeanClient({ apiKey: API_KEY, fetch }).getGig('g1');
  await new ob.OpenBankingClient({ appToken: APP_TOKEN }, { fetch }).getPaymentIntent('p1').catch(() => {});
  assert.deepEqual(modes, ['manual', 'manual']);
});

/** What a browser's fetch gives a page for a redirect under `redirect: 'manual'`. */
function opaqueRedirect() {
  return { type: 'opaqueredirect', status: 0, ok: false, headers: new Headers(), arrayBuffer: async () => new ArrayBuffer(0) };
}

test("a browser's opaque redirect is a LeanRedirectError that says the Location was hidden", async () => {
  const fetch = async () => opaqueRedirect();
  const calls = {
    payouts: () => new sdk.LeanClient({ apiKey: API_KEY, fetch }).createGig(gig),
    openBanking: () => new ob.OpenBankingClient({ appToken: APP_TOKEN }, { fetch }).getCustomer('c1'),
    oauthToken: () =>
      new ob.OpenBankingClient({ clientId: 'a', clientSecret: CLIENT_SECRET }, { fetch, tokenBaseUrl: 'https://auth.example' }).getCustomer('c1'),
  };
  for (const [name, call] of Object.entries(calls)) {
    const error = await thrown(name, call);
    assert.ok(error instanceof sdk.LeanRedirectError, `${name}: ${error?.stack ?? error}`);
    assert.equal(error.code, 'redirect');
    assert.equal(error.status, 0);
    assert.equal(error.location, undefined);
    assert.match(error.message, /never follows/);
    assert.match(error.message, /hid its Location/);
  }
});
