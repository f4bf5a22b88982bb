// Every case of tests/vectors/openbanking/ through `lean-sdk/openbanking`'s
// public API: OpenBankingClient over a recording, canned or scripted
// `fetch` (and a scripted clock for tokens), and `webhooks` with every
// payload type the package accepts.

import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { test } from 'node:test';
import { ENGINE_TIMEOUT_MS, payloadForms, reply, runEngineCase, runResponseCase, thrown } from './helpers.js';
import { checkObError, credentials, environmentOptions, invoke, ob, obVectors } from './openbanking-helpers.js';

const { OpenBankingClient, webhooks } = ob;

/** A fetch that answers 200 `{}` and records what it was given. */
function recorder(sent, answer = () => new Response('{}', { status: 200 })) {
  return async (url, init) => {
    sent.push({ url, ...init, headers: new Headers(init.headers) });
    return answer(url, init);
  };
}

test('environments.json', async (t) => {
  for (const c of obVectors('environments.json')) {
    await t.test(c.name, () => {
      let client;
      try {
        // A fetch of its own, so that mTLS environments can be built here.
        client = new OpenBankingClient({ appToken: 't' }, { ...environmentOptions(c.environment), fetch: async () => null });
      } catch (error) {
        assert.ok(c.expect.error, `${c.name}: unexpected ${error.stack}`);
        return checkObError(c.name, error, c.expect.error);
      }
      assert.ok(!c.expect.error, `${c.name}: expected an error`);
      const env = client.environment;
      assert.equal(env.apiBaseUrl, c.expect.apiBaseUrl, `${c.name}: apiBaseUrl`);
      assert.equal(env.tokenUrl, c.expect.tokenUrl, `${c.name}: tokenUrl`);
      assert.equal(env.requiresMtls, c.expect.mtls, `${c.name}: mtls`);
    });
  }
});

/** Runs a requests.json or validation.json case with a recording fetch. */
async function runRequestCase(c) {
  const sent = [];
  const client = new OpenBankingClient(credentials(c.auth), {
    ...environmentOptions(c.environment),
    fetch: recorder(sent),
    maxRetries: 0,
  });
  if (c.expect.error) {
    checkObError(c.name, await thrown(c.name, () => invoke(client, c.call)), c.expect.error);
    assert.equal(sent.length, 0, `${c.name}: no request may be sent`);
    return;
  }
  // The answer ({}) may not parse for the operation: the request is what is checked.
  await invoke(client, c.call).catch(() => {});
  assert.ok(sent.length >= 1, `${c.name}: no request sent`);
  const [request] = sent;
  const want = c.expect.request;
  assert.equal(request.method, want.method, `${c.name}: method`);
  assert.equal(request.url, want.url, `${c.name}: url`);
  for (const [name, value] of Object.entries(want.headers ?? {})) {
    assert.equal(request.headers.get(name), value, `${c.name}: header ${name}`);
  }
  assert.match(request.headers.get('user-agent') ?? '', /^lean-sdk\//, `${c.name}: user-agent`);
  const body = request.body === undefined ? null : JSON.parse(request.body);
  assert.deepEqual(body, want.body, `${c.name}: body`);
  if (want.bodyContains) assert.ok(request.body.includes(want.bodyContains), `${c.name}: body contains ${want.bodyContains}`);
}

test('requests.json', async (t) => {
  for (const c of obVectors('requests.json')) await t.test(c.name, () => runRequestCase(c));
});

test('validation.json', async (t) => {
  for (const c of obVectors('validation.json')) {
    assert.ok(c.expect.error, `${c.name}: validation cases expect errors`);
    await t.test(c.name, () => runRequestCase(c));
  }
});

/** Valid arguments for each operation, taken from requests.json itself. */
function argumentsFor(operation) {
  const found = obVectors('requests.json').find((c) => c.call.operation === operation && c.expect.request && !c.environment);
  assert.ok(found, `requests.json has a call of ${operation}`);
  return found.call;
}

test('responses.json', async (t) => {
  for (const c of obVectors('responses.json')) {
    await t.test(c.name, () =>
      runResponseCase(
        c,
        { ...argumentsFor(c.operation), operation: c.operation },
        (fetch) => new OpenBankingClient({ appToken: 'app_token_123' }, { fetch, maxRetries: 0 }),
        invoke,
        checkObError,
      ),
    );
  }
});

test('engine.json', async (t) => {
  for (const c of obVectors('engine.json')) {
    await t.test(c.name, () =>
      runEngineCase(
        c,
        (fetch, logger) =>
          new OpenBankingClient(credentials(c.auth), {
            ...environmentOptions(c.environment),
            fetch,
            logger,
            maxRetries: c.config?.maxRetries,
            timeoutMs: ENGINE_TIMEOUT_MS,
            retryBackoff: { initialMs: 1, maxMs: 2 },
          }),
        invoke,
        checkObError,
      ),
    );
  }
});

/**
 * An OAuth client whose token endpoint answers `tokenReply` and whose API
 * answers every call with a customer; `time.now` (ms) is its clock.
 */
function oauthClient(c, { tokenReply, time, sent = [] }) {
  const fetch = recorder(sent, (url) => {
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

test('auth.json', async (t) => {
  for (const c of obVectors('auth.json')) {
    await t.test(c.name, async () => {
      switch (c.action) {
        case 'tokenRequest': {
          const time = { now: 1_700_000_000_000 };
          let made;
          try {
            made = oauthClient(c, { tokenReply: { status: 200, body: { access_token: 'tok', token_type: 'Bearer', expires_in: 3599 } }, time });
          } catch (error) {
            assert.ok(c.expect.error, `${c.name}: unexpected ${error.stack}`);
            checkObError(c.name, error, c.expect.error);
            if (c.clientSecret) assert.ok(!printed(error).includes(c.clientSecret), `${c.name}: the secret is not in the error`);
            return;
          }
          assert.ok(!c.expect.error, `${c.name}: expected an error`);
          const { client, sent } = made;
          assert.ok(!printed(client).includes(c.clientSecret), `${c.name}: the client does not print the secret`);
          await client.getCustomer('c-1');
          const [request] = sent;
          const want = c.expect.request;
          assert.equal(request.method, want.method, `${c.name}: method`);
          assert.equal(request.url, want.url, `${c.name}: url`);
          for (const [name, value] of Object.entries(want.headers ?? {})) {
            assert.equal(request.headers.get(name), value, `${c.name}: header ${name}`);
          }
          assert.equal(request.body, want.body, `${c.name}: body`);
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
          let client;
          try {
            client = new OpenBankingClient(creds, { fetch: recorder(sent) });
          } catch (error) {
            assert.ok(c.expect.error, `${c.name}: unexpected ${error.stack}`);
            checkObError(c.name, error, c.expect.error);
            if (c.token) assert.ok(!printed(error).includes(c.token), `${c.name}: the token is not in the error`);
            return;
          }
          assert.ok(!c.expect.error, `${c.name}: expected an error`);
          assert.ok(!printed(client).includes(c.token), `${c.name}: the client does not print the token`);
          await client.listPaymentDestinations().catch(() => {});
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

/** The payload of a webhook vector in every form the package accepts. */
test('webhooks.json', async (t) => {
  for (const c of obVectors('webhooks.json')) {
    for (const [form, payload] of Object.entries(payloadForms(c.payload))) {
      await t.test(`${c.name} (${form})`, () => {
        const signature = c.signature ?? undefined;
        const run = {
          sign: () => ({ signature: webhooks.sign(payload, c.secrets[0]) }),
          verify: () => (webhooks.verify(payload, signature, c.secrets), { valid: true }),
          constructEvent: () => ({ event: webhooks.constructEvent(payload, signature, c.secrets) }),
        }[c.action];
        assert.ok(run, `${c.name}: unknown action ${c.action}`);
        let result;
        try {
          result = run();
        } catch (error) {
          assert.ok(c.expect.error, `${c.name}: unexpected ${error.stack}`);
          return checkObError(c.name, error, c.expect.error);
        }
        assert.ok(!c.expect.error, `${c.name}: expected ${JSON.stringify(c.expect.error)}`);
        assert.deepEqual(result, c.expect, c.name);
      });
    }
  }
});
