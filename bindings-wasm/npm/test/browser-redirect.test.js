// In a real browser (Debian's Chromium, through playwright-core), a
// redirect answer is opaque to the page under `redirect: 'manual'`: the
// client reports it as a LeanRedirectError that says the Location was
// hidden, and the origin it pointed to never sees a request. And a client
// holding a partner secret refuses to start in the page unless opted in.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inBrowser, serveFiles, skipWithoutBrowser } from './browser.js';

const PAGE = `<!doctype html><body><script type="module">
  const { LeanClient } = await import('/dist/browser.mjs');
  const { OpenBankingClient } = await import('/dist/openbanking.browser.mjs');
  const report = (e) => [e.name, e.code, e.status, e.location ?? null, e.attempts.map((a) => a.phase), e.message];
  const result = {};
  // A partner secret in a page is refused unless the caller opts in.
  const refusals = {};
  try { new LeanClient({ apiKey: 'browser-api-key' }); } catch (e) { refusals.apiKey = [e.code, e.message]; }
  try {
    new OpenBankingClient({ clientId: 'c', clientSecret: 'browser-client-secret' },
      { baseUrl: location.origin, tokenBaseUrl: location.origin });
  } catch (e) { refusals.clientSecret = [e.code, e.message]; }
  document.body.dataset.refusals = JSON.stringify(refusals);
  const lean = new LeanClient({ apiKey: 'browser-api-key', baseUrl: location.origin + '/api', maxRetries: 0,
    dangerouslyAllowBrowser: true });
  result.payouts = await lean.createGig({ partnerUserId: 'u1', totalAmount: '15.00', tips: '0.00', expenses: '0.00',
    description: 'd', gigId: 'g1', startTime: '2021-03-01T21:04:04', endTime: '2021-03-01T21:31:05' }).then(() => 'followed', report);
  const ob = new OpenBankingClient({ appToken: 'browser-app-token' }, { baseUrl: location.origin, maxRetries: 0 });
  result.openBanking = await ob.getCustomer('c1').then(() => 'followed', report);
  document.body.dataset.result = JSON.stringify(result);
</script></body>`;

test("a browser's opaque redirect: LeanRedirectError, and the other origin sees nothing", { skip: skipWithoutBrowser }, async () => {
  const elsewhere = [];
  const other = await serveFiles([], (path, req, res) => {
    elsewhere.push({ path, headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end('{}');
    return true;
  });
  const main = await serveFiles(['dist/'], (path, req, res) => {
    if (path === 'page.html') res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    else if (path.startsWith('api/') || path.startsWith('customers/')) res.writeHead(307, { location: `${other.origin}/${path}` }).end();
    else return false;
    return true;
  });
  try {
    await inBrowser(async (page) => {
      await page.goto(`${main.origin}/page.html`);
      await page.waitForSelector('body[data-result]', { state: 'attached' });
      const result = JSON.parse(await page.getAttribute('body', 'data-result'));
      const refusals = JSON.parse(await page.getAttribute('body', 'data-refusals'));
      for (const [secret, words] of [['apiKey', 'the payouts API key'], ['clientSecret', 'the open-banking client secret']]) {
        const [code, message] = refusals[secret] ?? [];
        assert.equal(code, 'configuration', `${secret}: ${message}`);
        for (const part of [words, 'your backend', 'dangerouslyAllowBrowser: true']) {
          assert.ok(message.includes(part), `${secret}: ${part} missing from ${message}`);
        }
        assert.ok(!message.includes('browser-api-key') && !message.includes('browser-client-secret'), message);
      }
      for (const [name, [className, code, status, location, phases, message]] of Object.entries(result)) {
        assert.deepEqual([className, code, status, location], ['LeanRedirectError', 'redirect', 0, null], `${name}: ${message}`);
        assert.deepEqual(phases, ['operation'], `${name}: the attempt that met the redirect is listed`);
        assert.match(message, /hid its Location/, name);
      }
    });
    assert.deepEqual(elsewhere, [], 'the other origin was reached');
  } finally {
    main.server.close();
    other.server.close();
  }
});
