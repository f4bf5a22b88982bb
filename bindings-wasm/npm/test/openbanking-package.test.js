// `lean-sdk/openbanking` is a module of its own: importing `lean-sdk`
// (payouts and webhooks) neither downloads nor instantiates the
// open-banking wasm, and the open-banking entry does not load the payouts
// one. Checked in the built files, at run time in fresh processes, and in
// the packed tarball installed into a fresh project (ESM and CommonJS).
// The sizes themselves are measured, not asserted (BENCHMARKS.md).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { installPacked, packageDir, runFile } from './helpers.js';

const dist = (name) => join(packageDir, 'dist', name);
const MAIN_WASM = 'lean_sdk_wasm_bg.wasm';
const OB_WASM = 'lean_sdk_wasm_openbanking_bg.wasm';

test('the main bundles do not reference the open-banking module', () => {
  for (const bundle of ['index.mjs', 'index.cjs', 'browser.mjs']) {
    const text = readFileSync(dist(bundle), 'utf8');
    for (const marker of [OB_WASM, 'OpenBankingClient', 'createMtlsFetch', 'oauth2']) {
      assert.ok(!text.includes(marker), `${bundle} mentions ${marker}`);
    }
  }
  for (const bundle of ['openbanking.mjs', 'openbanking.cjs', 'openbanking.browser.mjs']) {
    const text = readFileSync(dist(bundle), 'utf8');
    assert.ok(text.includes(OB_WASM), `${bundle} loads its own module`);
    assert.ok(!text.includes(MAIN_WASM), `${bundle} does not load the payouts module`);
  }
});

test('no open-banking code is compiled into the payouts module', () => {
  const wasm = readFileSync(dist(MAIN_WASM)).toString('latin1');
  const ob = readFileSync(dist(OB_WASM)).toString('latin1');
  for (const marker of ['/data/v1/', 'CUSTOMER_ALREADY_EXISTS', 'oauth2/token', 'uae-production']) {
    assert.ok(ob.includes(marker), `the open-banking module has ${marker}`);
    assert.ok(!wasm.includes(marker), `the payouts module has ${marker}`);
  }
});

/** Runs `code` in a fresh Node and returns the byte sizes of the wasm modules it compiled. */
function compiledModules(code, type = 'module') {
  const probe = `
    const sizes = [];
    const Original = WebAssembly.Module;
    WebAssembly.Module = class extends Original {
      constructor(bytes) { sizes.push(bytes.byteLength); super(bytes); }
    };
    for (const name of ['compile', 'instantiate', 'compileStreaming', 'instantiateStreaming']) {
      const original = WebAssembly[name];
      WebAssembly[name] = (source, ...rest) => { sizes.push(source?.byteLength ?? -1); return original(source, ...rest); };
    }
    process.on('exit', () => console.log(JSON.stringify(sizes)));
  `;
  const args = type === 'module' ? ['--input-type=module', '-e', `${probe}\n${code}`] : ['-e', `${probe}\n${code}`];
  const out = execFileSync(process.execPath, args, { cwd: packageDir, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1));
}

test('importing lean-sdk compiles only the payouts module; lean-sdk/openbanking only its own', () => {
  const main = statSync(dist(MAIN_WASM)).size;
  const ob = statSync(dist(OB_WASM)).size;
  assert.notEqual(main, ob);
  assert.deepEqual(compiledModules("await import('lean-sdk');"), [main], 'ESM lean-sdk');
  assert.deepEqual(compiledModules("require('lean-sdk');", 'commonjs'), [main], 'CommonJS lean-sdk');
  assert.deepEqual(compiledModules("await import('lean-sdk/openbanking');"), [ob], 'ESM lean-sdk/openbanking');
  assert.deepEqual(compiledModules("require('lean-sdk/openbanking');", 'commonjs'), [ob], 'CommonJS lean-sdk/openbanking');
  assert.deepEqual(compiledModules("await import('lean-sdk'); await import('lean-sdk/openbanking');"), [main, ob], 'both');
});

const check = (load) => `
${load}
const body = JSON.stringify({ type: 'results.ready', payload: { id: 'r-1' }, event_id: 'ev-1' });
const event = webhooks.constructEvent(Buffer.from(body), webhooks.sign(body, 'whsec'), 'whsec');
if (event.payload.id !== 'r-1') throw new Error('unexpected event ' + JSON.stringify(event));
const sent = [];
const lean = new OpenBankingClient({ appToken: 't' }, { fetch: async (url) => (sent.push(url), Response.json({ customer_id: 'c-1' })) });
const customer = await lean.getCustomer('c-1');
if (customer.customer_id !== 'c-1' || sent[0] !== 'https://sandbox.leantech.me/customers/v1/c-1') throw new Error('unexpected call');
if (typeof createMtlsFetch !== 'function') throw new Error('no mTLS transport in Node');
const refused = await lean.getBalance({}).catch((e) => e);
if (!(refused instanceof LeanValidationError) || refused.errors[0].field !== 'entity_id') throw new Error('no validation error');
console.log(where, 'ok');
`;

test('npm pack ships the open-banking entry; ESM and require load it in a fresh project', () => {
  const { files, project } = installPacked();
  for (const needed of ['openbanking.mjs', 'openbanking.cjs', 'openbanking.browser.mjs', 'openbanking.worker.mjs', 'openbanking.edge.mjs', 'openbanking.d.ts', 'openbanking.d.cts', OB_WASM]) {
    assert.ok(files.includes(`dist/${needed}`), `dist/${needed} is in the tarball`);
  }
  const esm = runFile(project, 'esm.mjs', check(`import { OpenBankingClient, LeanValidationError, webhooks, createMtlsFetch } from 'lean-sdk/openbanking';
const where = import.meta.resolve('lean-sdk/openbanking');`));
  assert.match(esm, /node_modules\/lean-sdk\/dist\/openbanking\.mjs ok/);
  const cjs = runFile(project, 'cjs.cjs', `(async () => {${check(`const { OpenBankingClient, LeanValidationError, webhooks, createMtlsFetch } = require('lean-sdk/openbanking');
const where = require.resolve('lean-sdk/openbanking');`)}})().catch((e) => { console.error(e); process.exit(1); });`);
  assert.match(cjs, /node_modules\/lean-sdk\/dist\/openbanking\.cjs ok/);
});
