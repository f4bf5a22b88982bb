// What a user of the installed tarball gets on a plain Node.js, by import and
// by require: a gig validated, a payouts webhook signed and verified (and a
// tampered one refused), an open-banking webhook verified and parsed. Run by
// scripts/test.d/71-release-npm.sh in a project that installed the tarball.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const gig = {
  partnerUserId: 'uid_1', totalAmount: '15.00', tips: '0.00', expenses: '0.00', description: 'Gig payout',
  gigId: 'gig_1', startTime: '2021-03-01T21:04:04', endTime: '2021-03-01T21:31:05',
};

function check(sdk, ob, how) {
  const { validate, webhooks, WebhookSignatureError } = sdk;
  assert.deepEqual(validate('createGig', gig), []);
  const problems = validate('createGig', { ...gig, totalAmount: 15.5 });
  assert.deepEqual(problems.map((p) => `${p.field} ${p.code}`), ['totalAmount invalid_type']);

  const body = JSON.stringify({ event: 'gig.completed', data: { gigId: 'gig_1', totalAmount: '15' } });
  const signature = webhooks.sign(body, 'whsec_smoke');
  const event = webhooks.constructEvent(new TextEncoder().encode(body), signature, 'whsec_smoke');
  assert.equal(event.event, 'gig.completed');
  assert.equal(event.data.totalAmount, '15.00');
  assert.throws(() => webhooks.verify(body.replace('15', '1500'), signature, 'whsec_smoke'),
    (e) => e instanceof WebhookSignatureError && e.code === 'signature_mismatch');

  const obBody = JSON.stringify({ type: 'results.ready', payload: { id: 'r-1', customer_id: 'c-1' }, message: 'Results are ready',
    timestamp: '2026-11-23T10:00:00Z', event_id: 'ev-1' });
  const obEvent = ob.webhooks.constructEvent(obBody, ob.webhooks.sign(obBody, 'whsec_ob'), 'whsec_ob');
  assert.equal(obEvent.type, 'results.ready');
  assert.equal(obEvent.payload.id, 'r-1');
  assert.throws(() => ob.webhooks.verify(obBody, ob.webhooks.sign(obBody, 'other'), 'whsec_ob'),
    (e) => e instanceof sdk.LeanError && e.code === 'signature_mismatch');
  console.log(`${how}: gig validated (a float amount refused), payouts webhook signed+verified (tampered refused), open-banking webhook verified+parsed`);
}

const require = createRequire(import.meta.url);
const esm = await import('lean-sdk');
check(esm, await import('lean-sdk/openbanking'), `Node ${process.versions.node}, import ${import.meta.resolve('lean-sdk')}`);
check(require('lean-sdk'), require('lean-sdk/openbanking'), `Node ${process.versions.node}, require ${require.resolve('lean-sdk')}`);
