// The webhook helpers where raw bodies live: Express middleware over a real
// loopback server, the Web `Request` handler, and the raw-body mistake.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { inspect } from 'node:util';
import express from 'express';
import { sdk } from './helpers.js';

const { webhooks, WebhookSignatureError, WebhookVerifier, LeanClient } = sdk;
const SECRET = 'whsec_test';
const body = JSON.stringify({ event: 'gig.completed', data: { gigId: 'gig_1', totalAmount: '15.5', status: 'success' } });
const signature = webhooks.sign(body, SECRET);

test('a parsed object is refused with an explanation of the raw-body requirement', () => {
  for (const parsed of [JSON.parse(body), null, 42, [1]]) {
    assert.throws(() => webhooks.verify(parsed, signature, SECRET), (error) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, /raw request body/);
      return true;
    });
  }
});

test('several secrets: a rotated-out secret and the new one both verify', () => {
  const verifier = new WebhookVerifier(['whsec_old', SECRET]);
  verifier.verify(body, signature);
  verifier.verify(body, webhooks.sign(body, 'whsec_old'));
  assert.throws(() => verifier.verify(body, webhooks.sign(body, 'whsec_other')), WebhookSignatureError);
  assert.throws(() => webhooks.verify(body, signature, []), { code: 'configuration' });
  // Secrets longer than HMAC's 64-byte block are hashed into the key first.
  const long = 'whsec_'.padEnd(100, 'x');
  for (const secrets of [[long], [SECRET, long, 'whsec_a', 'whsec_b', 'whsec_c']]) {
    const many = new WebhookVerifier(secrets);
    many.verify(body, webhooks.sign(body, long));
    many.verify(Buffer.from(body), webhooks.sign(body, long));
    assert.throws(() => many.verify(body, webhooks.sign(body, 'whsec_other')), { code: 'signature_mismatch' });
  }
});

test('verify keeps working as the scratch buffer and wasm memory grow, and reads the header exactly', () => {
  const verifier = new WebhookVerifier(SECRET);
  // Small, then a body larger than any before (the buffer moves and wasm
  // memory grows, so views of it die), then small again, both input kinds.
  const big = `{"event":"gig.completed","data":{"description":"${'é'.repeat(3 << 20)}"}}`;
  for (const payload of [body, big, body, Buffer.from(big), Buffer.from(body), big.slice(0, 70)]) {
    const text = typeof payload === 'string' ? payload : payload.toString();
    verifier.verify(payload, webhooks.sign(text, SECRET));
    assert.throws(() => verifier.verify(payload, webhooks.sign(text, 'whsec_other')), { code: 'signature_mismatch' });
  }
  // The header crosses as bytes after the body: absent, empty, padded,
  // non-ASCII and overlong values get the same answers as before.
  verifier.verify(body, `  ${signature}\t`);
  for (const [header, problem] of [[undefined, /missing/], ['', /missing/], [`${signature}é`, /not a base64/], [`${signature}€`.repeat(2000), /not a base64/]]) {
    assert.throws(() => verifier.verify(body, header), (error) => {
      assert.ok(error instanceof WebhookSignatureError);
      assert.match(error.message, problem);
      return true;
    });
  }
});

test('secrets and API keys never show in toString, JSON or inspect', () => {
  const verifier = new WebhookVerifier('whsec_supersecret');
  const client = new LeanClient({ apiKey: 'sk_supersecret', fetch: async () => new Response('[]') });
  for (const shown of [String(verifier), JSON.stringify(verifier), inspect(verifier), String(client), JSON.stringify({ client }), inspect(client, { showHidden: true })]) {
    assert.doesNotMatch(shown, /supersecret/);
  }
});

test('constructEvent normalises the event data', () => {
  const event = webhooks.constructEvent(body, [signature], SECRET);
  assert.deepEqual(event, {
    event: 'gig.completed',
    data: { gigId: 'gig_1', totalAmount: '15.50', status: 'SUCCESS' },
    dedupKey: 'gig.completed:gig_1:SUCCESS',
  });
});

test('a repeated delivery has the same dedupKey, through the Express middleware too', async () => {
  const keys = [];
  const app = express();
  app.post('/hook', webhooks.express({ secret: SECRET }), (req, res) => {
    keys.push(req.leanEvent.dedupKey);
    res.json({ received: true });
  });
  await withServer(app, async (base) => {
    for (let i = 0; i < 2; i++) {
      const answer = await fetch(`${base}/hook`, { method: 'POST', headers: { 'x-lean-signature': signature }, body });
      assert.equal(answer.status, 200);
    }
  });
  const changed = body.replace('"success"', '"failed"');
  keys.push(webhooks.constructEvent(changed, webhooks.sign(changed, SECRET), SECRET).dedupKey);
  assert.equal(keys[0], keys[1]);
  assert.notEqual(keys[0], keys[2], 'a change of status is a new event');
});

async function withServer(app, fn) {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    await fn(`http://127.0.0.1:${server.address().port}`);
  } finally {
    server.close();
  }
}

test('Express middleware: verifies the raw body it reads itself', async () => {
  const received = [];
  const app = express();
  app.post('/webhooks/lean', webhooks.express({ secret: SECRET }), (req, res) => {
    received.push(req.leanEvent);
    res.json({ ok: true });
  });
  // A JSON parser mounted before the middleware would break it: it must say so.
  app.post('/parsed', express.json(), webhooks.express({ secret: SECRET }), (req, res) => res.json({ ok: true }));
  app.use((error, req, res, next) => res.status(500).json({ error: error.message }));
  await withServer(app, async (url) => {
    const post = (path, sig, payload = body) =>
      fetch(url + path, { method: 'POST', body: payload, headers: { 'content-type': 'application/json', ...(sig ? { 'x-lean-signature': sig } : {}) } });
    let answer = await post('/webhooks/lean', signature);
    assert.equal(answer.status, 200);
    assert.equal(received.length, 1);
    assert.equal(received[0].event, 'gig.completed');
    answer = await post('/webhooks/lean', signature, body.replace('15.5', '1500'));
    assert.equal(answer.status, 400);
    assert.equal((await answer.json()).error.code, 'signature_mismatch');
    answer = await post('/webhooks/lean', undefined);
    assert.equal((await answer.json()).error.code, 'signature_missing');
    assert.equal(received.length, 1);
    answer = await post('/parsed', signature);
    assert.equal(answer.status, 500);
    assert.match((await answer.json()).error, /body parser already consumed/);
  });
});

test('Request handler: Web-standard Request in, Response out', async () => {
  const seen = [];
  const handle = webhooks.handler({ secret: SECRET, onEvent: (event) => void seen.push(event) });
  const request = (sig, payload = body) =>
    new Request('http://127.0.0.1/webhooks/lean', { method: 'POST', body: payload, headers: sig ? { 'x-lean-signature': sig } : {} });
  let response = await handle(request(signature));
  assert.equal(response.status, 200);
  assert.equal(seen.length, 1);
  assert.equal(seen[0].data.gigId, 'gig_1');
  response = await handle(request('not base64!'));
  assert.equal(response.status, 400);
  assert.equal((await response.json()).error.code, 'signature_malformed');
  response = await handle(request(webhooks.sign('{"event":1}', SECRET), '{"event":1}'));
  assert.equal(response.status, 400);
  assert.equal((await response.json()).error.code, 'invalid_payload');
  assert.equal(seen.length, 1);
  const custom = webhooks.handler({ secret: SECRET, onEvent: () => new Response('custom', { status: 202 }) });
  assert.equal((await custom(request(signature))).status, 202);
});

test('the one-off functions never mistake one list of secrets for another', () => {
  const signedWithA = webhooks.sign(body, 'a');
  // Caches a verifier for the two secrets 'a' and 'b'.
  webhooks.verify(body, signedWithA, ['a', 'b']);
  // One secret that holds a NUL: 'a' is not it, so the signature must fail.
  assert.throws(() => webhooks.verify(body, signedWithA, 'a\u0000b'), WebhookSignatureError);
  assert.throws(() => webhooks.constructEvent(body, signedWithA, 'a\u0000b'), WebhookSignatureError);
  assert.throws(() => webhooks.verify(body, signedWithA, ['a\u0000b']), WebhookSignatureError);
  webhooks.verify(body, signedWithA, ['a', 'b']);
});

test('constructEvent parses the very bytes it verified', () => {
  const large = JSON.stringify({ event: 'gig.completed', data: { gigId: 'g'.repeat(2000), totalAmount: '15.00', status: 'success' } });
  const bytes = new Uint8Array(Buffer.from(large));
  const event = webhooks.constructEvent(bytes, webhooks.sign(large, SECRET), SECRET);
  assert.equal(event.data.gigId.length, 2000);
  const tampered = Buffer.from(large.replace('15.00', '99.00'));
  assert.throws(() => webhooks.constructEvent(tampered, webhooks.sign(large, SECRET), SECRET), WebhookSignatureError);
});
