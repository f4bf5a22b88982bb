// The packed lean-sdk tarball on the runtimes its users have, one step per
// invocation: node run.mjs <types|node|workerd|vite|next>. Each step makes a
// fresh project under $LEAN_WORK (inside the cached tools project
// $LEAN_TOOLS_DIR, whose node_modules hold workerd, Vite and Next.js, so
// that the projects find them), installs $LEAN_TARBALL into it with npm, and
// prints what it checked. TypeScript, esbuild and playwright-core are the
// package's own dev dependencies. Run by scripts/test.d/71-release-npm.sh,
// which installs the tools.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inChromium } from '../chromium.js';

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, '..', '..');
const { LEAN_TOOLS_DIR: tools, LEAN_WORK: work, LEAN_TARBALL: tarball } = process.env;
assert.ok(tools && work && tarball, 'LEAN_TOOLS_DIR, LEAN_WORK and LEAN_TARBALL are set');
const SECRET = 'whsec_runtimes';

/** A fresh project `name` under $LEAN_WORK with `files` copied in and the tarball installed. */
function project(name, from) {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (from) cpSync(join(here, from), dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `lean-sdk-${name}`, private: true, type: 'module' }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: dir, stdio: 'inherit' });
  return dir;
}

const bin = (name) => join(tools, 'node_modules', '.bin', name);
const run = (file, args, options = {}) => execFileSync(file, args, { stdio: 'inherit', ...options });

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts a server process and waits until `url` answers (any status). */
async function serve(command, args, url, options) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...options });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  };
  for (let attempt = 0; ; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`${command} exited (${child.exitCode}):\n${output}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return { stop, output: () => output };
    } catch {
      if (attempt >= 600) {
        stop();
        throw new Error(`${url} never answered:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

// Signatures computed here with node:crypto, independently of the SDK.
const payoutsBody = JSON.stringify({ event: 'gig.completed', data: { gigId: 'gig_1', totalAmount: '15' } });
const payoutsHeaders = (body) => ({ 'x-lean-signature': createHmac('sha1', SECRET).update(body).digest('base64') });
const obBody = JSON.stringify({ type: 'results.ready', payload: { id: 'r-1', customer_id: 'c-1' }, message: 'Results are ready',
  timestamp: '2026-11-23T10:00:00Z', event_id: 'ev-1' });
const obHeaders = (body) => ({ 'lean-signature': `sha512=${createHmac('sha512', SECRET).update(body).digest('hex')}` });

/** POSTs a signed webhook (200 expected) and a tampered one (400 expected). */
async function webhookRoundTrip(url, body, headers, what) {
  const post = (raw) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers(body) }, body: raw });
  const good = await post(body);
  const text = await good.text();
  assert.equal(good.status, 200, `${what}: a signed webhook is answered 200: ${good.status} ${text}`);
  if (body === payoutsBody) assert.deepEqual(JSON.parse(text), { received: 'gig.completed', totalAmount: '15.00' });
  const tampered = await post(body.replace('gig_1', 'gig_2').replace('r-1', 'r-2'));
  const refusal = await tampered.text();
  assert.equal(tampered.status, 400, `${what}: a tampered webhook is answered 400: ${tampered.status} ${refusal}`);
  assert.match(refusal, /signature_mismatch/);
  console.log(`${what}: signed webhook -> 200 ${text || '(empty)'}; tampered -> 400 ${refusal}`);
}

const steps = {
  /** tsc --strict under moduleResolution node10, node16 (ESM and CommonJS) and bundler. */
  types() {
    const dir = project('types', 'types');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'lean-sdk-types', private: true }));
    cpSync(join(dir, 'check.ts'), join(dir, 'check.mts'));
    const tsc = join(packageDir, 'node_modules', 'typescript', 'bin', 'tsc');
    const version = execFileSync(process.execPath, [tsc, '--version'], { encoding: 'utf8' }).trim();
    for (const [resolution, module, files] of [
      ['node10', 'commonjs', ['check.ts']],
      ['node16', 'node16', ['check.ts', 'check.mts']],
      ['bundler', 'esnext', ['check.ts']],
    ]) {
      writeFileSync(join(dir, `tsconfig.${resolution}.json`), JSON.stringify({
        extends: './tsconfig.json',
        compilerOptions: { module, moduleResolution: resolution },
        files,
      }));
      let traced;
      try {
        traced = execFileSync(process.execPath, [tsc, '-p', `tsconfig.${resolution}.json`, '--traceResolution'],
          { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
      } catch (error) {
        const errors = `${error.stdout}`.split('\n').filter((line) => /error TS\d+/.test(line) || line.startsWith('  '));
        throw new Error(`tsc --strict under moduleResolution ${resolution} failed:\n${errors.join('\n')}`);
      }
      const resolved = [...traced.matchAll(/======== Module name '(lean-sdk[^']*)' was successfully resolved to '([^']*)'/g)]
        .map(([, name, file]) => `${name} -> ${file.slice(file.lastIndexOf('node_modules/'))}`);
      assert.equal(new Set(resolved.map((r) => r.split(' ')[0])).size, 2, `both entries resolved under ${resolution}: ${resolved}`);
      console.log(`tsc --strict --noEmit (${version}), moduleResolution ${resolution}, ${files.join(' + ')}: ok (${[...new Set(resolved)].join(', ')})`);
    }
  },

  /** Node.js of the chroot at $LEAN_NODE_ROOT: the smoke script, by import and require. */
  node() {
    const root = process.env.LEAN_NODE_ROOT;
    assert.ok(root, 'LEAN_NODE_ROOT is set');
    const inside = `/tmp/lean-sdk-node-smoke-${process.pid}`;
    const dir = project('node-smoke');
    rmSync(join(root, inside), { recursive: true, force: true });
    cpSync(dir, join(root, inside), { recursive: true });
    cpSync(join(here, 'smoke.mjs'), join(root, inside, 'smoke.mjs'));
    run('chroot', [root, '/usr/bin/env', '-i', 'PATH=/usr/bin:/bin', 'sh', '-c', `cd ${inside} && node smoke.mjs`]);
    rmSync(join(root, inside), { recursive: true, force: true });
  },

  /** A Worker bundled with the workerd condition, served by workerd. */
  async workerd() {
    const dir = project('worker', 'worker');
    const esbuild = await import(join(packageDir, 'node_modules', 'esbuild', 'lib', 'main.js'));
    await esbuild.build({
      entryPoints: [join(dir, 'worker.js')],
      outfile: join(dir, 'out', 'worker.js'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['workerd', 'worker'],
      external: ['*.wasm'],
      logLevel: 'warning',
    });
    const bundle = readFileSync(join(dir, 'out', 'worker.js'), 'utf8');
    for (const wasm of ['lean_sdk_wasm_bg.wasm', 'lean_sdk_wasm_openbanking_bg.wasm']) {
      assert.ok(bundle.includes(`from "./${wasm}"`), `the bundle imports ${wasm} as a module`);
    }
    const dist = join(dir, 'node_modules', 'lean-sdk', 'dist');
    for (const wasm of ['lean_sdk_wasm_bg.wasm', 'lean_sdk_wasm_openbanking_bg.wasm']) cpSync(join(dist, wasm), join(dir, 'out', wasm));
    const port = await freePort();
    const version = execFileSync(bin('workerd'), ['--version'], { encoding: 'utf8' }).trim();
    const server = await serve(bin('workerd'), ['serve', 'config.capnp', '--socket-addr', `http=127.0.0.1:${port}`], `http://127.0.0.1:${port}/`, { cwd: dir });
    try {
      await webhookRoundTrip(`http://127.0.0.1:${port}/webhooks/lean`, payoutsBody, payoutsHeaders, `${version}, lean-sdk (workerd condition)`);
      await webhookRoundTrip(`http://127.0.0.1:${port}/webhooks/openbanking`, obBody, obHeaders, `${version}, lean-sdk/openbanking (workerd condition)`);
    } finally {
      server.stop();
    }
  },

  /**
   * A page built by `vite build`, served by `vite preview`, run in headless
   * Chromium; then the same page from the dev server.
   */
  async vite() {
    const dir = project('vite', 'vite');
    run(bin('vite'), ['build'], { cwd: dir });
    const assets = readdirSync(join(dir, 'dist', 'assets'));
    for (const wasm of ['lean_sdk_wasm_bg', 'lean_sdk_wasm_openbanking_bg']) {
      assert.ok(assets.some((file) => file.startsWith(wasm) && file.endsWith('.wasm')), `${wasm}.wasm is an asset of the build: ${assets}`);
    }
    const version = execFileSync(bin('vite'), ['--version'], { encoding: 'utf8' }).trim();
    console.log(`${version} build: ${assets.join(', ')}`);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const server = await serve(bin('vite'), ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], url, { cwd: dir });
    try {
      await loadInChromium(url, async (page, wasmLoaded, agent) => {
        const result = await page.textContent('#result');
        assert.equal(result, 'totalAmount invalid_format; currency required');
        assert.equal(wasmLoaded.length, 2, `both .wasm files were fetched: ${wasmLoaded}`);
        console.log(`${agent} on vite preview: form checked -> "${result}"; fetched ${wasmLoaded.join(', ')}`);
      });
    } finally {
      server.stop();
    }
    const devPort = await freePort();
    const devUrl = `http://127.0.0.1:${devPort}/`;
    const dev = await serve(bin('vite'), ['--host', '127.0.0.1', '--port', String(devPort), '--strictPort'], devUrl, { cwd: dir });
    try {
      await loadInChromium(devUrl, async (page, wasmLoaded, agent) => {
        const result = await page.textContent('#result');
        assert.equal(result, 'totalAmount invalid_format; currency required');
        assert.equal(wasmLoaded.length, 2, `both .wasm files were fetched: ${wasmLoaded}`);
        console.log(`${agent} on the vite dev server: form checked -> "${result}"; fetched ${wasmLoaded.join(', ')}`);
      });
    } finally {
      dev.stop();
    }
  },

  /**
   * App Router route handlers (Node.js and edge runtimes) and middleware
   * (edge): `next build` with Turbopack (the default), then with webpack,
   * and `next start`.
   */
  async next() {
    for (const bundler of ['turbopack', 'webpack']) await nextApp(bundler);
  },
};

async function nextApp(bundler) {
  {
    const dir = project(`next-${bundler}`, 'next');
    // Next.js 16.5's webpack build fails on any edge route handler, one
    // importing nothing too (its route_client-reference-manifest.js is never
    // written): the edge runtime is checked through middleware there.
    const edgeRoute = bundler === 'turbopack';
    if (!edgeRoute) rmSync(join(dir, 'app', 'api', 'edge-webhook'), { recursive: true });
    // Next.js's build cache (.next/cache) is kept from one run to the next,
    // as CI systems keep it: a fresh project, a warm bundler.
    const cache = join(work, `next-${bundler}.cache`);
    if (existsSync(cache)) {
      mkdirSync(join(dir, '.next'));
      renameSync(cache, join(dir, '.next', 'cache'));
    }
    const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', LEAN_WEBHOOK_SECRET: SECRET, LEAN_TOOLS_DIR: tools };
    run(bin('next'), ['build', `--${bundler}`], { cwd: dir, env });
    const version = `${execFileSync(bin('next'), ['--version'], { encoding: 'utf8', env }).trim()} (${bundler})`;
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = await serve(bin('next'), ['start', '--hostname', '127.0.0.1', '--port', String(port)], `${base}/api/webhook`, { cwd: dir, env });
    try {
      await webhookRoundTrip(`${base}/api/webhook`, payoutsBody, payoutsHeaders, `${version}, route handler (nodejs runtime), lean-sdk`);
      if (edgeRoute) {
        await webhookRoundTrip(`${base}/api/edge-webhook`, payoutsBody, payoutsHeaders, `${version}, route handler (edge runtime), lean-sdk`);
        await webhookRoundTrip(`${base}/api/edge-webhook`, obBody, obHeaders, `${version}, route handler (edge runtime), lean-sdk/openbanking`);
      }
      await webhookRoundTrip(`${base}/api/middleware-webhook`, payoutsBody, payoutsHeaders, `${version}, middleware (edge runtime), lean-sdk`);
      await webhookRoundTrip(`${base}/api/middleware-webhook`, obBody, obHeaders, `${version}, middleware (edge runtime), lean-sdk/openbanking`);
      await loadInChromium(`${base}/`, async (page, wasmLoaded, agent) => {
        const result = await page.textContent('#result');
        assert.equal(result, 'totalAmount invalid_format');
        assert.equal(wasmLoaded.length, 1, `the .wasm was fetched: ${wasmLoaded}`);
        console.log(`${version}, client component in ${agent}: form checked -> "${result}"; fetched ${wasmLoaded.join(', ')}`);
      });
    } finally {
      server.stop();
      rmSync(cache, { recursive: true, force: true });
      if (existsSync(join(dir, '.next', 'cache'))) renameSync(join(dir, '.next', 'cache'), cache);
    }
  }
}

/**
 * Loads `url` in headless Chromium (a fresh profile) and waits for the page
 * to set data-checked="true"; then `check(page, wasmLoaded, agent)`.
 */
async function loadInChromium(url, check) {
  await inChromium(async (page, failures) => {
    const wasmLoaded = [];
    page.on('response', (response) => {
      if (response.url().endsWith('.wasm')) {
        wasmLoaded.push(`${new URL(response.url()).pathname} ${response.status()} ${response.headers()['content-type']}`);
      }
    });
    await page.goto(url);
    await page.waitForSelector('[data-checked="true"]', { timeout: 60000 }).catch((error) => {
      throw new Error(`the page never checked its form (${failures.join('; ')}): ${error.message}`);
    });
    assert.deepEqual(failures, []);
    const agent = (await page.evaluate(() => navigator.userAgent)).match(/Chrome\/[0-9.]+/)?.[0];
    await check(page, wasmLoaded, agent);
  });
}

const step = process.argv[2];
assert.ok(steps[step], `a step: ${Object.keys(steps).join(', ')}`);
await steps[step]();
