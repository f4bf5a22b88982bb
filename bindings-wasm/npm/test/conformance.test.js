// The conformance scenarios (tests/conformance/scenarios.json, format in
// tests/conformance/README.md) through this package: each call scenario
// runs through the public client and its default transport (`fetch`)
// against `lean-sandbox hostile` (`call.repeat` times through one client),
// and its outcomes, the requests the server saw and the connections that
// carried them are compared with what every host must report; each webhook
// scenario is sent over real HTTP to the Express middleware and the Web
// `Request` handler of both APIs.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { isDeepStrictEqual } from 'node:util';
import { test } from 'node:test';
import { repoDir, sdk } from './helpers.js';
import { ob } from './openbanking-helpers.js';
import { sandboxBinary } from './sandbox.js';
import { receivers, sendWebhook } from './webhook-receivers.js';

const SCENARIOS = join(repoDir, 'tests', 'conformance', 'scenarios.json');
// The server checks no credential; the values the Rust runner uses.
const API_KEY = 'conformance_key';
const APP_TOKEN = 'conformance-app-token';
const CLIENT_ID = 'conformance-client';
const CLIENT_SECRET = 'conformance-secret';

const scenarios = existsSync(SCENARIOS) ? JSON.parse(readFileSync(SCENARIOS, 'utf8')) : null;
const binary = sandboxBinary();
const missing =
  scenarios === null ? 'tests/conformance/scenarios.json is not there' : binary === null ? 'LEAN_SANDBOX_BIN is not set' : null;

/** Starts `lean-sandbox hostile`; resolves to `{ url, otherUrl, stop }`. */
async function startHostile() {
  const child = spawn(binary, ['hostile', '--scenarios', SCENARIOS, '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const line = async () => {
    const next = await Promise.race([
      lines.next(),
      once(child, 'exit').then(([code]) => {
        throw new Error(`lean-sandbox hostile exited with ${code}`);
      }),
    ]);
    return next.value ?? '';
  };
  const url = (await line()).replace(/^listening on /, '');
  const otherUrl = (await line()).replace(/^other origin on /, '');
  for (const found of [url, otherUrl]) {
    if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(found)) throw new Error(`unexpected line from lean-sandbox hostile: ${found}`);
  }
  return { url, otherUrl, stop: () => child.kill('SIGTERM') };
}

async function hostileJson(url, init) {
  const answer = await fetch(url, init);
  const text = await answer.text();
  if (!answer.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${answer.status} ${text}`);
  // The control requests share fetch's pool with the client under test:
  // like the SDK's transport, give the connection back before the next
  // call, which then takes it instead of opening another.
  await new Promise((resolve) => setImmediate(resolve));
  return JSON.parse(text);
}

/** The client a scenario's `call` and `client` describe, on the run's base URL. */
function clientFor({ call, client = {} }, baseUrl) {
  const policy = {
    timeoutMs: client.timeoutMs,
    maxRetries: client.maxRetries,
    retryBackoff: { initialMs: client.initialBackoffMs, maxMs: client.maxBackoffMs },
  };
  if (call.api === 'payouts') return new sdk.LeanClient({ apiKey: API_KEY, baseUrl: `${baseUrl}/api`, ...policy });
  const credentials =
    call.credentials === 'oauth' ? { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } : { appToken: APP_TOKEN };
  return new ob.OpenBankingClient(credentials, { baseUrl, tokenBaseUrl: baseUrl, ...policy });
}

/** Calls the method `call.operation` names; path arguments come from the call or its input. */
function invoke(client, call) {
  const { operation, input } = call;
  const arg = (name) => call[name] ?? input?.[name];
  if (call.api === 'payouts') {
    switch (operation) {
      case 'createCustomer': return client.createCustomer(input);
      case 'getCustomer': return client.getCustomer(arg('partnerUserId'));
      case 'updateCustomer': return client.updateCustomer(arg('partnerUserId'), input);
      case 'submitApplication': return client.submitApplication(arg('partnerUserId'));
      case 'createGig': return client.createGig(input);
      case 'getGig': return client.getGig(arg('gigId'));
      case 'listGigs': return client.listGigs();
      case 'createSpecialPayment': {
        const idempotencyKey = call.idempotencyKey;
        return client.createSpecialPayment(input, idempotencyKey === undefined ? undefined : { idempotencyKey });
      }
      case 'getSpecialPayment': return client.getSpecialPayment(arg('id'));
      case 'listSpecialPayments': return client.listSpecialPayments();
      default: throw new Error(`no payouts method for ${operation}`);
    }
  }
  switch (operation) {
    case 'createCustomer': return client.createCustomer(input);
    case 'getCustomer': return client.getCustomer(arg('customerId') ?? arg('customer_id'));
    case 'getCustomerByAppUserId': return client.getCustomerByAppUserId(arg('appUserId') ?? arg('app_user_id'));
    case 'listCustomers': return client.listCustomers({ pageNumber: arg('pageNumber'), pageSize: arg('pageSize') });
    case 'listEntities': return client.listEntities(arg('customerId') ?? arg('customer_id'));
    case 'getEntity': return client.getEntity(arg('customerId') ?? arg('customer_id'), arg('entityId') ?? arg('entity_id'));
    case 'getIdentity': return client.getIdentity(input);
    case 'getAccounts': return client.getAccounts(input);
    case 'getBalance': return client.getBalance(input);
    case 'getTransactions': return client.getTransactions(input);
    case 'getDataResults': return client.getDataResults(arg('resultsId') ?? arg('results_id'));
    case 'createPaymentIntent': return client.createPaymentIntent(input);
    case 'getPaymentIntent': return client.getPaymentIntent(arg('paymentIntentId') ?? arg('payment_intent_id'));
    case 'createPaymentDestination': return client.createPaymentDestination(input);
    case 'listPaymentDestinations': return client.listPaymentDestinations();
    case 'listBanks': return client.listBanks(arg('accountTypes') ?? arg('account_types'));
    case 'getPayment': return client.getPayment(arg('paymentId') ?? arg('payment_id'));
    default: throw new Error(`no open-banking method for ${operation}`);
  }
}

/** `{other}` and `{self}` in an expected value: the two origins' URLs for this run. */
function substituted(text, hostile, run) {
  return text.replaceAll('{other}', `${hostile.otherUrl}/${run.id}`).replaceAll('{self}', run.baseUrl);
}

const SERVER_EXPECTATIONS = new Set(['requests', 'connections', 'otherOriginRequests', 'seen']);

/**
 * Every way the calls' outcomes and what the server saw differ from
 * `expect`, compared as tests/conformance/README.md says: the outcome's
 * expectations on every call, the server's on the run as a whole.
 */
function differences(expect, outcomes, seen, hostile, run) {
  const found = [];
  const differ = (what, want, got) => {
    if (!isDeepStrictEqual(want, got)) found.push(`${what}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  };
  for (const [name, want] of Object.entries(expect)) {
    switch (name) {
      case 'requests':
      case 'connections':
      case 'otherOriginRequests': differ(name, want, seen[name]); break;
      case 'seen': differ(name, want, seen.seen.map(({ method, path }) => ({ method, path }))); break;
      default: break;
    }
  }
  outcomes.forEach((outcome, n) => {
    const call = outcomes.length === 1 ? '' : `call ${n + 1} of ${outcomes.length}: `;
    for (const difference of outcomeDifferences(expect, outcome, seen, hostile, run)) found.push(call + difference);
  });
  differ('credential headers that reached the other origin', [], seen.otherOriginCredentialHeaders ?? []);
  for (const outcome of outcomes) {
    if (found.length > 0) found.push(`(an outcome: ${outcome.error ? `${outcome.error.code}: ${outcome.error.message}` : 'ok'})`);
  }
  return found;
}

/** Every way one call's outcome differs from the outcome's expectations. */
function outcomeDifferences(expect, outcome, seen, hostile, run) {
  const found = [];
  const differ = (what, want, got) => {
    if (!isDeepStrictEqual(want, got)) found.push(`${what}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  };
  const error = outcome.error ?? {};
  for (const [name, want] of Object.entries(expect)) {
    switch (name) {
      case 'result': differ('result', want, outcome.error ? 'error' : 'ok'); break;
      case 'code': differ('code', want, error.code); break;
      case 'outcomeUnknown': differ(name, want, error.outcomeUnknown === true); break;
      case 'applied': differ(name, want, error.applied === true); break;
      case 'idempotencyKeyReported': {
        const reported = typeof error.idempotencyKey === 'string' && error.idempotencyKey.length > 0;
        differ(name, want, reported);
        if (reported) for (const request of seen.seen) differ('the Idempotency-Key the server saw', error.idempotencyKey, request.idempotencyKey);
        break;
      }
      case 'sentIds':
        for (const [id, value] of Object.entries(want)) differ(`sentIds.${id}`, value, error.sentIds?.[id]);
        break;
      case 'location': differ(name, substituted(want, hostile, run), error.location); break;
      default: if (!SERVER_EXPECTATIONS.has(name)) found.push(`unknown expectation ${name}`);
    }
  }
  if (outcome.error && !(outcome.error instanceof sdk.LeanError)) found.push('the error is not a LeanError');
  if (expect.code === 'redirect' && !(outcome.error instanceof sdk.LeanRedirectError)) found.push('the error is not a LeanRedirectError');
  return found;
}

/**
 * Runs every scenario of the list `key` of the scenario file, each as a
 * subtest: the call made `call.repeat` times (once when absent), one after
 * another, through one client.
 */
async function runScenarios(t, key) {
  const hostile = await startHostile();
  t.after(hostile.stop);
  const results = [];
  for (const scenario of scenarios[key] ?? []) {
    await t.test(scenario.name, async () => {
      const run = await hostileJson(`${hostile.url}/_hostile/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scenario: scenario.name }),
      });
      const client = clientFor(scenario, run.baseUrl);
      const outcomes = [];
      for (let n = 0; n < (scenario.call.repeat ?? 1); n += 1) {
        const outcome = {};
        try {
          outcome.value = await invoke(client, scenario.call);
        } catch (error) {
          outcome.error = error;
        }
        outcomes.push(outcome);
      }
      const seen = await hostileJson(`${hostile.url}/_hostile/runs/${run.id}`);
      const found = differences(scenario.expect, outcomes, seen, hostile, run);
      const ended = [...new Set(outcomes.map((o) => (o.error ? o.error.code : 'ok')))].join('/');
      results.push(`${found.length === 0 ? 'pass' : 'FAIL'} ${scenario.name}: ${ended}, ${seen.requests} requests on ${seen.connections} connection(s)`);
      assert.deepEqual(found, [], `${scenario.name}:\n${found.join('\n')}`);
    });
  }
  t.diagnostic(results.join('\n'));
}

test('conformance: call scenarios against lean-sandbox hostile', { skip: missing ?? false }, (t) => runScenarios(t, 'scenarios'));

test('conformance: connection scenarios (one client, N calls, the connections the server accepted)', { skip: missing ?? false }, (t) =>
  runScenarios(t, 'connectionScenarios'));

// Webhook scenarios: each helper that reads a body itself, served over
// real HTTP.

test('conformance: webhook scenarios against the helpers that read a body', { skip: scenarios === null ? missing : false }, async (t) => {
  for (const scenario of scenarios.webhookScenarios ?? []) {
    for (const [name, start] of Object.entries(receivers('whsec_conformance'))) {
      await t.test(`${scenario.name}: ${name}`, async () => {
        const receiver = await start(scenario.limitBytes);
        try {
          const answer = await sendWebhook(receiver.url, scenario.request);
          assert.equal(answer.status, scenario.expect.status, `${scenario.name}: status (${answer.body})`);
          const limit = scenario.limitBytes ?? sdk.webhooks.MAX_BODY_BYTES;
          // Socket and stream buffers hold a little more than the helper read.
          assert.ok(receiver.bytesRead() <= limit + 4 * 1024 * 1024, `${scenario.name}: the server read ${receiver.bytesRead()} bytes`);
        } finally {
          receiver.close();
        }
      });
    }
  }
});
