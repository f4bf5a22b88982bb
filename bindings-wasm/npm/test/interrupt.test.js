// A call interrupted by its `AbortSignal` ends at once, and tells the
// caller what it knows: whether a request was in flight (then the outcome
// is unknown), and the idempotency key and ids that request carried, so
// that the caller can look the operation up instead of sending it again.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { sdk, thrown } from './helpers.js';
import { ob } from './openbanking-helpers.js';

/**
 * A loopback server that reads each request and never answers it;
 * `arrived` resolves at the first request.
 */
async function silentServer(t) {
  const seen = [];
  let arrive;
  const arrived = new Promise((resolve) => {
    arrive = resolve;
  });
  const held = [];
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    seen.push({ method: req.method, path: req.url, headers: req.headers });
    held.push(res);
    arrive();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => {
    for (const res of held) res.destroy();
    server.close();
  });
  return { url: `http://127.0.0.1:${server.address().port}`, seen, arrived };
}

const gig = {
  partnerUserId: 'u1', totalAmount: '15.00', tips: '0.00', expenses: '0.00', description: 'd', gigId: 'g-interrupted',
  startTime: '2021-03-01T21:04:04', endTime: '2021-03-01T21:31:05',
};
const payment = { partnerUserId: 'u1', amount: '5.00', type: 'reimbursement', gigId: 'g1' };

/** Aborts `controller` once the server holds the request, and returns the call's error. */
async function interruptedInFlight(server, controller, call) {
  const pending = thrown('interrupted call', call);
  await server.arrived;
  controller.abort(new Error('the user cancelled'));
  return pending;
}

function checkInFlight(error, server) {
  assert.ok(error instanceof sdk.LeanError, `${error?.stack ?? error}`);
  assert.equal(error.code, 'transport');
  assert.equal(error.outcomeUnknown, true);
  assert.equal(server.seen.length, 1, 'the request was sent once, and not again');
}

test('payouts: a create interrupted in flight reports an unknown outcome and what it sent', async (t) => {
  const server = await silentServer(t);
  const lean = new sdk.LeanClient({ apiKey: 'k', baseUrl: `${server.url}/api`, timeoutMs: 60_000 });
  const controller = new AbortController();
  const error = await interruptedInFlight(server, controller, () =>
    lean.createSpecialPayment(payment, { idempotencyKey: 'pay-42', signal: controller.signal }));
  checkInFlight(error, server);
  assert.equal(server.seen[0].headers['idempotency-key'], 'pay-42');
  await t.test('the error names the key sent', () => {
    assert.equal(error.idempotencyKey, 'pay-42');
  });
});

test('payouts: createGig interrupted in flight names the gigId it sent', async (t) => {
  const server = await silentServer(t);
  const lean = new sdk.LeanClient({ apiKey: 'k', baseUrl: `${server.url}/api`, timeoutMs: 60_000 });
  const controller = new AbortController();
  const error = await interruptedInFlight(server, controller, () => lean.createGig(gig, { signal: controller.signal }));
  checkInFlight(error, server);
  await t.test('the error names the gigId sent', () => {
    assert.deepEqual(error.sentIds, { gigId: 'g-interrupted' });
  });
});

test('open-banking: a payment intent interrupted in flight is reported, never sent again', async (t) => {
  const server = await silentServer(t);
  const client = new ob.OpenBankingClient({ appToken: 't' }, { baseUrl: server.url, timeoutMs: 60_000 });
  const controller = new AbortController();
  const error = await interruptedInFlight(server, controller, () =>
    client.createPaymentIntent({ customer_id: 'c1', amount: '10.00', currency: 'AED' }, { signal: controller.signal }));
  checkInFlight(error, server);
});

test('a signal aborted before the call rejects with its reason, as fetch does, and sends nothing', async (t) => {
  const server = await silentServer(t);
  const lean = new sdk.LeanClient({ apiKey: 'k', baseUrl: `${server.url}/api` });
  const error = await thrown('aborted', () => lean.createGig(gig, { signal: AbortSignal.abort() }));
  assert.equal(error.name, 'AbortError');
  assert.equal(server.seen.length, 0);
});

test('an abort during the backoff between attempts ends the call without another attempt', async () => {
  let attempts = 0;
  const controller = new AbortController();
  const fetch = async () => {
    attempts += 1;
    // Aborted once the engine has this answer and waits to retry.
    setImmediate(() => controller.abort());
    return new Response('{"message":"busy"}', { status: 503, headers: { 'retry-after': '30' } });
  };
  const lean = new sdk.LeanClient({ apiKey: 'k', fetch, maxRetries: 3, retryBackoff: { initialMs: 60_000, maxMs: 60_000 } });
  const error = await thrown('backoff', () => lean.getGig('g1', { signal: controller.signal }));
  assert.equal(error.code, 'transport');
  assert.ok(!error.outcomeUnknown, 'a read interrupted between attempts applied nothing');
  assert.equal(attempts, 1);
});

test('options.signal must be an AbortSignal', async () => {
  const lean = new sdk.LeanClient({ apiKey: 'k', fetch: async () => new Response('{}') });
  const error = await thrown('signal', () => lean.getGig('g1', { signal: 'stop' }));
  assert.equal(error.code, 'configuration');
});

test('a custom transport that throws mid-flight: the error says what was sent, and nothing unsafe is re-sent', async (t) => {
  const sent = [];
  const fetch = async (url, init) => {
    sent.push({ url, key: new Headers(init.headers).get('idempotency-key') });
    throw new Error('the proxy library crashed');
  };
  const lean = new sdk.LeanClient({ apiKey: 'k', fetch, maxRetries: 2, retryBackoff: { initialMs: 1, maxMs: 2 } });
  const error = await thrown('special payment', () => lean.createSpecialPayment(payment, { idempotencyKey: 'pay-7' }));
  assert.equal(error.code, 'transport');
  assert.equal(error.outcomeUnknown, true);
  assert.ok(sent.every((s) => s.key === 'pay-7'), 'every attempt carried the same key');
  const client = new ob.OpenBankingClient({ appToken: 't' }, { fetch, maxRetries: 2, retryBackoff: { initialMs: 1, maxMs: 2 } });
  const before = sent.length;
  const intentError = await thrown('payment intent', () => client.createPaymentIntent({ customer_id: 'c1', amount: '10.00', currency: 'AED' }));
  assert.equal(intentError.code, 'transport');
  await t.test('the key is reported, and a payment intent is sent once', () => {
    assert.equal(error.idempotencyKey, 'pay-7');
    assert.equal(sent.length - before, 1);
    assert.equal(intentError.outcomeUnknown, true);
  });
});
