// Every ```js openbanking sample of README.md runs, as a user would run it,
// against the local sandbox (its mTLS certificates stand in for the
// portal's files); what the samples print is checked.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { readmeSamples, runSample, sampleProject } from './helpers.js';
import { sandboxBinary } from './sandbox.js';

const samples = readmeSamples('```js openbanking');
const binary = sandboxBinary();
let sandbox;
let dir;
let env;

/** What each sample must print, in order of appearance in the README. */
const expected = [
  [['1250.00 AED', 1]],
  [['PENDING string', 1]],
  [['true true', 1], ['IN_PROGRESS', 1]],
  [['https://api.leantech.me true', 1]],
  [['results ready: r-1', 1], ['200', 2]],
];

before(async () => {
  dir = sampleProject();
  if (!binary) return;
  const tls = join(dir, 'tls');
  const child = spawn(binary, ['serve', '--port', '0', '--api-key', 'k', '--quiet', '--tls-port', '0', '--tls-dir', tls],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const [first] = await once(createInterface({ input: child.stdout }), 'line');
  const url = first.replace(/^listening on /, '');
  sandbox = { stop: () => child.kill('SIGTERM') };
  // A connected bank, as the Link SDK would leave it.
  const post = async (path, body) => (await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
  const made = await fetch(`${url}/customers/v1/`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'lean-app-token': 'sandbox-app-token' }, body: JSON.stringify({ app_user_id: 'readme-entity' }),
  }).then((r) => r.json());
  const entity = await post(`/_sandbox/openbanking/customers/${made.customer_id}/entities`, {});
  env = {
    ...process.env,
    LEAN_OB_BASE_URL: url,
    LEAN_APP_TOKEN: 'sandbox-app-token',
    LEAN_CLIENT_ID: 'sandbox-client-id',
    LEAN_CLIENT_SECRET: 'sandbox-client-secret',
    LEAN_WEBHOOK_SECRET: 'sandbox-webhook-secret',
    LEAN_ENTITY_ID: entity.id,
    LEAN_CERT_FILE: join(tls, 'client.pem'),
    LEAN_KEY_FILE: join(tls, 'client.key'),
    LEAN_CA_FILE: join(tls, 'ca.pem'),
  };
});

after(() => sandbox?.stop());

test('the README has the open-banking samples this test knows', () => {
  assert.equal(samples.length, expected.length);
});

samples.forEach((sample, index) => {
  test(`README open-banking sample ${index + 1}`, { skip: !binary && 'LEAN_SANDBOX_BIN not set' }, () => {
    const output = runSample(sample, index + 1, dir, env);
    const lines = output.trim().split('\n');
    for (const [line, times] of expected[index]) {
      assert.equal(lines.filter((l) => l === line).length, times, `sample ${index + 1} printed:\n${output}\nexpected ${times} x ${line}`);
    }
  });
});
