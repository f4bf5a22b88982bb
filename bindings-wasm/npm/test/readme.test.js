// Every ```js sample of README.md runs, as a user would run it, against the
// local sandbox; what the samples print is checked.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { packageDir } from './helpers.js';
import { sandboxBinary, startSandbox } from './sandbox.js';

const samples = [...readFileSync(join(packageDir, 'README.md'), 'utf8').matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
const binary = sandboxBinary();
const API_KEY = 'readme_key';
let sandbox;
let dir;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lean-sdk-readme-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(packageDir, join(dir, 'node_modules', 'lean-sdk'));
  symlinkSync(join(packageDir, 'node_modules', 'express'), join(dir, 'node_modules', 'express'));
  if (binary) sandbox = await startSandbox(binary, API_KEY);
});

after(() => sandbox?.stop());

/** What each sample must print, in order of appearance in the README. */
const expected = [
  ['PENDING', 'totalAmount invalid_type'],
  ['bad_request'],
  [],
  [],
  ['gig.completed 15.00', 'true signature_mismatch'],
  ['email: invalid_format', 'state: invalid_value'],
  ['1 503 req_outage', '2 200 req_', 'false'],
];

test('the README has the samples this test knows', () => {
  assert.equal(samples.length, expected.length);
});

samples.forEach((sample, index) => {
  test(`README sample ${index + 1}`, { skip: !binary && 'LEAN_SANDBOX_BIN not set' }, () => {
    const file = join(dir, `sample${index + 1}.mjs`);
    writeFileSync(file, sample);
    let output;
    try {
      output = execFileSync(process.execPath, [file], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, LEAN_API_KEY: API_KEY, LEAN_BASE_URL: sandbox.baseUrl, LEAN_WEBHOOK_SECRET: 'whsec_readme' },
      });
    } catch (error) {
      assert.fail(`sample ${index + 1} failed:\n${sample}\n${error.stdout}${error.stderr}`);
    }
    for (const line of expected[index] ?? []) assert.ok(output.includes(line), `sample ${index + 1} printed:\n${output}\nexpected: ${line}`);
  });
});
