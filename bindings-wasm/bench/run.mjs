// Benchmarks of the npm package, side by side in one run (BENCHMARKS.md):
//   - webhook verify vs hand-written node:crypto (createHmac('sha1') +
//     timingSafeEqual) at 256 B, 1 KiB, 16 KiB and 1 MiB, string and Buffer;
//   - create-gig validate + build vs zod parse + JSON.stringify of the same
//     schema;
//   - cold start (import + first verify) in a fresh process, and the .wasm
//     size raw and gzipped.
// Usage: node bindings-wasm/bench/run.mjs   (after bindings-wasm/build.sh)

import { execFileSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const npmDir = join(here, '..', 'npm');
const dist = join(npmDir, 'dist', 'index.mjs');
const { webhooks } = await import(dist);
const require = createRequire(join(npmDir, 'package.json'));
const { z } = require('zod');
const glue = await import(join(npmDir, 'pkg', 'lean_sdk_wasm.js'));
// The transport loop's step reader, from the package's source.
const { readStep } = await import(join(npmDir, 'src', 'transport.js'));
glue.initSync({ module: readFileSync(join(npmDir, 'pkg', 'lean_sdk_wasm_bg.wasm')) });

/** This process's CPU time in milliseconds. */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Runs `fn` for about `ms` milliseconds (after a warm-up); returns ops/s of
 * this process's CPU time, not of wall-clock time: on a shared machine the
 * time the process waits for a core is not the code's.
 */
function opsPerSecond(fn, ms = 600) {
  const until = (deadline) => {
    let n = 0;
    while (performance.now() < deadline) {
      for (let i = 0; i < 16; i++) fn();
      n += 16;
    }
    return n;
  };
  until(performance.now() + ms / 4);
  const start = cpuMs();
  const n = until(performance.now() + ms);
  return (n * 1000) / (cpuMs() - start);
}

/**
 * Best of three interleaved rounds per contender, so all see the same
 * machine state.
 */
function compare(contenders, ms) {
  const best = Object.fromEntries(Object.keys(contenders).map((k) => [k, 0]));
  for (let round = 0; round < 3; round++) {
    for (const [name, fn] of Object.entries(contenders)) {
      best[name] = Math.max(best[name], opsPerSecond(fn, ms));
    }
  }
  return best;
}

const fmt = (n) => (n >= 1e5 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : n.toFixed(0));
const SECRET = 'whsec_benchmark_secret';

// lean-sdk (the core's HMAC in wasm, the one path on every platform)
// against node:crypto written as a handler must write it: the header arrives with
// each request, so its base64 is decoded per call, and `timingSafeEqual`
// throws on a length mismatch, so the lengths are checked first. The last
// column is the same node:crypto code with the header's bytes decoded once,
// outside the loop: a stricter reference no handler can use.
console.log('webhook verify, ops/s (best of 3)');
console.log('| payload | input | lean-sdk | node:crypto | ratio | node:crypto, header pre-decoded | ratio |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
for (const [label, size] of [['256 B', 256], ['1 KiB', 1024], ['16 KiB', 16384], ['1 MiB', 1 << 20]]) {
  const text = `{"event":"gig.completed","data":{"description":"${'x'.repeat(size - 50)}"}}`.slice(0, size);
  const buffer = Buffer.from(text);
  const signature = webhooks.sign(text, SECRET);
  const verifier = webhooks.createVerifier(SECRET);
  const digest = Buffer.from(signature, 'base64');
  const byHand = (payload, header) => {
    const mac = createHmac('sha1', SECRET).update(payload).digest();
    const given = Buffer.from(header, 'base64');
    if (given.length !== mac.length || !timingSafeEqual(mac, given)) throw new Error('mismatch');
  };
  const preDecoded = (payload) => {
    const mac = createHmac('sha1', SECRET).update(payload).digest();
    if (!timingSafeEqual(mac, digest)) throw new Error('mismatch');
  };
  const ms = size >= 1 << 20 ? 1500 : 600;
  for (const [input, payload] of [['string', text], ['Buffer', buffer]]) {
    const verify = () => verifier.verify(payload, signature);
    const r = compare({ sdk: verify, crypto: () => byHand(payload, signature), preDecoded: () => preDecoded(payload) }, ms);
    const ratio = r.sdk / r.crypto;
    console.log(
      `| ${label} | ${input} | ${fmt(r.sdk)} | ${fmt(r.crypto)} | ${ratio.toFixed(2)}x | ${fmt(r.preDecoded)} | ${(r.sdk / r.preDecoded).toFixed(2)}x |`,
    );
  }
}
const oneOff = compare({
  verify: () => webhooks.verify('{"event":"x.y","data":{}}', webhooks.sign('{"event":"x.y","data":{}}', SECRET), SECRET),
}, 400);
console.log(`(webhooks.sign + webhooks.verify with a secret string, cached verifier, 25 B: ${fmt(oneOff.verify)} ops/s)`);

// The create-gig schema of the reference, in zod, as a hand-written SDK would have it.
const amount = z.string().regex(/^\d{1,10}(\.\d{1,2})?$/);
const isoTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})?$/);
const identifier = z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/);
const newGig = z
  .object({
    partnerUserId: identifier,
    totalAmount: amount.refine((v) => Number(v) > 0),
    tips: amount,
    expenses: amount,
    description: z.string().min(1).max(255),
    gigId: identifier,
    startTime: isoTime,
    endTime: isoTime,
  })
  .strict()
  .refine((g) => Number(g.tips) + Number(g.expenses) <= Number(g.totalAmount), { path: ['totalAmount'] })
  .refine((g) => Date.parse(g.endTime) >= Date.parse(g.startTime), { path: ['endTime'] });
const gig = {
  partnerUserId: 'uid_847834395730535', totalAmount: '15.00', tips: '3.00', expenses: '2.00',
  description: 'Gig Payout', gigId: 'gigId_94792357823953532', startTime: '2021-03-01T21:04:04.000Z', endTime: '2021-03-01T21:31:05.000Z',
};
const client = new glue.Client(JSON.stringify({ apiKey: 'bench_key', host: 'bench' }));
// Entropy as LeanClient draws it: crypto.getRandomValues once per 64 calls.
const pool = new Uint8Array(32 * 64);
let drawn = pool.length;
const entropy = () => {
  if (drawn === pool.length) crypto.getRandomValues(pool), (drawn = 0);
  drawn += 32;
  return pool.subarray(drawn - 32, drawn);
};
const gigs = compare({
  // What LeanClient does per call before fetch: input to JSON, validate and
  // build in wasm, the request step back (read as the transport loop reads
  // it); the call is finished here instead of after its answer.
  sdk: () => {
    const step = readStep(client.start(JSON.stringify({ operation: 'createGig', input: gig }), entropy()));
    glue.finish(step.call);
  },
  zod: () => JSON.stringify(newGig.parse(gig)),
}, 600);
console.log('\ncreate-gig validate + build, ops/s (best of 3)');
console.log(`| lean-sdk (validate + build request) | ${fmt(gigs.sdk)} |\n| zod parse + JSON.stringify | ${fmt(gigs.zod)} |\n| ratio | ${(gigs.sdk / gigs.zod).toFixed(2)}x |`);

const wasm = readFileSync(join(npmDir, 'dist', 'lean_sdk_wasm_bg.wasm'));
console.log(`\n.wasm: ${(wasm.length / 1024).toFixed(1)} KiB raw, ${(gzipSync(wasm, { level: 9 }).length / 1024).toFixed(1)} KiB gzipped`);

const coldScript = `const t0 = performance.now();
const { webhooks } = await import(${JSON.stringify(dist)});
webhooks.verify('{"event":"gig.completed","data":{}}', 'MQ0nx6lOaDoGLwHYp6pS96nuCxE=', 'whsec_cold');
process.stdout.write(String(performance.now() - t0));`;
const cold = [];
for (let i = 0; i < 21; i++) cold.push(Number(execFileSync(process.execPath, ['--input-type=module', '-e', coldScript], { encoding: 'utf8' })));
cold.sort((a, b) => a - b);
console.log(`cold start (import + first verify, 21 fresh processes): median ${cold[10].toFixed(1)} ms, min ${cold[0].toFixed(1)} ms, max ${cold[20].toFixed(1)} ms`);
