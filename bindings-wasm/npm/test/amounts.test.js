// Amounts from JavaScript: a `number` with a fraction has been a binary
// float and is refused with an error that says to pass a string; a whole
// number is exact (a JSON integer, which the shared vectors accept); amount
// text with a huge exponent is refused by the core before any expansion.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sdk, thrown } from './helpers.js';
import { ob } from './openbanking-helpers.js';

const gig = {
  partnerUserId: 'u1', totalAmount: '15.00', tips: '0.00', expenses: '0.00', description: 'd', gigId: 'g1',
  startTime: '2021-03-01T21:04:04', endTime: '2021-03-01T21:31:05',
};
const intent = { customer_id: 'c1', amount: '10.00', currency: 'AED' };

/** A client whose fetch fails the test: nothing may be sent. */
function unsent(make) {
  return make(async () => assert.fail('a request was sent for an invalid amount'));
}

function fieldCodes(error) {
  assert.ok(error instanceof sdk.LeanValidationError, `${error?.stack ?? error}`);
  return Object.fromEntries(error.errors.map((e) => [e.field, e]));
}

test('a number with a fraction is refused as an amount, with a message that says to pass a string', async () => {
  const lean = unsent((fetch) => new sdk.LeanClient({ apiKey: 'k', fetch }));
  const payouts = fieldCodes(await thrown('gig', () => lean.createGig({ ...gig, totalAmount: 15.5 })));
  assert.equal(payouts.totalAmount.code, 'invalid_type');
  assert.match(payouts.totalAmount.message, /string/);
  const special = fieldCodes(await thrown('special', () =>
    lean.createSpecialPayment({ partnerUserId: 'u1', amount: 0.1, type: 'reimbursement' })));
  assert.equal(special.amount.code, 'invalid_type');
  const client = unsent((fetch) => new ob.OpenBankingClient({ appToken: 't' }, { fetch }));
  const openBanking = fieldCodes(await thrown('intent', () => client.createPaymentIntent({ ...intent, amount: 100.5 })));
  assert.equal(openBanking.amount.code, 'invalid_type');
  assert.match(openBanking.amount.message, /string/);
});

test('a whole number is exact, and accepted as the shared vectors require', () => {
  assert.deepEqual(sdk.validate('createGig', { ...gig, totalAmount: 15, tips: 3, expenses: 0 }), []);
});

test('amount text with a huge exponent is refused without being expanded', async () => {
  const lean = unsent((fetch) => new sdk.LeanClient({ apiKey: 'k', fetch }));
  const client = unsent((fetch) => new ob.OpenBankingClient({ appToken: 't' }, { fetch }));
  for (const amount of ['1e900000000', '1E+900000000', '-1e900000000', '0.0000e-900000000']) {
    const payouts = fieldCodes(await thrown(amount, () => lean.createGig({ ...gig, totalAmount: amount })));
    assert.ok(payouts.totalAmount, `${amount}: totalAmount refused`);
    const openBanking = fieldCodes(await thrown(amount, () => client.createPaymentIntent({ ...intent, amount })));
    assert.ok(openBanking.amount, `${amount}: amount refused`);
  }
});
