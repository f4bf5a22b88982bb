// Headless Chromium (Debian's, driven by playwright-core) for the tests
// that load the package in a browser: the browser tests here and the
// runtime checks of runtimes/run.mjs.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The Chromium binary: $LEAN_CHROMIUM, or Debian's where installed; undefined without one. */
export const chromiumPath =
  process.env.LEAN_CHROMIUM || ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

/**
 * Runs `use(page, failures)` in a page of headless Chromium with a fresh
 * profile (no sandbox, GPU, QUIC or background traffic), `failures`
 * collecting the page's uncaught errors; closes the browser and removes
 * the profile after. Resolves to what `use` resolves to.
 */
export async function inChromium(use) {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'lean-sdk-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await context.newPage();
    const failures = [];
    page.on('pageerror', (error) => failures.push(error.message));
    return await use(page, failures);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
