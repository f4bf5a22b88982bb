// OpenBankingClient.customerToken over a scripted token endpoint: the
// backend half of the Link SDK flow. The request the core builds (token
// URL, grant, scope customer.<id>, the client credentials), the token and
// expiry the core reads back, errors, a client without client credentials,
// and the token kept out of every printed form of the value.

import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { test } from 'node:test';
import { thrown } from './helpers.js';
import { ob } from './openbanking-helpers.js';

const { OpenBankingClient, OAuthToken, LeanError, LeanApiError, LeanValidationError } = ob;

const SECRET = 'cl13nt-s3cr3t-do-not-print';
const DEVICE_TOKEN = 'dev1ce-t0k3n-for-the-app';
const OAUTH = { clientId: 'app-1', clientSecret: SECRET };
const LOCAL = { baseUrl: 'http://127.0.0.1:9', tokenBaseUrl: 'http://127.0.0.1:9' };
const NOW = 1_700_000_000_000;

/** A token endpoint answering `reply(request)`; the client's own tokens are `own-N`. */
function fakeLean(reply) {
  const log = [];
  let own = 0;
  const fetch = async (url, init) => {
    const request = { url, method: init.method, headers: new Headers(init.headers), body: init.body };
    log.push(request);
    if (!url.endsWith('/oauth2/token')) return Response.json({ customer_id: 'c-1' });
    if (request.body.includes('scope=customer.')) return reply(request);
    own += 1;
    return Response.json({ access_token: `own-${own}`, token_type: 'Bearer', expires_in: 3600, scope: 'api' });
  };
  return { fetch, log };
}

const issued = () => Response.json({ access_token: DEVICE_TOKEN, token_type: 'Bearer', expires_in: 900, scope: 'customer.c-42' });

function printed(value) {
  return [String(value), `${value}`, JSON.stringify(value), JSON.stringify({ value }), inspect(value, { depth: 8, showHidden: true })].join('\n');
}

test('customerToken sends the core\'s customer-scoped token request and reads token and expiry', async () => {
  const lean = fakeLean(issued);
  const client = new OpenBankingClient(OAUTH, { ...LOCAL, fetch: lean.fetch, clock: () => NOW });
  const token = await client.customerToken('c-42');
  assert.equal(lean.log.length, 1, 'one request, and not for the client\'s own token');
  const [sent] = lean.log;
  assert.equal(sent.method, 'POST');
  assert.equal(sent.url, 'http://127.0.0.1:9/oauth2/token');
  assert.equal(sent.headers.get('content-type'), 'application/x-www-form-urlencoded');
  assert.equal(sent.body, `client_id=app-1&client_secret=${SECRET}&grant_type=client_credentials&scope=customer.c-42`);
  assert.ok(token instanceof OAuthToken);
  assert.equal(token.accessToken, DEVICE_TOKEN);
  assert.equal(token.expiresAt.getTime(), NOW + 900_000, 'expiry counted from the client clock');
  assert.equal(token.scope, 'customer.c-42');
});

test('the client\'s own token is not touched', async () => {
  const lean = fakeLean(issued);
  const client = new OpenBankingClient(OAUTH, { ...LOCAL, fetch: lean.fetch });
  await client.getCustomer('c-1');
  await client.customerToken('c-42');
  await client.getCustomer('c-1');
  const calls = lean.log.filter((r) => !r.url.endsWith('/oauth2/token'));
  assert.deepEqual(calls.map((r) => r.headers.get('authorization')), ['Bearer own-1', 'Bearer own-1']);
  assert.equal(client.tokenStatus.scope, 'api');
});

test('the token never shows in the value\'s printed forms', async () => {
  const token = await new OpenBankingClient(OAUTH, { ...LOCAL, fetch: fakeLean(issued).fetch }).customerToken('c-42');
  const shown = printed(token);
  assert.ok(!shown.includes(DEVICE_TOKEN), shown);
  assert.match(String(token), /<redacted>/);
  assert.match(String(token), /customer\.c-42/);
  assert.deepEqual(Object.keys(token).sort(), ['expiresAt', 'scope'], 'the token is no enumerable property');
  assert.throws(() => { token.accessToken = 'x'; }, TypeError);
});

test('a refusal is the API error, without the secret', async () => {
  const lean = fakeLean(() => Response.json({ error: 'invalid_client', error_description: 'bad secret' }, { status: 401 }));
  const client = new OpenBankingClient(OAUTH, { ...LOCAL, fetch: lean.fetch });
  const error = await thrown('refused', () => client.customerToken('c-42'));
  assert.ok(error instanceof LeanApiError);
  assert.equal(error.code, 'unauthorized');
  assert.equal(error.status, 401);
  assert.equal(lean.log.length, 1, 'not retried');
  assert.ok(!printed(error).includes(SECRET));
});

test('an answer without a token is an invalid response that never holds the body', async () => {
  const lean = fakeLean(() => Response.json({ access_token: DEVICE_TOKEN, token_type: 'Bearer' }));
  const error = await thrown('no expiry', () => new OpenBankingClient(OAUTH, { ...LOCAL, fetch: lean.fetch }).customerToken('c-42'));
  assert.equal(error.code, 'invalid_response');
  assert.ok(!printed(error).includes(DEVICE_TOKEN));
});

test('a transport failure is a transport error naming the token URL, sent once', async () => {
  let sent = 0;
  const client = new OpenBankingClient(OAUTH, {
    ...LOCAL,
    fetch: async () => {
      sent += 1;
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    },
  });
  const error = await thrown('unreachable', () => client.customerToken('c-42'));
  assert.ok(error instanceof LeanError);
  assert.equal(error.code, 'transport');
  assert.equal(error.outcomeUnknown, false);
  assert.match(error.message, /OAuth token request to http:\/\/127\.0\.0\.1:9\/oauth2\/token failed/);
  assert.equal(sent, 1, 'no retry');
  assert.ok(!printed(error).includes(SECRET));
});

test('a bad customer id is refused before anything is sent', async () => {
  const lean = fakeLean(issued);
  const client = new OpenBankingClient(OAUTH, { ...LOCAL, fetch: lean.fetch });
  const error = await thrown('blank id', () => client.customerToken(' '));
  assert.ok(error instanceof LeanValidationError);
  assert.equal(error.code, 'validation');
  await assert.rejects(() => client.customerToken(42), { code: 'configuration' });
  assert.equal(lean.log.length, 0);
});

test('a client without client credentials is refused: it has nothing to mint with', async () => {
  for (const credentials of [{ appToken: 'app-token' }, { accessToken: 'some-token' }]) {
    const lean = fakeLean(issued);
    const client = new OpenBankingClient(credentials, { ...LOCAL, fetch: lean.fetch });
    const error = await thrown('no credentials', () => client.customerToken('c-42'));
    assert.equal(error.code, 'configuration');
    assert.match(error.message, /customerToken needs OAuth client credentials/);
    assert.equal(lean.log.length, 0);
  }
});
