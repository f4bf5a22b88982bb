// The partner flow in JavaScript, against the local sandbox:
//   node examples/partner-flow.mjs http://127.0.0.1:PORT API_KEY
// Registers a worker, has the application approved, receives the
// customer.active webhook in an Express app, pays a gig and a bonus
// (idempotently), receives their completion webhooks, and lists payouts.

import { once } from 'node:events';
import express from 'express';
import { LeanClient, LeanValidationError, webhooks } from 'lean-sdk';

const [sandboxUrl, apiKey] = process.argv.slice(2);
if (!sandboxUrl || !apiKey) {
  console.error('usage: node examples/partner-flow.mjs SANDBOX_URL API_KEY');
  process.exit(2);
}

// 1. A webhook receiver. The sandbox signs with the API key unless told otherwise.
const events = [];
const app = express();
app.post('/webhooks/lean', webhooks.express({ secret: apiKey }), (req, res) => {
  const { event, data } = req.leanEvent;
  console.log(`  webhook  ${event}  ${data.gigId ?? data.id ?? data.partnerUserId}`);
  events.push(req.leanEvent);
  res.json({ received: true });
});
const server = app.listen(0, '127.0.0.1');
await once(server, 'listening');
const hook = `http://127.0.0.1:${server.address().port}/webhooks/lean`;
await fetch(`${sandboxUrl}/_sandbox/webhooks`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: hook }),
});
console.log(`webhooks go to ${hook}`);

const waitFor = async (name) => {
  for (let i = 0; i < 400 && !events.some((e) => e.event === name); i++) await new Promise((r) => setTimeout(r, 25));
  if (!events.some((e) => e.event === name)) throw new Error(`no ${name} webhook`);
};

const lean = new LeanClient({ apiKey, baseUrl: `${sandboxUrl}/api` });
const run = String(Date.now()).slice(-7); // unique enough for one sandbox
const partnerUserId = `uid_js_${run}`;

// 2. Bad input is refused before anything is sent, every field at once.
try {
  await lean.createCustomer({ firstName: 'Jane', email: 'not-an-email', partnerUserId });
} catch (error) {
  if (!(error instanceof LeanValidationError)) throw error;
  console.log(`refused locally: ${error.errors.map((e) => `${e.field} (${e.code})`).join(', ')}`);
}

// 3. Onboard the worker.
const customer = await lean.createCustomer({
  firstName: 'Jane', lastName: 'Doe', birthday: '1980-12-31', phoneNumber: `408${run}`,
  email: `jane.${run}@example.com`, street: '700 Treehouse Drive', city: 'San Jose', state: 'CA',
  postalCode: '95101', partnerUserId, registrationDate: '2020-01-01',
});
console.log(`customer ${customer.partnerUserId}: ${customer.status}`);
await lean.submitApplication(partnerUserId);
await waitFor('customer.active');
console.log(`customer ${partnerUserId}: ${(await lean.getCustomer(partnerUserId)).status}`);

// 4. Pay a gig and a bonus. The bonus carries our own idempotency key:
//    running this step twice pays once.
const gig = await lean.createGig({
  partnerUserId, gigId: `gig_js_${run}`, description: 'Delivery', totalAmount: '42.50', tips: '5.00', expenses: '2.50',
  startTime: '2024-05-01T09:00:00Z', endTime: '2024-05-01T10:30:00Z',
});
console.log(`gig ${gig.gigId}: ${gig.totalAmount} ${gig.status}`);
const bonus = { partnerUserId, amount: '10.00', type: 'bonus', description: 'Five-star week' };
const paid = await lean.createSpecialPayment(bonus, { idempotencyKey: `bonus-${run}` });
const again = await lean.createSpecialPayment(bonus, { idempotencyKey: `bonus-${run}` });
console.log(`bonus ${paid.id}: ${paid.amount} (sent twice, paid once: ${paid.id === again.id})`);
await waitFor('gig.completed');
await waitFor('specialpayment.completed');

// 5. Where the money went.
for (const g of await lean.listGigs()) console.log(`  gig ${g.gigId}  ${g.totalAmount}  ${g.status}`);
for (const p of await lean.listSpecialPayments()) console.log(`  payment ${p.id}  ${p.amount}  ${p.type}  ${p.status}`);
server.close();
console.log('partner flow done');
