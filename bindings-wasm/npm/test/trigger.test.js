// Every webhook event type the sandbox can trigger (POST /_sandbox/trigger,
// sandbox/README.md "Test your webhook handler"), delivered over real HTTP
// to handlers built with the package's helpers: payouts to an Express app
// (webhooks.express) and to a Web `Request` handler (webhooks.handler), open
// banking to an Express app (lean-sdk/openbanking's webhooks.express). Each
// must accept every event and refuse a bad or missing signature.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import express from 'express';
import { ob } from './openbanking-helpers.js';
import { expressReceiver, requestReceiver, sandboxBinary, startSandbox } from './sandbox.js';

const binary = sandboxBinary();
const skip = binary ? false : 'LEAN_SANDBOX_BIN is not set';
const API_KEY = 'node_trigger_key';
const OB_WEBHOOK_SECRET = 'sandbox-webhook-secret'; // the sandbox's default

const PAYOUTS_EVENTS = ['customer.active', 'customer.inactive', 'gig.completed', 'gig.failed',
  'specialpayment.completed', 'specialpayment.failed'];
const OPEN_BANKING_EVENTS = ['results.ready', 'entity.created', 'payment.created', 'payment.updated',
  'payment_intent.created', 'payment_source.created', 'payment_source.beneficiary.created',
  'entity.data.refresh.updated', 'bank.availability.updated'];

let sandbox;
let payoutsReceivers;
let openBanking;

/** An Express app verifying open-banking webhooks with lean-sdk/openbanking. */
async function openBankingReceiver() {
  const events = [];
  const app = express();
  app.post('/webhooks/lean-ob', ob.webhooks.express({
    secret: OB_WEBHOOK_SECRET,
    onEvent: (event) => void events.push(event),
  }));
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${server.address().port}/webhooks/lean-ob`, events, close: () => server.close() };
}

async function trigger(body) {
  const answer = await fetch(`${sandbox.url}/_sandbox/trigger`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  assert.equal(answer.status, 200, await answer.clone().text());
  return answer.json();
}

before(async () => {
  if (!binary) return;
  sandbox = await startSandbox(binary, API_KEY);
  payoutsReceivers = [await expressReceiver(API_KEY), await requestReceiver(API_KEY)];
  openBanking = await openBankingReceiver();
});

after(() => {
  sandbox?.stop();
  for (const receiver of [...(payoutsReceivers ?? []), openBanking]) receiver?.close();
});

test('every payouts event is verified by webhooks.express and webhooks.handler', { skip }, async () => {
  for (const receiver of payoutsReceivers) {
    for (const event of PAYOUTS_EVENTS) {
      const before = receiver.events.length;
      const report = await trigger({ event, to: receiver.url });
      assert.equal(report.attempts.length, 1);
      assert.equal(report.attempts[0].status, 200, `${event} to ${receiver.url}`);
      assert.equal(report.attempts[0].delivered, true);
      const verified = receiver.events.slice(before);
      assert.deepEqual(verified.map((e) => e.event), [event]);
    }
  }
});

test('every open-banking event is verified, and a replay keeps its event_id', { skip }, async () => {
  for (const event of OPEN_BANKING_EVENTS) {
    const before = openBanking.events.length;
    const report = await trigger({ event, to: openBanking.url, replay: 1 });
    assert.deepEqual(report.attempts.map((a) => [a.status, a.delivered]), [[200, true], [200, true]]);
    const verified = openBanking.events.slice(before);
    assert.deepEqual(verified.map((e) => e.type), [event, event]);
    assert.equal(verified[0].event_id, report.body.event_id);
    assert.equal(verified[1].event_id, report.body.event_id);
  }
});

test('bad and missing signatures are refused and never reach the handler', { skip }, async () => {
  const targets = [['gig.failed', payoutsReceivers[0]], ['gig.completed', payoutsReceivers[1]],
    ['payment.updated', openBanking]];
  for (const [event, receiver] of targets) {
    for (const refusal of [{ bad_signature: true }, { unsigned: true }]) {
      const before = receiver.events.length;
      const report = await trigger({ event, to: receiver.url, ...refusal });
      assert.equal(report.attempts[0].delivered, false, `${event} ${JSON.stringify(refusal)}`);
      assert.equal(report.attempts[0].status, 400);
      assert.equal(receiver.events.length, before);
    }
  }
});
