// A Rust panic inside the wasm module must reach callers as a catchable
// LeanError with code `internal`, and must not leave a dead module behind.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sdk } from './helpers.js';

const { LeanClient, LeanError, webhooks, __testPanic } = sdk;

test('a panic becomes LeanError internal, and the module keeps working', async () => {
  const verifier = webhooks.createVerifier('whsec_test');
  const client = new LeanClient({ apiKey: 'k', fetch: async () => new Response('[]') });
  const signature = webhooks.sign('{"event":"gig.completed","data":{}}', 'whsec_test');
  verifier.verify('{"event":"gig.completed","data":{}}', signature);

  for (let round = 0; round < 3; round++) {
    let caught;
    try {
      __testPanic(`boom ${round}`);
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof LeanError, `round ${round}: ${caught}`);
    assert.equal(caught.code, 'internal');
    assert.match(caught.message, new RegExp(`boom ${round}`));
    assert.ok(caught.cause instanceof WebAssembly.RuntimeError, 'the trap is kept as the cause');

    // Objects made before the panic still work: they rebuild their wasm side.
    verifier.verify('{"event":"gig.completed","data":{}}', signature);
    assert.throws(() => verifier.verify('tampered', signature), { code: 'signature_mismatch' });
    assert.deepEqual(await client.listGigs(), []);
    assert.equal(webhooks.sign('', 'whsec_test'), '09i38pO1fBByPs3X05IqkoggOcE=');
  }
});
