// End to end against the local sandbox (sandbox/README.md), through
// `lean-sdk/openbanking` as users load it: the open-banking flow over
// plain HTTP (customer, a bank connected through the admin endpoint,
// accounts, an asynchronous balance whose results.ready webhook is verified
// before the results are fetched, transactions, a payment destination and
// intent, a repeated create made idempotent, an OAuth token and its
// renewal, a customer token for the Link SDK; the stored-data reads page by
// page, a data refresh and its webhook, entities by date, every payment
// intent), then the sandbox's mTLS listener: the handshake completes with
// the client certificate, and fails clearly without it or with an
// untrusted one.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import express from 'express';
import { packageDir, thrown } from './helpers.js';
import { ob } from './openbanking-helpers.js';
import { eventually, sandboxBinary } from './sandbox.js';

const { OpenBankingClient, LeanApiError, LeanError, webhooks, createMtlsFetch } = ob;

// The sandbox's documented test defaults.
const APP_TOKEN = 'sandbox-app-token';
const CLIENT_ID = 'sandbox-client-id';
const CLIENT_SECRET = 'sandbox-client-secret';
const WEBHOOK_SECRET = 'sandbox-webhook-secret';
const TOKEN_TTL_S = 2;

const binary = sandboxBinary();
const skip = binary ? false : 'LEAN_SANDBOX_BIN is not set';

let sandbox;
let receiver;
const tlsDir = mkdtempSync(join(tmpdir(), 'lean-ob-tls-'));
const pem = (name) => readFileSync(join(tlsDir, name));

/** Starts the sandbox with its mTLS listener; resolves to its two URLs. */
async function startSandbox() {
  const child = spawn(binary, ['serve', '--port', '0', '--api-key', 'payouts-key', '--quiet',
    '--ob-results-delay', '50ms', '--ob-token-ttl', String(TOKEN_TTL_S), '--tls-port', '0', '--tls-dir', tlsDir],
  { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = once(child, 'exit').then(([code]) => { throw new Error(`the sandbox exited with ${code}`); });
  const next = async () => (await Promise.race([lines.next(), exited])).value;
  const url = (await next()).replace(/^listening on /, '');
  const tlsUrl = (await next()).replace(/^listening \(mTLS\) on /, '');
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.match(tlsUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
  return { url, tlsUrl, stop: () => child.kill('SIGTERM') };
}

/** An Express app receiving open-banking webhooks with webhooks.express(). */
async function startReceiver() {
  const events = [];
  const app = express();
  app.post('/webhooks/lean', webhooks.express({ secret: WEBHOOK_SECRET, onEvent: (event) => void events.push(event) }));
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${server.address().port}/webhooks/lean`, events, close: () => server.close() };
}

async function admin(path, body) {
  const answer = await fetch(`${sandbox.url}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  assert.equal(answer.status, 200, `${path}: ${await answer.clone().text()}`);
  return answer.json();
}

before(async () => {
  if (skip) return;
  sandbox = await startSandbox();
  receiver = await startReceiver();
  await admin('/_sandbox/webhooks', { url: receiver.url, product: 'openbanking' });
});

after(() => {
  sandbox?.stop();
  receiver?.close();
});

test('the open-banking flow over HTTP, with the application token', { skip }, async () => {
  const lean = new OpenBankingClient({ appToken: APP_TOKEN }, { baseUrl: sandbox.url });
  const appUserId = `user-${process.pid}-${Date.now()}`;

  const customer = await lean.createCustomer({ app_user_id: appUserId });
  assert.equal(customer.app_user_id, appUserId);
  assert.ok(customer.customer_id);
  // The same create again answers 409 CUSTOMER_ALREADY_EXISTS; the engine
  // looks the customer up, so creating is idempotent.
  assert.deepEqual(await lean.createCustomer({ app_user_id: appUserId }), customer);
  assert.equal((await lean.getCustomer(customer.customer_id)).app_user_id, appUserId);
  assert.equal((await lean.getCustomerByAppUserId(appUserId)).customer_id, customer.customer_id);
  const page = await lean.listCustomers({ pageNumber: 0, pageSize: 50 });
  assert.ok(page.customers.some((c) => c.customer_id === customer.customer_id));

  const connected = await admin(`/_sandbox/openbanking/customers/${customer.customer_id}/entities`, {});
  const entities = await lean.listEntities(customer.customer_id);
  assert.deepEqual(entities.map((e) => e.id), [connected.id]);
  const entity = await lean.getEntity(customer.customer_id, connected.id);
  assert.equal(entity.customer_id, customer.customer_id);
  assert.equal(entity.permissions.balance, true);

  const identity = await lean.getIdentity({ entity_id: entity.id });
  assert.equal(identity.status, 'OK');
  const accounts = await lean.getAccounts({ entity_id: entity.id });
  assert.equal(accounts.status, 'OK');
  const [account] = accounts.payload.accounts;
  assert.ok(account.account_id);

  // Asynchronous data: PENDING at once, then results.ready, then the results.
  const pending = await lean.getBalance({ entity_id: entity.id, account_id: account.account_id, async: true });
  assert.equal(pending.status, 'PENDING');
  assert.ok(pending.results_id);
  await eventually('results.ready', () => receiver.events.some((e) => e.type === 'results.ready' && e.payload.id === pending.results_id));
  const ready = receiver.events.find((e) => e.payload.id === pending.results_id);
  assert.ok(ready.event_id, 'event_id for de-duplication');
  const balance = await lean.getDataResults(ready.payload.id);
  assert.equal(balance.status, 'OK');
  assert.equal(balance.payload.account_id, account.account_id);
  assert.ok('balance' in balance.payload);
  assert.ok(receiver.events.some((e) => e.type === 'entity.created' && e.payload.id === entity.id), 'entity.created');

  const transactions = await lean.getTransactions({ entity_id: entity.id, account_id: account.account_id });
  assert.equal(transactions.status, 'OK');
  assert.ok(transactions.payload.transactions.length > 0);

  const failed = await thrown('FAILED', () => lean.getBalance({ entity_id: entity.id, account_id: 'sandbox-fail-1' }));
  assert.ok(failed instanceof LeanApiError);
  assert.equal(failed.apiCode, 'FAILED');
  assert.equal(failed.status, 200);

  const destination = await lean.createPaymentDestination({
    display_name: 'Rent', name: 'Landlord LLC', bank_identifier: 'ENBDAEAD', iban: 'AE070331234567890123456',
    account_number: '1234567890123', country: 'ARE', city: 'Dubai',
  });
  assert.ok(destination.id);
  assert.ok((await lean.listPaymentDestinations()).some((d) => d.id === destination.id));
  const intent = await lean.createPaymentIntent({
    customer_id: customer.customer_id, amount: '100.50', currency: 'aed', payment_destination_id: destination.id, description: 'Rent',
  });
  assert.equal(intent.amount, '100.50', 'amounts are decimal strings');
  assert.equal(intent.currency, 'AED');
  const fetched = await lean.getPaymentIntent(intent.payment_intent_id);
  assert.equal(fetched.payment_intent_id, intent.payment_intent_id);
  assert.equal(fetched.amount, '100.50');
});

test('an unknown id is answered not_found', { skip }, async () => {
  const lean = new OpenBankingClient({ appToken: APP_TOKEN }, { baseUrl: sandbox.url });
  for (const read of ['getCustomer', 'getPayment', 'getDataRefresh']) {
    const missing = await thrown(read, () => lean[read]('00000000-0000-4000-8000-000000000000'));
    assert.equal(missing.code, 'not_found', read);
  }
});

test('the supported banks, and a payment read by its id', { skip }, async () => {
  const lean = new OpenBankingClient({ appToken: APP_TOKEN }, { baseUrl: sandbox.url });
  const banks = await lean.listBanks();
  assert.equal(banks[0].identifier, 'LEANMB1');
  assert.ok(banks.every((b) => b.name && b.availability));
  const personal = await lean.listBanks('PERSONAL');
  assert.ok(personal.length > 0 && personal.length < banks.length);
  assert.ok(personal.every((b) => b.account_type === 'PERSONAL'));

  const customer = await lean.createCustomer({ app_user_id: `payer-${process.pid}-${Date.now()}` });
  const intent = await lean.createPaymentIntent({ customer_id: customer.customer_id, amount: '12.30', currency: 'AED' });
  const paid = await admin(`/_sandbox/openbanking/intents/${intent.payment_intent_id}/pay`, {});
  const payment = await lean.getPayment(paid.id);
  assert.equal(payment.id, paid.id);
  assert.equal(payment.amount, '12.30', 'amounts are decimal strings');
  assert.equal(payment.intent_id, intent.payment_intent_id);
  assert.equal(payment.customer_id, customer.customer_id);
  assert.equal(payment.status, 'PENDING_WITH_BANK');
});

test('stored data page by page, a refresh and its webhook, entities by date', { skip }, async () => {
  const lean = new OpenBankingClient({ appToken: APP_TOKEN }, { baseUrl: sandbox.url });
  const customer = await lean.createCustomer({ app_user_id: `v2-${process.pid}-${Date.now()}` });
  const connected = await admin(`/_sandbox/openbanking/customers/${customer.customer_id}/entities`, {});
  const entityId = connected.id;
  const [account] = connected.accounts;
  const accountIds = connected.accounts.map((a) => a.account_id).sort();

  const first = await lean.listAccounts(entityId, { pageSize: 1 });
  assert.equal(first.status, 'OK');
  assert.equal(first.data.length, 1);
  assert.equal(first.page.total_elements, accountIds.length);
  const second = await lean.listAccounts(entityId, { pageNumber: 1, pageSize: 1 });
  assert.notEqual(second.data[0].account_id, first.data[0].account_id);
  assert.deepEqual((await lean.listAccounts(entityId)).data.map((a) => a.account_id).sort(), accountIds);
  assert.equal((await lean.listIdentities(entityId)).data.length, 1);
  const balances = await lean.listAccountBalances(entityId, account.account_id);
  assert.equal(typeof balances.data[0].balance, 'string', 'amounts are exact decimal strings');
  assert.equal(Number(balances.data[0].balance), Number(account.balance));
  for (const read of ['listAccountTransactions', 'listAccountIdentities', 'listAccountBeneficiaries', 'listAccountDirectDebits',
    'listAccountStandingOrders', 'listAccountScheduledPayments']) {
    const page = await lean[read](entityId, account.account_id, { pageSize: 100 });
    assert.equal(page.status, 'OK', read);
    assert.ok(page.data.length > 0, read);
    assert.ok(page.data.every((r) => r.account_id === undefined || r.account_id === account.account_id), read);
  }
  const failed = await thrown('FAILED', () => lean.listAccountTransactions(entityId, 'sandbox-fail'));
  assert.ok(failed instanceof LeanApiError);
  assert.equal(failed.apiCode, 'FAILED');
  assert.equal(failed.status, 200);
  assert.equal(failed.granularStatusCode, 'SANDBOX_FAIL_TRIGGER');
  const missing = await thrown('no such account', () => lean.listAccountBalances(entityId, '00000000-0000-4000-8000-000000000000'));
  assert.equal(missing.code, 'not_found');
  assert.equal(missing.apiCode, 'ACCOUNT_NOT_FOUND');

  const refresh = await lean.createDataRefresh(entityId);
  assert.equal(refresh.status, 'IN_PROGRESS');
  assert.equal(refresh.entity_id, entityId);
  assert.equal(refresh.customer_id, customer.customer_id);
  const isDone = (e) => e.type === 'entity.data.refresh.updated' && e.payload.refresh_id === refresh.refresh_id;
  await eventually('entity.data.refresh.updated', () => receiver.events.some(isDone));
  const updated = receiver.events.find(isDone);
  assert.equal(updated.payload.status, 'COMPLETED');
  const done = await lean.getDataRefresh(refresh.refresh_id);
  assert.deepEqual(done, updated.payload);
  assert.deepEqual(done.data_status.account_data.map((a) => a.account_id).sort(), accountIds);
  assert.deepEqual((await lean.listDataRefreshes(entityId, { pageSize: 10 })).map((r) => r.refresh_id), [refresh.refresh_id]);

  const ranged = await lean.getTransactions({
    entity_id: entityId, account_id: account.account_id, start_date: '2000-01-01', end_date: '2099-12-31', insights: true,
  });
  assert.ok(ranged.payload.transactions.length > 0);
  assert.equal(ranged.payload.insights.transaction_count, ranged.payload.transactions.length);
  assert.equal(typeof ranged.payload.insights.total_credits, 'string');
  const none = await lean.getTransactions({ entity_id: entityId, account_id: account.account_id, start_date: '2000-01-01', end_date: '2000-01-31' });
  assert.deepEqual(none.payload.transactions, []);

  const day = 24 * 3600 * 1000;
  const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
  const recent = await lean.listEntitiesByDate(iso(Date.now() - day), iso(Date.now() + day), { pageSize: 1000 });
  assert.ok(recent.some((e) => e.id === entityId));
  assert.deepEqual(await lean.listEntitiesByDate('2000-01-01', '2000-01-31'), []);
});

test('every payment intent, and a destination in Lean\'s own shape', { skip }, async () => {
  const lean = new OpenBankingClient({ appToken: APP_TOKEN }, { baseUrl: sandbox.url });
  const destination = await lean.createPaymentDestination({
    bank_type: 'retail', government_identifier: { type: 'EMIRATES_ID', value: '784-1990-1234567-1' }, name: 'Acme LLC',
    iban: 'AE070331234567890123456', display_name: 'Acme', address: '1 Main St', city: 'Dubai', country: 'ARE',
  });
  assert.equal(destination.bank_type, 'RETAIL');
  assert.deepEqual(destination.government_identifier, { type: 'EMIRATES_ID', value: '784-1990-1234567-1' });
  assert.equal(destination.bank_identifier, undefined);
  assert.ok((await lean.listPaymentDestinations()).some((d) => d.id === destination.id));

  const customer = await lean.createCustomer({ app_user_id: `intents-${process.pid}-${Date.now()}` });
  const made = [];
  for (const amount of ['10.10', '20.20']) {
    made.push(await lean.createPaymentIntent({ customer_id: customer.customer_id, amount, currency: 'AED', payment_destination_id: destination.id }));
  }
  const everyone = await lean.listPaymentIntents();
  assert.ok(everyone.length >= 2 && everyone.every((i) => i.payment_intent_id));
  // A token scoped to the customer lists that customer's intents only.
  const backend = new OpenBankingClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }, { baseUrl: sandbox.url, tokenBaseUrl: sandbox.url });
  const token = await backend.customerToken(customer.customer_id);
  const device = new OpenBankingClient({ accessToken: token.accessToken }, { baseUrl: sandbox.url });
  const own = await device.listPaymentIntents();
  assert.deepEqual(own.map((i) => i.payment_intent_id), made.map((i) => i.payment_intent_id));
  assert.deepEqual(own.map((i) => i.amount), ['10.10', '20.20']);
});

test('OAuth: a token for the first call, renewed before it expires', { skip }, async () => {
  let tokenRequests = 0;
  const counting = (url, init) => {
    if (url.endsWith('/oauth2/token')) tokenRequests += 1;
    return fetch(url, init);
  };
  const lean = new OpenBankingClient(
    { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    { baseUrl: sandbox.url, tokenBaseUrl: sandbox.url, fetch: counting },
  );
  const customer = await lean.createCustomer({ app_user_id: `oauth-${process.pid}-${Date.now()}` });
  await Promise.all([lean.getCustomer(customer.customer_id), lean.getCustomer(customer.customer_id)]);
  assert.equal(tokenRequests, 1);
  const { expiresAt, renewAt, scope } = lean.tokenStatus;
  assert.equal(scope, 'api');
  assert.ok(renewAt < expiresAt);
  // A 2 s token is renewed at half its life.
  await new Promise((resolve) => setTimeout(resolve, renewAt.getTime() - Date.now() + 50));
  await lean.getCustomer(customer.customer_id);
  assert.equal(tokenRequests, 2, 'renewed');

  const wrong = new OpenBankingClient({ clientId: CLIENT_ID, clientSecret: 'wrong-secret' }, { baseUrl: sandbox.url, tokenBaseUrl: sandbox.url });
  const error = await thrown('wrong secret', () => wrong.getCustomer(customer.customer_id));
  assert.equal(error.code, 'unauthorized');
  assert.ok(!`${error.message}${error.body}`.includes('wrong-secret'));
});

test('Link SDK: the backend mints a customer token that reads only that customer', { skip }, async () => {
  const backend = new OpenBankingClient(
    { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    { baseUrl: sandbox.url, tokenBaseUrl: sandbox.url },
  );
  const customer = await backend.createCustomer({ app_user_id: `scoped-${process.pid}-${Date.now()}` });
  const token = await backend.customerToken(customer.customer_id);
  assert.equal(token.scope, `customer.${customer.customer_id}`);
  assert.ok(token.expiresAt.getTime() > Date.now());
  assert.ok(!String(token).includes(token.accessToken));
  const device = new OpenBankingClient({ accessToken: token.accessToken }, { baseUrl: sandbox.url });
  assert.equal((await device.getCustomer(customer.customer_id)).customer_id, customer.customer_id);
  const refused = await thrown('another customer', () => device.listCustomers());
  assert.ok(refused instanceof LeanApiError);
  assert.equal(refused.status, 403);
});

test('mTLS: the handshake completes with the client certificate', { skip }, async () => {
  const lean = new OpenBankingClient(
    { appToken: APP_TOKEN },
    { baseUrl: sandbox.tlsUrl, requireMtls: true, tls: { cert: pem('client.pem'), key: pem('client.key'), ca: pem('ca.pem') } },
  );
  const customer = await lean.createCustomer({ app_user_id: `mtls-${process.pid}-${Date.now()}` });
  assert.equal((await lean.getCustomer(customer.customer_id)).customer_id, customer.customer_id);
  // PEM text works as well as Buffers.
  const text = new OpenBankingClient(
    { appToken: APP_TOKEN },
    { baseUrl: sandbox.tlsUrl, tls: { cert: pem('client.pem').toString(), key: pem('client.key').toString(), ca: pem('ca.pem').toString() } },
  );
  assert.equal((await text.getCustomer(customer.customer_id)).customer_id, customer.customer_id);
});

test('mTLS: an untrusted client certificate fails with a clear transport error', { skip }, async () => {
  const lean = new OpenBankingClient(
    { appToken: APP_TOKEN },
    { baseUrl: sandbox.tlsUrl, maxRetries: 0, tls: { cert: pem('untrusted-client.pem'), key: pem('untrusted-client.key'), ca: pem('ca.pem') } },
  );
  const error = await thrown('untrusted', () => lean.getCustomer('c-1'));
  assert.ok(error instanceof LeanError);
  assert.equal(error.code, 'transport');
  assert.match(error.message, /mTLS handshake with 127\.0\.0\.1:\d+ failed: the server refused the client certificate/);
});

test('mTLS: without a client certificate the call fails with a clear transport error', { skip }, async () => {
  // Node's global fetch, trusting the sandbox's CA but presenting no
  // certificate: what a client built without `tls` does.
  const script = `
    import { OpenBankingClient } from 'lean-sdk/openbanking';
    const lean = new OpenBankingClient({ appToken: ${JSON.stringify(APP_TOKEN)} }, { baseUrl: ${JSON.stringify(sandbox.tlsUrl)}, maxRetries: 0 });
    try { await lean.getCustomer('c-1'); console.log('no error'); }
    catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: packageDir, env: { ...process.env, NODE_EXTRA_CA_CERTS: join(tlsDir, 'ca.pem') },
  });
  const error = JSON.parse(stdout);
  assert.equal(error.code, 'transport');
  assert.match(error.message, /failed after 1 attempt/);
  assert.match(error.message, /fetch failed \((other side closed|.*ECONNRESET|.*alert)/);
  assert.match(error.message, /if the host requires mutual TLS, pass tls: \{ cert, key, ca \}/);
});

test('mTLS transport: a server that never answers times out; a caller abort rejects', { skip }, async () => {
  const server = createServer({ key: pem('server.key'), cert: pem('server.pem'), ca: pem('ca.pem'), requestCert: true }, () => {});
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `https://127.0.0.1:${server.address().port}`;
  const tls = { cert: pem('client.pem'), key: pem('client.key'), ca: pem('ca.pem') };
  try {
    const lean = new OpenBankingClient({ appToken: APP_TOKEN }, { baseUrl: url, tls, timeoutMs: 200, maxRetries: 0 });
    const error = await thrown('timeout', () => lean.getCustomer('c-1'));
    assert.equal(error.code, 'transport');
    assert.match(error.message, /no answer within 200 ms/);

    const mtlsFetch = createMtlsFetch(tls);
    const controller = new AbortController();
    const pending = mtlsFetch(`${url}/customers/v1/c-1`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, (e) => e.name === 'AbortError');
    await assert.rejects(mtlsFetch(`${url}/x`, { signal: AbortSignal.abort() }), (e) => e.name === 'AbortError');
    await assert.rejects(mtlsFetch('http://127.0.0.1:9/x'), /fetch failed/);
  } finally {
    server.closeAllConnections?.();
    server.close();
  }
});
