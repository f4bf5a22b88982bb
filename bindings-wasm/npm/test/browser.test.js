// The demo page (demo/index.html) in Debian's Chromium, driven by
// playwright-core: the onboarding form is validated in the browser with
// the core's rules and a webhook is verified there. Saves a screenshot in
// .screenshots/ (git-ignored).

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { test } from 'node:test';
import { packageDir, sdk } from './helpers.js';

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
if (!chromium && process.env.LEAN_REQUIRE_BROWSER === '1') throw new Error('LEAN_REQUIRE_BROWSER=1 but Chromium is not installed');

const TYPES = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm' };

/** Serves demo/ and dist/ of the package on a loopback port. */
async function serve() {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^\/+/, '');
    if (!/^(demo|dist)\//.test(path)) return res.writeHead(404).end();
    try {
      const body = readFileSync(join(packageDir, path));
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

test('demo page: form validation and webhook verification in Chromium', { skip: !chromium && 'Chromium not installed' }, async () => {
  const { chromium: launcher } = await import('playwright-core');
  const server = await serve();
  let context;
  try {
    // A fresh profile each run (the toolchain doc's launch flags).
    context = await launcher.launchPersistentContext(mkdtempSync(join(tmpdir(), 'lean-sdk-chromium-')), {
      executablePath: chromium,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    const page = await context.newPage();
    const failures = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await page.goto(`http://127.0.0.1:${server.address().port}/demo/index.html`);
    await page.waitForSelector('body[data-ready="true"]');

    assert.match(await page.textContent('#status'), /11 field\(s\) to fix/);
    const values = {
      firstName: 'Jane', lastName: 'Doe', birthday: '1980-12-31', phoneNumber: '4085008000', email: 'jane@example',
      street: '700 Treehouse Drive', city: 'San Jose', state: 'ZZ', postalCode: '95101', partnerUserId: 'uid_1', registrationDate: '2020-02-30',
    };
    for (const [name, value] of Object.entries(values)) await page.fill(`#onboarding [name=${name}]`, value);
    const errors = await page.$$eval('#errors li', (items) => items.map((li) => li.textContent.split(':').slice(0, 2).join(':')));
    assert.deepEqual(errors.sort(), ['email: invalid_format', 'registrationDate: invalid_date', 'state: invalid_value']);
    assert.equal(await page.getAttribute('#onboarding [name=email]', 'class'), 'invalid');
    await page.fill('#onboarding [name=email]', 'jane@example.com');
    await page.fill('#onboarding [name=state]', 'CA');
    await page.fill('#onboarding [name=registrationDate]', '2020-02-29');
    assert.equal(await page.textContent('#status'), 'Ready to submit');

    const body = await page.inputValue('#webhook [name=body]');
    await page.fill('#webhook [name=signature]', sdk.webhooks.sign(body, 'whsec_demo'));
    await page.click('#webhook button');
    assert.equal(await page.textContent('#verify-result'), 'genuine: gig.completed');
    await page.fill('#webhook [name=body]', body.replace('15.00', '1500.00'));
    await page.click('#webhook button');
    assert.equal(await page.textContent('#verify-result'), 'refused: signature_mismatch');

    mkdirSync(join(packageDir, '.screenshots'), { recursive: true });
    await page.screenshot({ path: join(packageDir, '.screenshots', 'demo.png'), fullPage: true });
    assert.deepEqual(failures, []);
  } finally {
    await context?.close();
    server.close();
  }
});
