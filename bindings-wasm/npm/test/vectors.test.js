// Every case of tests/vectors/ through the package's public API: the
// LeanClient over a recording, canned or scripted `fetch`, and `webhooks`
// with every payload type the package accepts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Buffer } from 'node:buffer';
import { checkError, clientOptions, reply, sdk, thrown, vectors } from './helpers.js';

const { LeanClient, webhooks } = sdk;

/** Calls the client method a vector's `call` names, with its arguments. */
function invoke(client, call) {
  const { operation, input, partnerUserId, gigId, id, idempotencyKey } = call;
  switch (operation) {
    case 'createCustomer': return client.createCustomer(input);
    case 'getCustomer': return client.getCustomer(partnerUserId);
    case 'updateCustomer': return client.updateCustomer(partnerUserId, input);
    case 'submitApplication': return client.submitApplication(partnerUserId);
    case 'createGig': return client.createGig(input);
    case 'getGig': return client.getGig(gigId);
    case 'listGigs': return client.listGigs();
    case 'createSpecialPayment':
      return client.createSpecialPayment(input, idempotencyKey === undefined ? undefined : { idempotencyKey });
    case 'getSpecialPayment': return client.getSpecialPayment(id);
    case 'listSpecialPayments': return client.listSpecialPayments();
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
    await t.test(c.name, async () => {
      let calls = 0;
      const fetch = async () => {
        calls += 1;
        return reply(c.response);
      };
      const client = new LeanClient(clientOptions({}, { fetch, maxRetries: 0 }));
      const call = { ...argumentsFor(c.operation), operation: c.operation };
      if (c.expect.error) {
        checkError(c.name, await thrown(c.name, () => invoke(client, call)), c.expect.error);
      } else {
        assert.deepEqual(await invoke(client, call), c.expect.value, `${c.name}: value`);
      }
      assert.equal(calls, 1, `${c.name}: one request`);
    });
  }
});

/** The per-attempt timeout of engine runs; never mistaken for a backoff. */
const TIMEOUT_MS = 321;

test('engine.json', async (t) => {
  for (const c of vectors('engine.json')) {
    await t.test(c.name, async () => {
      const exchanges = [...c.exchanges];
      const fetch = async (url, init) => {
        const exchange = exchanges.shift();
        assert.ok(exchange, `${c.name}: unexpected request ${init.method} ${url}`);
        assert.equal(init.method, exchange.request.method, `${c.name}: method`);
        assert.ok(url.endsWith(exchange.request.path), `${c.name}: ${url} does not end with ${exchange.request.path}`);
        switch (exchange.reply.transportError) {
          case undefined: return reply(exchange.reply);
          case 'connect': throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
          case 'timeout':
            // Never answers: the client's own AbortController timeout fires.
            return new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason)));
          default: throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
        }
      };
      // Records the engine's waits and skips them; the attempt timeout runs for real.
      const waits = [];
      const realSetTimeout = globalThis.setTimeout;
      globalThis.setTimeout = (fn, ms, ...rest) => {
        if (ms === TIMEOUT_MS) return realSetTimeout(fn, ms, ...rest);
        waits.push(ms);
        return realSetTimeout(fn, 0, ...rest);
      };
      try {
        const options = clientOptions(c.config, { fetch, timeoutMs: TIMEOUT_MS, retryBackoff: { initialMs: 1, maxMs: 2 } });
        const client = new LeanClient(options);
        if (c.expect.error) {
          checkError(c.name, await thrown(c.name, () => invoke(client, c.call)), c.expect.error);
        } else {
          assert.deepEqual(await invoke(client, c.call), c.expect.value, `${c.name}: value`);
        }
      } finally {
        globalThis.setTimeout = realSetTimeout;
      }
      assert.equal(exchanges.length, 0, `${c.name}: the engine stopped before every exchange was used`);
      if (c.waitsMs) assert.deepEqual(waits, c.waitsMs, `${c.name}: waits`);
    });
  }
});

/** The payload of a webhook vector in every form the package accepts. */
function payloadForms(spec) {
  let bytes;
  if (typeof spec === 'string') bytes = Buffer.from(spec, 'utf8');
  else if ('base64' in spec) bytes = Buffer.from(spec.base64, 'base64');
  else bytes = Buffer.from(spec.repeat.repeat(spec.times), 'utf8');
  const forms = {
    Buffer: bytes,
    Uint8Array: new Uint8Array(bytes),
    ArrayBuffer: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
  };
  const text = new TextDecoder('utf-8', { fatal: true });
  try {
    forms.string = text.decode(bytes);
  } catch {
    // Not UTF-8: only byte forms can carry it.
  }
  return forms;
}

// In Node, webhook bodies are hashed by node:crypto (where it has
// crypto.hash) and the rest is done in the core; browsers hash in wasm.
// Every vector runs both ways.
const hashings = ['host', 'wasm'].filter((h) => sdk.__chooseWebhookHashing(h));
sdk.__chooseWebhookHashing(null);

test('webhooks.json', async (t) => {
  assert.ok(hashings.includes('wasm'));
  for (const c of vectors('webhooks.json')) {
    for (const [form, payload] of Object.entries(payloadForms(c.payload))) for (const hashing of hashings) {
      await t.test(`${c.name} (${form}, ${hashing} hashing)`, () => {
        sdk.__chooseWebhookHashing(hashing);
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
        } finally {
          sdk.__chooseWebhookHashing(null);
        }
        assert.ok(!c.expect.error, `${c.name}: expected ${JSON.stringify(c.expect.error)}`);
        assert.deepEqual(result, c.expect, c.name);
      });
    }
  }
});
