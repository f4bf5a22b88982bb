// Benchmarks of lean-sdk/openbanking (BENCHMARKS.md, "Node.js (wasm): open
// banking"), after bindings-wasm/build.sh:
//
//   node bindings-wasm/bench/openbanking.mjs [BASELINE_DIST]
//
// - sizes of both modules and their bundles, raw and gzipped;
// - cold start: a fresh `node` importing each entry point (median of
//   fresh processes, wall clock), and the main entry from BASELINE_DIST
//   (a dist/ built without the open-banking changes) when given, run
//   interleaved so that machine load hits both alike;
// - `lean-signature` verify vs node:crypto's HMAC-SHA512 + timingSafeEqual;
// - the SDK's own cost of one client call (getBalance over a fetch that
//   answers at once from memory).
// Speed is measured here, never asserted in tests.

import { execFileSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'npm', 'dist');
const baseline = process.argv[2];

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log('## sizes (raw, gzip -9)');
for (const file of ['lean_sdk_wasm_bg.wasm', 'lean_sdk_wasm_openbanking_bg.wasm', 'index.mjs', 'index.cjs', 'browser.mjs',
  'openbanking.mjs', 'openbanking.cjs', 'openbanking.browser.mjs']) {
  const bytes = readFileSync(join(dist, file));
  console.log(`${file}: ${kib(bytes.length)}, ${kib(gzipSync(bytes, { level: 9 }).length)} gzipped`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Wall time of a fresh node importing `file` (ms), and the import alone as timed inside it. */
function coldStart(file) {
  const code = file.endsWith('.cjs')
    ? `const t=performance.now();require(${JSON.stringify(file)});console.log(performance.now()-t)`
    : `const t=performance.now();await import(${JSON.stringify(file)});console.log(performance.now()-t)`;
  const args = file.endsWith('.cjs') ? ['-e', code] : ['--input-type=module', '-e', code];
  const started = process.hrtime.bigint();
  const inside = Number(execFileSync(process.execPath, args, { encoding: 'utf8' }));
  return [Number(process.hrtime.bigint() - started) / 1e6, inside];
}

const entries = {
  'lean-sdk (ESM)': join(dist, 'index.mjs'),
  'lean-sdk (CJS)': join(dist, 'index.cjs'),
  'lean-sdk/openbanking (ESM)': join(dist, 'openbanking.mjs'),
  'lean-sdk/openbanking (CJS)': join(dist, 'openbanking.cjs'),
  'node -e "" (no import)': null,
};
if (baseline) {
  entries['lean-sdk (ESM), baseline'] = join(baseline, 'index.mjs');
  entries['lean-sdk (CJS), baseline'] = join(baseline, 'index.cjs');
}
const ROUNDS = Number(process.env.ROUNDS ?? 25);
const samples = Object.fromEntries(Object.keys(entries).map((k) => [k, { wall: [], inside: [] }]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, file] of Object.entries(entries)) {
    if (file === null) {
      const started = process.hrtime.bigint();
      execFileSync(process.execPath, ['-e', '']);
      samples[name].wall.push(Number(process.hrtime.bigint() - started) / 1e6);
      samples[name].inside.push(0);
      continue;
    }
    const [wall, inside] = coldStart(file);
    samples[name].wall.push(wall);
    samples[name].inside.push(inside);
  }
}
console.log(`\n## cold start (median of ${ROUNDS} fresh processes, interleaved)`);
for (const [name, { wall, inside }] of Object.entries(samples)) {
  console.log(`${name}: process ${median(wall).toFixed(1)} ms, import ${median(inside).toFixed(2)} ms`);
}

const ob = await import(join(dist, 'openbanking.mjs'));

/** Operations per second of `fn`, best of three rounds of about 0.5 s. */
function opsPerSecond(fn) {
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let n = 0;
    const started = performance.now();
    let elapsed = 0;
    while (elapsed < 500) {
      for (let i = 0; i < 100; i++) fn();
      n += 100;
      elapsed = performance.now() - started;
    }
    best = Math.max(best, (n / elapsed) * 1000);
  }
  return best;
}

console.log('\n## lean-signature verify (reused verifier) vs node:crypto HMAC-SHA512 + timingSafeEqual, ops/s');
const secret = 'whsec_bench';
const verifier = ob.webhooks.createVerifier(secret);
for (const size of [256, 1024, 16384]) {
  const body = Buffer.from(JSON.stringify({ type: 'results.ready', payload: { id: 'r'.repeat(Math.max(1, size - 60)) } }).slice(0, size));
  const signature = ob.webhooks.sign(body, secret);
  const sdk = opsPerSecond(() => verifier.verify(body, signature));
  const node = opsPerSecond(() => {
    const mac = createHmac('sha512', secret).update(body).digest();
    if (!timingSafeEqual(mac, Buffer.from(signature.slice(7), 'hex'))) throw new Error('mismatch');
  });
  console.log(`${size} B: lean-sdk ${Math.round(sdk)}, node:crypto ${Math.round(node)}, ratio ${(sdk / node).toFixed(2)}x`);
}

console.log('\n## one client call, SDK cost (getBalance, fetch answering from memory)');
const answer = JSON.stringify({ status: 'OK', payload: { account_id: 'a-1', balance: 1200.5, currency_code: 'AED' }, timestamp: '2026-11-23T10:00:00Z' });
const lean = new ob.OpenBankingClient({ appToken: 'bench' }, { fetch: async () => new Response(answer, { status: 200 }) });
const fetchOnly = async () => (await new Response(answer, { status: 200 }).arrayBuffer()).byteLength;
for (const [name, fn] of [['client.getBalance', () => lean.getBalance({ entity_id: 'e-1', account_id: 'a-1' })], ['Response + arrayBuffer alone', fetchOnly]]) {
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const n = 5000;
    const started = performance.now();
    for (let i = 0; i < n; i++) await fn();
    best = Math.min(best, ((performance.now() - started) / n) * 1000);
  }
  console.log(`${name}: ${best.toFixed(1)} us per call`);
}
