// The demo page (demo/index.html) in Debian's Chromium, driven by
// playwright-core: the onboarding form is validated in the browser with
// the core's rules and a webhook is verified there. Saves a screenshot in
// .screenshots/ (git-ignored).

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { inBrowser, serveFiles, skipWithoutBrowser } from './browser.js';
import { packageDir, sdk } from './helpers.js';

test('demo page: form validation and webhook verification in Chromium', { skip: skipWithoutBrowser }, async () => {
  const { server, origin } = await serveFiles(['demo/', 'dist/']);
  try {
    await inBrowser(async (page) => {
      await page.goto(`${origin}/demo/index.html`);
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
    });
  } finally {
    server.close();
  }
});
