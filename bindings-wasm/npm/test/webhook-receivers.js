// The webhook helpers that read a body themselves (Express middleware and
// Web `Request` handler, of both APIs), each served over real HTTP on a
// loopback port, and a sender that streams a body of any size to them
// without holding it in memory. Shared by webhook-limits.test.js and the
// conformance scenarios.

import { once } from 'node:events';
import { createServer, request } from 'node:http';
import { Readable } from 'node:stream';
import express from 'express';
import { sdk } from './helpers.js';
import { ob } from './openbanking-helpers.js';

/**
 * The receivers under test with the webhook secret `secret`, by name, each
 * `(maxBodyBytes?) => Promise<{ url, bytesRead(), close() }>` (undefined:
 * the helper's default limit).
 */
export function receivers(secret) {
  const onEvent = () => {};
  return {
    'payouts express': (maxBodyBytes) => expressApp(sdk.webhooks.express({ secret, maxBodyBytes }), false),
    'open-banking express': (maxBodyBytes) => expressApp(ob.webhooks.express({ secret, maxBodyBytes, onEvent }), true),
    'payouts Request handler': (maxBodyBytes) => webServer(sdk.webhooks.handler({ secret, maxBodyBytes, onEvent })),
    'open-banking Request handler': (maxBodyBytes) => webServer(ob.webhooks.handler({ secret, maxBodyBytes, onEvent })),
  };
}

/** Serves `server`, counting the bytes its connections read. */
async function serve(server) {
  const sockets = [];
  server.on('connection', (socket) => sockets.push(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${server.address().port}/webhooks`,
    bytesRead: () => sockets.reduce((n, s) => n + s.bytesRead, 0),
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/** An Express app with `middleware` on `POST /webhooks`, answering 200 itself unless the middleware does. */
function expressApp(middleware, answersItself) {
  const app = express();
  app.post('/webhooks', middleware, (req, res) => (answersItself ? undefined : res.json({ received: true })));
  return serve(createServer(app));
}

/** A Web `Request` handler behind an adapter that streams the body, as frameworks do. */
function webServer(handle) {
  return serve(
    createServer(async (req, res) => {
      const body = Readable.toWeb(req);
      const response = await handle(new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers: req.headers, body, duplex: 'half' }));
      res.writeHead(response.status, { ...Object.fromEntries(response.headers), connection: 'close' });
      res.end(Buffer.from(await response.arrayBuffer()));
    }),
  );
}

/**
 * POSTs `bodyBytes` bytes of `x` to `url`, with the `Content-Length`
 * `contentLength` when given (larger than the body: the rest never comes,
 * the connection stays open) or chunked, from one reused chunk of
 * `chunkBytes` (default 64 KiB) with `intervalMs` between writes when given;
 * resolves to the answer's `{ status, body }` once the server gives one.
 * Never holds the body in memory.
 */
export function sendWebhook(url, { bodyBytes, contentLength, chunkBytes = 64 * 1024, intervalMs }) {
  const chunk = new Uint8Array(Math.min(chunkBytes, Math.max(bodyBytes, 1))).fill(0x78);
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json' };
    if (contentLength !== undefined) headers['content-length'] = String(contentLength);
    const req = request(url, { method: 'POST', headers });
    let answered = false;
    req.on('response', async (res) => {
      answered = true;
      const chunks = [];
      for await (const part of res) chunks.push(part);
      req.destroy();
      resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    let sent = 0;
    const pump = () => {
      while (!answered && sent < bodyBytes) {
        const part = chunk.subarray(0, Math.min(chunk.length, bodyBytes - sent));
        sent += part.length;
        const more = req.write(part);
        if (intervalMs) return void setTimeout(pump, intervalMs);
        if (!more) return void req.once('drain', pump);
      }
      // A declared length beyond the body: the sender waits, connection open.
      if (!answered && (contentLength === undefined || contentLength <= bodyBytes)) req.end();
    };
    pump();
  });
}
