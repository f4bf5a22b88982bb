// Every ```js sample of README.md runs, as a user would run it, against the
// local sandbox; what the samples print is checked.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readmeSamples, runSample, sampleProject } from './helpers.js';
import { sandboxBinary, startSandbox } from './sandbox.js';

const samples = readmeSamples('```js');
const binary = sandboxBinary();
const API_KEY = 'readme_key';
let sandbox;
let dir;

before(async () => {
  dir = sampleProject();
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
    const env = { ...process.env, LEAN_API_KEY: API_KEY, LEAN_BASE_URL: sandbox.baseUrl, LEAN_WEBHOOK_SECRET: 'whsec_readme' };
    const output = runSample(sample, index + 1, dir, env);
    for (const line of expected[index] ?? []) assert.ok(output.includes(line), `sample ${index + 1} printed:\n${output}\nexpected: ${line}`);
  });
});
