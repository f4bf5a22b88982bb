// The browser entries in Debian's Chromium (playwright-core): a page using
// `lean-sdk` (payouts) never downloads the open-banking module, and a page
// using `lean-sdk/openbanking` loads only its own, calls the API through
// the page's fetch, verifies a webhook, and refuses `tls` (browsers present
// client certificates themselves).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inBrowser, serveFiles, skipWithoutBrowser } from './browser.js';
import { ob } from './openbanking-helpers.js';

const PAGES = {
  'payouts.html': `<script type="module">
    const { webhooks } = await import('/dist/browser.mjs');
    document.body.dataset.result = typeof webhooks.verify;
  </script>`,
  'openbanking.html': `<script type="module">
    const ob = await import('/dist/openbanking.browser.mjs');
    const result = {};
    const lean = new ob.OpenBankingClient({ appToken: 'browser-token' }, { baseUrl: location.origin });
    result.customer = await lean.getCustomer('c-1');
    result.validation = await lean.getBalance({ entity_id: 'e-1' }).catch((e) => [e.name, e.code, e.errors.map((f) => f.field)]);
    const body = '{"type":"results.ready","payload":{"id":"r-1"},"event_id":"ev-1"}';
    result.event = ob.webhooks.constructEvent(body, new URLSearchParams(location.search).get('sig'), 'whsec');
    try { ob.createMtlsFetch({}); } catch (e) { result.mtls = [e.code, e.message]; }
    try { new ob.OpenBankingClient({ appToken: 't' }, { tls: {} }); } catch (e) { result.tls = [e.code, e.message]; }
    try { new ob.OpenBankingClient({ appToken: 't' }, { environment: 'uae-production' }); } catch (e) { result.production = [e.code, e.message]; }
    document.body.dataset.result = JSON.stringify(result);
  </script>`,
};

/** Serves dist/, the two pages and a fake `GET /customers/v1/c-1`, logging every path in `requested`. */
function serve(requested) {
  return serveFiles(['dist/'], (path, req, res) => {
    requested.push(path);
    if (path === 'customers/v1/c-1') {
      const ok = req.headers['lean-app-token'] === 'browser-token';
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(ok ? '{"customer_id":"c-1"}' : '{}');
      return true;
    }
    const page = PAGES[path];
    if (page === undefined) return false;
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><body>${page}</body>`);
    return true;
  });
}

test('browser entries: each page downloads only its own module', { skip: skipWithoutBrowser }, async () => {
  const requested = [];
  const { server, origin } = await serve(requested);
  try {
    await inBrowser(async (page) => {
      await page.goto(`${origin}/payouts.html`);
      await page.waitForSelector('body[data-result]', { state: 'attached' });
      assert.equal(await page.getAttribute('body', 'data-result'), 'function');
      assert.ok(requested.includes('dist/lean_sdk_wasm_bg.wasm'));
      assert.ok(!requested.some((p) => p.includes('openbanking')), `payouts page requested ${requested}`);

      requested.length = 0;
      const body = '{"type":"results.ready","payload":{"id":"r-1"},"event_id":"ev-1"}';
      await page.goto(`${origin}/openbanking.html?sig=${encodeURIComponent(ob.webhooks.sign(body, 'whsec'))}`);
      await page.waitForSelector('body[data-result]', { state: 'attached' });
      const result = JSON.parse(await page.getAttribute('body', 'data-result'));
      assert.deepEqual(result.customer, { customer_id: 'c-1' });
      assert.deepEqual(result.validation, ['LeanValidationError', 'validation', ['account_id']]);
      assert.deepEqual(result.event, { type: 'results.ready', payload: { id: 'r-1' }, event_id: 'ev-1' });
      assert.equal(result.mtls[0], 'configuration');
      assert.match(result.mtls[1], /the browser presents the client certificate/);
      assert.equal(result.tls[0], 'configuration');
      assert.match(result.tls[1], /not available in browsers/);
      assert.match(result.production[1], /uae-production requires mutual TLS: in a browser/);
      assert.ok(requested.includes('dist/lean_sdk_wasm_openbanking_bg.wasm'));
      assert.ok(!requested.includes('dist/lean_sdk_wasm_bg.wasm'), `open-banking page requested ${requested}`);
    });
  } finally {
    server.close();
  }
});
