// Every case of tests/vectors/ through the package's public API: the
// LeanClient over a recording, canned or scripted `fetch`, and `webhooks`
// with every payload type the package accepts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ENGINE_TIMEOUT_MS,
  checkError,
  clientOptions,
  payloadForms,
  runEngineCase,
  runResponseCase,
  sdk,
  thrown,
  vectors,
} from './helpers.js';

const { LeanClient, webhooks } = sdk;

/** Calls the client method a vector's `call` names, with its arguments. */
function invoke(client, call, options) {
  const { operation, input, partnerUserId, gigId, id, idempotencyKey } = call;
  switch (operation) {
    case 'createCustomer': return client.createCustomer(input, options);
    case 'getCustomer': return client.getCustomer(partnerUserId, options);
    case 'updateCustomer': return client.updateCustomer(partnerUserId, input, options);
    case 'submitApplication': return client.submitApplication(partnerUserId, options);
    case 'createGig': return client.createGig(input, options);
    case 'getGig': return client.getGig(gigId, options);
    case 'listGigs': return client.listGigs(options);
    case 'createSpecialPayment':
      return client.createSpecialPayment(input, idempotencyKey === undefined ? options : { ...options, idempotencyKey });
    case 'getSpecialPayment': return client.getSpecialPayment(id, options);
    case 'listSpecialPayments': return client.listSpecialPayments(options);
    // Names with no method reach the core through `validate`, which takes any name.
    default: return Promise.resolve().then(() => sdk.validate(operation, input, call));
  }
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Runs a requests.json or validation.json case with a recording fetch. */
async function runRequestCase(c) {
  const sent = [];
  const fetch = async (url, init) => {
    sent.push({ url, ...init, headers: new Headers(init.headers) });
    return new Response('{}', { status: 200 });
  };
  let client;
  try {
    client = new LeanClient(clientOptions(c.config, { fetch, maxRetries: 0 }));
  } catch (error) {
    assert.ok(c.expect.error, `${c.name}: unexpected ${error.stack}`);
    return checkError(c.name, error, c.expect.error);
  }
  if (c.expect.error) {
    const error = await thrown(c.name, () => invoke(client, c.call));
    checkError(c.name, error, c.expect.error);
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
  if (want.generatedIdempotencyKey) {
    assert.match(request.headers.get('idempotency-key') ?? '', UUID_V4, `${c.name}: generated idempotency key`);
  }
}

test('requests.json', async (t) => {
  for (const c of vectors('requests.json')) await t.test(c.name, () => runRequestCase(c));
});

test('validation.json', async (t) => {
  for (const c of vectors('validation.json')) {
    assert.ok(c.expect.error, `${c.name}: validation cases expect errors`);
    await t.test(c.name, () => runRequestCase(c));
  }
});

test('config.json', async (t) => {
  for (const c of vectors('config.json')) {
    await t.test(c.name, () => {
      let client;
      try {
        client = new LeanClient(clientOptions(c.config));
      } catch (error) {
        assert.ok(c.expect.error, `${c.name}: unexpected ${error.stack}`);
        return checkError(c.name, error, c.expect.error);
      }
      assert.ok(client instanceof LeanClient);
      assert.equal(c.expect.ok, true, `${c.name}: expected an error`);
    });
  }
});

/** Valid arguments for each operation, taken from requests.json itself. */
function argumentsFor(operation) {
  const found = vectors('requests.json').find((c) => c.call.operation === operation && c.expect.request);
  const fallback = { getCustomer: { partnerUserId: 'uid_1' }, getGig: { gigId: 'gig_1' }, getSpecialPayment: { id: 'sp_1' } };
  return found ? found.call : { operation, ...fallback[operation], partnerUserId: 'uid_1' };
}

test('responses.json', async (t) => {
  for (const c of vectors('responses.json')) {
    await t.test(c.name, () =>
      runResponseCase(
        c,
        { ...argumentsFor(c.operation), operation: c.operation },
        (fetch) => new LeanClient(clientOptions({}, { fetch, maxRetries: 0 })),
        invoke,
        checkError,
      ),
    );
  }
});

test('engine.json', async (t) => {
  for (const c of vectors('engine.json')) {
    await t.test(c.name, () =>
      runEngineCase(
        c,
        (fetch, logger) =>
          new LeanClient(
            clientOptions(c.config, { fetch, logger, timeoutMs: ENGINE_TIMEOUT_MS, retryBackoff: { initialMs: 1, maxMs: 2 } }),
          ),
        invoke,
        checkError,
      ),
    );
  }
});

test('webhooks.json', async (t) => {
  for (const c of vectors('webhooks.json')) {
    for (const [form, payload] of Object.entries(payloadForms(c.payload))) {
      await t.test(`${c.name} (${form})`, () => {
        const secrets = c.secrets;
        const signature = c.signature ?? undefined;
        const run = {
          sign: () => ({ signature: webhooks.sign(payload, secrets[0]) }),
          verify: () => (webhooks.verify(payload, signature, secrets), { valid: true }),
          constructEvent: () => ({ event: webhooks.constructEvent(payload, signature, secrets) }),
        }[c.action];
        assert.ok(run, `${c.name}: unknown action ${c.action}`);
        let result;
        try {
          result = run();
        } catch (error) {
          assert.ok(c.expect.error, `${c.name}: unexpected ${error.stack}`);
          return checkError(c.name, error, c.expect.error);
        }
        assert.ok(!c.expect.error, `${c.name}: expected ${JSON.stringify(c.expect.error)}`);
        assert.deepEqual(result, c.expect, c.name);
      });
    }
  }
});
