// Every case of tests/vectors/ through the package's public API: the
// LeanClient over a recording, canned or scripted `fetch`, and `webhooks`
// with every payload type the package accepts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkError, clientOptions, made, runWebhookCases, sdk, testClientVectors, vectors } from './helpers.js';

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

test('config.json', async (t) => {
  for (const c of vectors('config.json')) {
    await t.test(c.name, () => {
      const { value: client, error } = made(c, () => new LeanClient(clientOptions(c.config)), checkError);
      if (error) return;
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

testClientVectors({
  load: vectors,
  clients: {
    request: (c, options) => new LeanClient(clientOptions(c.config, options)),
    response: (options) => new LeanClient(clientOptions({}, options)),
    engine: (c, options) => new LeanClient(clientOptions(c.config, options)),
  },
  argumentsFor,
  invoke,
  check: checkError,
});

test('webhooks.json', (t) => runWebhookCases(t, vectors('webhooks.json'), webhooks, checkError));
