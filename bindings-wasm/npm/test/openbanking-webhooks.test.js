// The open-banking webhook helpers as frameworks run them: an Express app
// with webhooks.express() and a Web `Request` handler. Both answer 200 to a
// verified webhook once onEvent returns (Lean retries anything else), 400
// to a refused signature, and let an onEvent failure become a 500 so Lean
// delivers the event again.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import express from 'express';
import { ob } from './openbanking-helpers.js';

const { webhooks, WebhookSignatureError } = ob;
const SECRET = 'whsec-ob-test';
const OLD_SECRET = 'whsec-ob-old';

const body = JSON.stringify({
  type: 'results.ready',
  payload: { id: 'r-1', customer_id: 'c-1' },
  message: 'Results are ready',
  timestamp: '2026-11-23T10:00:00Z',
  event_id: 'ev-1',
});

/** Lean's signature, computed independently of the SDK. */
const leanSignature = (raw, secret, encoding = 'hex') => `sha512=${createHmac('sha512', secret).update(raw).digest(encoding)}`;

async function serve(app) {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${server.address().port}/webhooks/lean`, close: () => server.close() };
}

const post = (url, raw, signature) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature ? { 'lean-signature': signature } : {}) },
    body: raw,
  });

test('express(): 200 after onEvent, 400 to a bad signature, 500 when onEvent fails', async () => {
  const events = [];
  let fail = false;
  const app = express();
  app.post('/webhooks/lean', webhooks.express({
    secrets: [SECRET, OLD_SECRET],
    onEvent: async (event) => {
      if (fail) throw new Error('database down');
      events.push(event);
    },
  }));
  // An error handler of the app's own: a 500, without Express's stack print.
  // eslint-disable-next-line no-unused-vars
  app.use((error, req, res, next) => res.status(500).end());
  const server = await serve(app);
  try {
    const ok = await post(server.url, body, leanSignature(body, SECRET));
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { received: true });
    assert.equal(events[0].event_id, 'ev-1');
    assert.equal(events[0].payload.id, 'r-1');

    const rotated = await post(server.url, body, leanSignature(body, OLD_SECRET, 'base64'));
    assert.equal(rotated.status, 200, 'the previous secret, base64 digest');

    const forged = await post(server.url, body, leanSignature(body, 'attacker'));
    assert.equal(forged.status, 400);
    assert.equal((await forged.json()).error.code, 'signature_mismatch');
    const missing = await post(server.url, body);
    assert.equal((await missing.json()).error.code, 'signature_missing');
    assert.equal(events.length, 2, 'refused webhooks never reach onEvent');

    fail = true;
    const failed = await post(server.url, body, leanSignature(body, SECRET));
    assert.equal(failed.status, 500, 'an onEvent failure is not acknowledged, so Lean retries');
  } finally {
    server.close();
  }
});

test('express(): a body parser that ran first is reported, not guessed around', async () => {
  const app = express();
  app.use(express.json());
  app.post('/webhooks/lean', webhooks.express({ secret: SECRET, onEvent: () => {} }));
  let seen;
  app.use((error, req, res, next) => {
    seen = error;
    res.status(500).end();
    void next;
  });
  const server = await serve(app);
  try {
    assert.equal((await post(server.url, body, leanSignature(body, SECRET))).status, 500);
    assert.match(seen.message, /body parser already consumed/);
  } finally {
    server.close();
  }
});

test('handler(): 200 after onEvent, 400 to a bad signature, onEvent failures propagate', async () => {
  const events = [];
  const handle = webhooks.handler({ secret: SECRET, onEvent: (event) => void events.push(event) });
  const request = (raw, signature) =>
    new Request('http://127.0.0.1/webhooks/lean', { method: 'POST', headers: signature ? { 'lean-signature': signature } : {}, body: raw });
  const ok = await handle(request(body, leanSignature(body, SECRET)));
  assert.equal(ok.status, 200);
  assert.equal(events[0].type, 'results.ready');
  const refused = await handle(request(body, leanSignature(`${body} `, SECRET)));
  assert.equal(refused.status, 400);
  assert.equal(events.length, 1);
  const failing = webhooks.handler({ secret: SECRET, onEvent: () => Promise.reject(new Error('later')) });
  await assert.rejects(() => failing(request(body, leanSignature(body, SECRET))), /later/);
});

test('helpers need onEvent, and the raw body', () => {
  assert.throws(() => webhooks.express({ secret: SECRET }), /onEvent/);
  assert.throws(() => webhooks.handler({ secret: SECRET }), /onEvent/);
  assert.throws(() => webhooks.verify(JSON.parse(body), leanSignature(body, SECRET), SECRET), /raw request body/);
  assert.throws(() => webhooks.createVerifier(['']), (e) => e.code === 'configuration');
});

test('events of unknown types are kept; the retry schedule is Lean\'s', () => {
  const raw = JSON.stringify({ type: 'account.frozen', payload: { reason: 'x', amount: 1 }, event_id: 'ev-9', extra: true });
  const event = webhooks.constructEvent(raw, leanSignature(raw, SECRET), SECRET);
  assert.deepEqual(event, { type: 'account.frozen', payload: { reason: 'x', amount: 1 }, event_id: 'ev-9', extra: true });
  assert.deepEqual([...webhooks.RETRY_SCHEDULE_MINUTES], [1, 2, 5, 10, 60, 180]);
  assert.equal(webhooks.SIGNATURE_HEADER, 'lean-signature');
  const verifier = webhooks.createVerifier([SECRET]);
  assert.ok(!String(verifier).includes(SECRET) && !JSON.stringify(verifier).includes(SECRET));
  assert.throws(() => verifier.verify(raw, leanSignature(raw, OLD_SECRET)), WebhookSignatureError);
});
