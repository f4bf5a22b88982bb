// Shared helpers of the browser tests: Debian's Chromium driven by
// playwright-core, and a loopback server of the package's files.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { extname, join, normalize } from 'node:path';
import { chromiumPath, inChromium } from './chromium.js';
import { packageDir } from './helpers.js';

if (!chromiumPath && process.env.LEAN_REQUIRE_BROWSER === '1') throw new Error('LEAN_REQUIRE_BROWSER=1 but Chromium is not installed');

/** The `skip` option of a browser test: why it cannot run, or false. */
export const skipWithoutBrowser = !chromiumPath && 'Chromium not installed';

const TYPES = {
  '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json',
};

/**
 * Serves the package's files below `roots` on a loopback port, after
 * `answer(path, req, res)`, which answers what it knows and returns true.
 * Resolves to `{ server, origin }`.
 */
export async function serveFiles(roots, answer = () => false) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^\/+/, '');
    if (answer(path, req, res)) return;
    if (!roots.some((root) => path.startsWith(root))) return res.writeHead(404).end();
    try {
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(join(packageDir, path)));
    } catch {
      res.writeHead(404).end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

/**
 * Runs `use(page)` in headless Chromium, then checks that the page threw
 * no uncaught error.
 */
export function inBrowser(use) {
  return inChromium(async (page, failures) => {
    await use(page);
    assert.deepEqual(failures, [], 'uncaught errors in the page');
  });
}
