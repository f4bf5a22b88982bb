// Starts the local sandbox (sandbox/README.md) for end-to-end tests, and
// receives its webhooks the two ways the package supports: an Express app
// with webhooks.express(), and a Web `Request` handler (webhooks.handler)
// behind a minimal Node adapter, as frameworks provide.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import express from 'express';
import { sdk } from './helpers.js';

/**
 * The sandbox binary from LEAN_SANDBOX_BIN, or `null` when it is not set
 * (then the end-to-end tests skip, unless LEAN_REQUIRE_SANDBOX=1).
 */
export function sandboxBinary() {
  const binary = process.env.LEAN_SANDBOX_BIN;
  if (!binary && process.env.LEAN_REQUIRE_SANDBOX === '1') throw new Error('LEAN_REQUIRE_SANDBOX=1 but LEAN_SANDBOX_BIN is not set');
  return binary || null;
}

/** Starts `lean-sandbox serve` on a free loopback port; resolves to `{ url, baseUrl, stop }`. */
export async function startSandbox(binary, apiKey, extra = []) {
  const child = spawn(binary, ['serve', '--port', '0', '--api-key', apiKey, '--approval-delay', '50ms',
    '--settlement-delay', '50ms', '--quiet', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const [first] = await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(([code]) => { throw new Error(`the sandbox exited with ${code}`); }),
  ]);
  const url = first.replace(/^listening on /, '');
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) throw new Error(`unexpected first line: ${first}`);
  return { url, baseUrl: `${url}/api`, stop: () => child.kill('SIGTERM') };
}

/** Registers a webhook receiver URL with the sandbox. */
export async function registerWebhook(sandboxUrl, url) {
  const answer = await fetch(`${sandboxUrl}/_sandbox/webhooks`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url }),
  });
  if (!answer.ok) throw new Error(`registering ${url}: ${answer.status} ${await answer.text()}`);
}

async function listen(server) {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${server.address().port}`;
}

/** An Express app receiving webhooks with webhooks.express(); events land in `events`. */
export async function expressReceiver(secret) {
  const events = [];
  const app = express();
  app.post('/webhooks/lean', sdk.webhooks.express({ secret }), (req, res) => {
    events.push(req.leanEvent);
    res.json({ received: true });
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${server.address().port}/webhooks/lean`, events, close: () => server.close() };
}

/** A Web `Request` handler (webhooks.handler) served through a small Node adapter. */
export async function requestReceiver(secret) {
  const events = [];
  const handle = sdk.webhooks.handler({ secret, onEvent: (event) => void events.push(event) });
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method, headers: req.headers, body: Buffer.concat(chunks),
    });
    const response = await handle(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  const base = await listen(server);
  return { url: `${base}/api/webhooks/lean`, events, close: () => server.close() };
}

/** Waits until `predicate()` holds (webhooks arrive asynchronously). */
export async function eventually(what, predicate, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
