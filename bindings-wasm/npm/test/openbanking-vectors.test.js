// Every case of tests/vectors/openbanking/ through `lean-sdk/openbanking`'s
// public API: OpenBankingClient over a recording, canned or scripted
// `fetch` (and a scripted clock for tokens), and `webhooks` with every
// payload type the package accepts.

import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { test } from 'node:test';
import { checkRequest, made, recordingFetch, reply, runWebhookCases, testClientVectors, thrown } from './helpers.js';
import { checkObError, credentials, environmentOptions, invoke, ob, obVectors } from './openbanking-helpers.js';

const { OpenBankingClient, webhooks } = ob;

test('environments.json', async (t) => {
  for (const c of obVectors('environments.json')) {
    await t.test(c.name, () => {
      // A fetch of its own, so that mTLS environments can be built here.
      const options = { ...environmentOptions(c.environment), fetch: async () => null };
      const { value: client, error } = made(c, () => new OpenBankingClient({ appToken: 't' }, options), checkObError);
      if (error) return;
      assert.ok(!c.expect.error, `${c.name}: expected an error`);
      const env = client.environment;
      assert.equal(env.apiBaseUrl, c.expect.apiBaseUrl, `${c.name}: apiBaseUrl`);
      assert.equal(env.tokenUrl, c.expect.tokenUrl, `${c.name}: tokenUrl`);
      assert.equal(env.requiresMtls, c.expect.mtls, `${c.name}: mtls`);
    });
  }
});

/** Valid arguments for each operation, taken from requests.json itself. */
function argumentsFor(operation) {
  const found = obVectors('requests.json').find((c) => c.call.operation === operation && c.expect.request && !c.environment);
  assert.ok(found, `requests.json has a call of ${operation}`);
  return found.call;
}

testClientVectors({
  load: obVectors,
  clients: {
    request: (c, options) => new OpenBankingClient(credentials(c.auth), { ...environmentOptions(c.environment), ...options }),
    response: (options) => new OpenBankingClient({ appToken: 'app_token_123' }, options),
    engine: (c, options) =>
      new OpenBankingClient(credentials(c.auth), { ...environmentOptions(c.environment), maxRetries: c.config?.maxRetries, ...options }),
  },
  argumentsFor,
  invoke,
  check: checkObError,
});

/**
 * An OAuth client whose token endpoint answers `tokenReply` and whose API
 * answers every call with a customer; `time.now` (ms) is its clock.
 */
function oauthClient(c, { tokenReply, time, sent = [] }) {
  const fetch = recordingFetch(sent, (url) => {
    if (url.endsWith('/oauth2/token')) return reply(tokenReply);
    return new Response('{"customer_id":"c-1"}', { status: 200 });
  });
  const client = new OpenBankingClient(
    { clientId: c.clientId ?? 'app-1234', clientSecret: c.clientSecret ?? 's3cr3t', ...(c.scope?.customer ? { customerId: c.scope.customer } : {}) },
    {
      ...environmentOptions(c.environment ?? 'ksa-sandbox'),
      fetch,
      maxRetries: 0,
      clock: () => time.now,
      tokenRenewalMarginMs: c.marginSeconds === undefined ? undefined : c.marginSeconds * 1000,
    },
  );
  return { client, sent };
}

const tokenRequests = (sent) => sent.filter((r) => r.url.endsWith('/oauth2/token')).length;

/** Every printed form of a value, as logs and error reporters show it. */
function printed(value) {
  return [String(value), JSON.stringify(value), inspect(value, { depth: 5, showHidden: true })].join('\n');
}

/**
 * Builds a case's `{ client, ... }` with `make`, or checks the error the
 * case expects: neither the error nor the client may print `secret` (a
 * client secret or token). Returns `undefined` after the expected error.
 */
function buildShowingNo(secret, c, make) {
  const { value, error } = made(c, make, checkObError);
  if (error) {
    if (secret) assert.ok(!printed(error).includes(secret), `${c.name}: the secret is not in the error`);
    return undefined;
  }
  assert.ok(!c.expect.error, `${c.name}: expected an error`);
  assert.ok(!printed(value.client).includes(secret), `${c.name}: the client does not print the secret`);
  return value;
}

test('auth.json', async (t) => {
  for (const c of obVectors('auth.json')) {
    await t.test(c.name, async () => {
      switch (c.action) {
        case 'tokenRequest': {
          const time = { now: 1_700_000_000_000 };
          const tokenReply = { status: 200, body: { access_token: 'tok', token_type: 'Bearer', expires_in: 3599 } };
          const built = buildShowingNo(c.clientSecret, c, () => oauthClient(c, { tokenReply, time }));
          if (built === undefined) return;
          const { client, sent } = built;
          await client.getCustomer('c-1');
          const [request] = sent;
          checkRequest(c.name, request, c.expect.request);
          assert.equal(request.body, c.expect.request.body, `${c.name}: body`);
          assert.equal(sent[1].headers.get('authorization'), 'Bearer tok', `${c.name}: the call carries the token`);
          return;
        }
        case 'parseToken': {
          const receivedAt = c.receivedAt * 1000;
          const time = { now: receivedAt };
          const { client, sent } = oauthClient(c, { tokenReply: c.response, time });
          if (c.expect.error) {
            checkObError(c.name, await thrown(c.name, () => client.getCustomer('c-1')), c.expect.error);
            assert.equal(sent.length, 1, `${c.name}: no call without a token`);
            return;
          }
          await client.getCustomer('c-1');
          const status = client.tokenStatus;
          assert.equal(status.expiresAt.getTime(), c.expect.expiresAt * 1000, `${c.name}: expiresAt`);
          if (c.expect.scope !== undefined) assert.equal(status.scope, c.expect.scope, `${c.name}: scope`);
          if (c.expect.authorization !== undefined) {
            assert.equal(sent[1].headers.get('authorization'), c.expect.authorization, `${c.name}: authorization`);
          }
          assert.ok(!printed(status).includes(c.response.body.access_token), `${c.name}: the token status shows no token`);
          for (const check of c.checks ?? []) {
            // A fresh client per check: a renewal would replace the token.
            const fresh = oauthClient(c, { tokenReply: c.response, time: (time.now = receivedAt, time) });
            await fresh.client.getCustomer('c-1');
            time.now = check.at * 1000;
            await fresh.client.getCustomer('c-1');
            assert.equal(tokenRequests(fresh.sent) === 2, check.needsRenewal, `${c.name}: renewal at ${check.at}`);
          }
          return;
        }
        case 'appToken':
        case 'bearer': {
          const sent = [];
          const creds = c.action === 'appToken' ? { appToken: c.token } : { accessToken: c.token };
          const built = buildShowingNo(c.token, c, () => ({ client: new OpenBankingClient(creds, { fetch: recordingFetch(sent) }) }));
          if (built === undefined) return;
          await built.client.listPaymentDestinations().catch(() => {});
          for (const [name, value] of Object.entries(c.expect.headers)) {
            assert.equal(sent[0].headers.get(name), value, `${c.name}: header ${name}`);
          }
          return;
        }
        default:
          assert.fail(`${c.name}: unknown action ${c.action}`);
      }
    });
  }
});

test('webhooks.json', (t) => runWebhookCases(t, obVectors('webhooks.json'), webhooks, checkObError));
