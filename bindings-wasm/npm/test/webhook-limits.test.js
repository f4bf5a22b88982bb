// The webhook helpers that read a body themselves (Express middleware and
// Web `Request` handler, of both APIs) read at most `maxBodyBytes`: a
// 64 MiB unsigned POST over real HTTP, streamed from one reused chunk, is
// refused (413, or a connection closed before the client could read the 413)
// while the server has read only about the limit, whether it declares its
// length or not.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sdk } from './helpers.js';
import { ob } from './openbanking-helpers.js';
import { receivers, sendWebhook } from './webhook-receivers.js';

const SECRET = 'whsec_limits';
const MiB = 1024 * 1024;
const HUGE = 64 * MiB;
const CHUNK = new Uint8Array(64 * 1024).fill(0x61);
// Node's socket and stream buffers between the client and the helper: what
// the server may have read past the limit before the helper refuses.
const SLACK = 4 * MiB;

/** POSTs `total` bytes, with or without a `Content-Length`, until the server answers. */
const post = (url, total, { declareLength }) =>
  sendWebhook(url, { bodyBytes: total, contentLength: declareLength ? total : undefined });

/**
 * The same for a body far over the limit. The server answers and closes
 * while the client is still writing; the client's next write can then fail
 * (`EPIPE`, `ECONNRESET`) before it has read the answer, as any HTTP client
 * may. That refusal is an outcome too, reported as `reset`.
 */
const postHuge = (url, total, options) =>
  post(url, total, options).catch((error) => {
    if (error.code === 'EPIPE' || error.code === 'ECONNRESET') return { reset: error.code };
    throw error;
  });

for (const [name, start] of Object.entries(receivers(SECRET))) {
  for (const declareLength of [true, false]) {
    const how = declareLength ? 'with its Content-Length' : 'chunked';
    test(`${name}: a 64 MiB body ${how} is refused without being read`, async (t) => {
      const receiver = await start();
      t.after(receiver.close);
      const before = process.memoryUsage();
      const answer = await postHuge(receiver.url, HUGE, { declareLength });
      const after = process.memoryUsage();
      if (answer.reset) {
        t.diagnostic(`the connection closed (${answer.reset}) before the client read the answer`);
      } else {
        assert.equal(answer.status, 413, answer.body);
        assert.equal(JSON.parse(answer.body).error.code, 'payload_too_large');
      }
      assert.ok(receiver.bytesRead() < MiB + SLACK, `the server read ${receiver.bytesRead()} bytes`);
      if (declareLength) assert.ok(receiver.bytesRead() < SLACK, `refused on Content-Length, yet read ${receiver.bytesRead()} bytes`);
      const grown = after.rss + after.arrayBuffers - before.rss - before.arrayBuffers;
      assert.ok(grown < HUGE / 2, `the process grew by ${grown} bytes`);
    });
  }

  test(`${name}: maxBodyBytes sets the limit, and bodies within it are verified as before`, async (t) => {
    const receiver = await start(10);
    t.after(receiver.close);
    const answer = await post(receiver.url, CHUNK.length, { declareLength: false });
    assert.equal(answer.status, 413);
    const roomy = await start();
    t.after(roomy.close);
    const unsigned = await post(roomy.url, CHUNK.length, { declareLength: true });
    assert.equal(unsigned.status, 400, 'an unsigned body within the limit is refused for its signature');
  });
}

test('constructEventFromRequest refuses a body over the limit with payload_too_large', async () => {
  for (const webhooks of [sdk.webhooks, ob.webhooks]) {
    assert.equal(webhooks.MAX_BODY_BYTES, MiB);
    const stream = new ReadableStream({
      pull(controller) {
        controller.enqueue(CHUNK);
      },
    });
    const request = new Request('http://127.0.0.1/webhooks', { method: 'POST', body: stream, duplex: 'half' });
    await assert.rejects(webhooks.constructEventFromRequest(request, SECRET, { maxBodyBytes: 100_000 }), (error) => {
      assert.ok(error instanceof sdk.LeanError);
      assert.equal(error.code, 'payload_too_large');
      assert.equal(error.status, 413);
      return true;
    });
    assert.throws(() => webhooks.express({ secret: SECRET, maxBodyBytes: -1, onEvent: () => {} }), /maxBodyBytes/);
  }
});
