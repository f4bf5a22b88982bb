// The whole partner flow against the local sandbox through real `fetch`,
// with its webhooks received by an Express app and by a Request handler.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sdk } from './helpers.js';
import { eventually, expressReceiver, registerWebhook, requestReceiver, sandboxBinary, startSandbox } from './sandbox.js';

const { LeanClient, LeanApiError, LeanError, LeanValidationError } = sdk;
const binary = sandboxBinary();
const API_KEY = 'node_e2e_key';
let sandbox;
let receivers;

before(async () => {
  if (!binary) return;
  sandbox = await startSandbox(binary, API_KEY);
  receivers = [await expressReceiver(API_KEY), await requestReceiver(API_KEY)];
  for (const receiver of receivers) await registerWebhook(sandbox.url, receiver.url);
});

after(() => {
  sandbox?.stop();
  for (const receiver of receivers ?? []) receiver.close();
});

const customer = {
  firstName: 'Jane', lastName: 'Doe', birthday: '1980-12-31', phoneNumber: '4085008000',
  email: 'jane.e2e@example.com', street: '700 Treehouse Drive', city: 'San Jose', state: 'CA',
  postalCode: '95101', partnerUserId: 'uid_node_e2e', registrationDate: '2020-01-01',
};

const received = (name, match = () => true) => () =>
  receivers.every((r) => r.events.some((e) => e.event === name && match(e.data)));

test('partner flow: onboard, pay a gig and a bonus, receive every webhook', { skip: !binary && 'LEAN_SANDBOX_BIN not set' }, async () => {
  const lean = new LeanClient({ apiKey: API_KEY, baseUrl: sandbox.baseUrl });

  const created = await lean.createCustomer(customer);
  assert.equal(created.partnerUserId, customer.partnerUserId);
  assert.equal(created.status, 'PENDING');
  const updated = await lean.updateCustomer(customer.partnerUserId, { street2: 'Apt 2' });
  assert.equal(updated.street2, 'Apt 2');
  const application = await lean.submitApplication(customer.partnerUserId);
  assert.equal(application.partnerUserId, customer.partnerUserId);
  await eventually('customer.active on both receivers', received('customer.active', (d) => d.partnerUserId === customer.partnerUserId));
  assert.equal((await lean.getCustomer(customer.partnerUserId)).status, 'ACTIVE');

  const gig = await lean.createGig({
    partnerUserId: customer.partnerUserId, totalAmount: '15.00', tips: '3.00', expenses: '2.00',
    description: 'Gig Payout', gigId: 'gig_node_e2e', startTime: '2021-03-01T21:04:04Z', endTime: '2021-03-01T21:31:05Z',
  });
  assert.equal(gig.gigId, 'gig_node_e2e');
  assert.equal(gig.totalAmount, '15.00');
  const bonus = { partnerUserId: customer.partnerUserId, amount: '25.5', type: 'bonus', description: 'Welcome bonus' };
  const payment = await lean.createSpecialPayment(bonus, { idempotencyKey: 'node-e2e-bonus-1' });
  assert.equal(payment.amount, '25.50');
  // The same key again: the API replays the original payment, nothing is paid twice.
  const replay = await lean.createSpecialPayment(bonus, { idempotencyKey: 'node-e2e-bonus-1' });
  assert.equal(replay.id, payment.id);

  await eventually('gig.completed on both receivers', received('gig.completed', (d) => d.gigId === 'gig_node_e2e'));
  await eventually('specialpayment.completed on both receivers', received('specialpayment.completed', (d) => d.id === payment.id));
  assert.equal((await lean.getGig('gig_node_e2e')).status, 'SUCCESS');
  assert.equal((await lean.getSpecialPayment(payment.id)).status, 'SUCCESS');
  assert.deepEqual((await lean.listGigs()).map((g) => g.gigId), ['gig_node_e2e']);
  assert.deepEqual((await lean.listSpecialPayments()).map((p) => p.id), [payment.id]);
  for (const receiver of receivers) {
    const paid = receiver.events.find((e) => e.event === 'specialpayment.completed');
    assert.equal(paid.data.amount, '25.50', 'webhook amounts are decimal strings');
  }
});

test('errors from the real server', { skip: !binary && 'LEAN_SANDBOX_BIN not set' }, async () => {
  const lean = new LeanClient({ apiKey: API_KEY, baseUrl: sandbox.baseUrl });
  const missing = await lean.getGig('gig_that_does_not_exist').catch((e) => e);
  assert.ok(missing instanceof LeanApiError);
  assert.equal(missing.code, 'not_found');
  assert.equal(missing.status, 404);
  assert.ok(missing.requestId, 'the x-request-id is kept');

  const wrongKey = new LeanClient({ apiKey: 'not_the_key', baseUrl: sandbox.baseUrl });
  const refused = await wrongKey.listGigs().catch((e) => e);
  assert.equal(refused.code, 'unauthorized');
  assert.doesNotMatch(refused.message + refused.body, /not_the_key/);

  const invalid = await lean.createGig({ partnerUserId: 'uid_node_e2e', totalAmount: 15.5 }).catch((e) => e);
  assert.ok(invalid instanceof LeanValidationError);
  assert.ok(invalid.errors.some((e) => e.field === 'totalAmount' && e.code === 'invalid_type'), 'a number amount is refused');

  const taken = await lean.createCustomer({ ...customer, partnerUserId: 'uid_other' }).catch((e) => e);
  assert.equal(taken.code, 'bad_request');
  assert.ok(taken.errors.some((e) => e.field === 'email'), 'the server names the taken fields');
});

test('a refused connection is a transport error', { skip: !binary && 'LEAN_SANDBOX_BIN not set' }, async () => {
  // A port that was just free: nothing listens there.
  const { createServer } = await import('node:net');
  const probe = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => probe.on('listening', resolve));
  const port = probe.address().port;
  await new Promise((resolve) => probe.close(resolve));
  const lean = new LeanClient({ apiKey: API_KEY, baseUrl: `http://127.0.0.1:${port}/api`, maxRetries: 1, retryBackoff: { initialMs: 1 } });
  const error = await lean.listGigs().catch((e) => e);
  assert.ok(error instanceof LeanError);
  assert.equal(error.code, 'transport');
  assert.equal(error.outcomeUnknown, false, 'nothing was sent, so nothing was applied');
});
