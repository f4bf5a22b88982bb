// The package as users get it: `npm pack`, install the tarball into a fresh
// project, then import it by ESM and by `require`, and verify a webhook.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { installPacked, packageDir, runFile } from './helpers.js';

const check = (load) => `
${load}
const body = '{"event":"gig.completed","data":{"gigId":"g1","totalAmount":"15"}}';
const signature = webhooks.sign(body, 's3cret');
const event = webhooks.constructEvent(Buffer.from(body), signature, 's3cret');
if (event.data.totalAmount !== '15.00') throw new Error('unexpected event ' + JSON.stringify(event));
try { webhooks.verify(body + ' ', signature, 's3cret'); throw new Error('a tampered body verified'); }
catch (e) { if (!(e instanceof WebhookSignatureError) || e.code !== 'signature_mismatch') throw e; }
console.log(where, 'ok');
`;

test('npm pack, install into a fresh project, import by ESM and require', () => {
  const { files, project } = installPacked();
  for (const needed of ['dist/index.mjs', 'dist/index.cjs', 'dist/browser.mjs', 'dist/index.worker.mjs', 'dist/index.edge.mjs', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/lean_sdk_wasm_bg.wasm', 'package.json', 'README.md']) {
    assert.ok(files.includes(needed), `${needed} is in the tarball: ${files}`);
  }
  assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('test/') || f.startsWith('pkg/')), `only dist/ ships: ${files}`);

  const esm = runFile(project, 'esm.mjs', check(`import { webhooks, WebhookSignatureError } from 'lean-sdk';
const where = import.meta.resolve('lean-sdk');`));
  assert.match(esm, /node_modules\/lean-sdk\/dist\/index\.mjs ok/);
  const cjs = runFile(project, 'cjs.cjs', check(`const { webhooks, WebhookSignatureError } = require('lean-sdk');
const where = require.resolve('lean-sdk');`));
  assert.match(cjs, /node_modules\/lean-sdk\/dist\/index\.cjs ok/);
});

test('Workers and edge builds import their .wasm as a compiled module, first in each entry', () => {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  for (const [entry, name, wasm] of [['.', 'index', 'lean_sdk_wasm_bg.wasm'], ['./openbanking', 'openbanking', 'lean_sdk_wasm_openbanking_bg.wasm']]) {
    const conditions = manifest.exports[entry];
    // Next.js asks for edge-light and worker both: edge-light must come first.
    assert.deepEqual(Object.keys(conditions), ['workerd', 'edge-light', 'worker', 'browser', 'import', 'require'], entry);
    assert.equal(conditions.workerd.default, `./dist/${name}.worker.mjs`);
    assert.equal(conditions.worker.default, `./dist/${name}.worker.mjs`);
    assert.equal(conditions['edge-light'].default, `./dist/${name}.edge.mjs`);
    for (const [file, specifier] of [[`${name}.worker.mjs`, `./${wasm}`], [`${name}.edge.mjs`, `./${wasm}?module`]]) {
      const text = readFileSync(join(packageDir, 'dist', file), 'utf8');
      assert.ok(text.includes(`from "${specifier}";`), `${file} imports ${specifier}`);
      // No asset URL for bundlers to copy, and no compiling from bytes at load.
      assert.ok(!text.includes('import.meta'), `${file} has no import.meta`);
      assert.match(text, /\ninitSync\(\{ module: \w+ \}\);\n/, `${file} instantiates the imported module`);
    }
  }
  // TypeScript's node10 resolution has no exports map: typesVersions maps the subpath.
  assert.deepEqual(manifest.typesVersions, { '*': { openbanking: ['./dist/openbanking.d.ts'] } });
});
