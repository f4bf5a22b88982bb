// The hand-written declarations of `lean-sdk/openbanking` compile, from ESM
// and CommonJS programs, and agree with the real exports.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { packageDir } from './helpers.js';
import { ob } from './openbanking-helpers.js';

const usage = (load) => `
${load}

async function flow(lean: OpenBankingClient): Promise<string | undefined> {
  const customer: Customer = await lean.createCustomer({ app_user_id: 'user-42' });
  const [entity] = await lean.listEntities(customer.customer_id);
  const balance: DataResult = await lean.getBalance({ entity_id: entity.id, account_id: 'a-1', async: true });
  const data = balance.status === 'PENDING' && balance.results_id ? await lean.getDataResults(balance.results_id) : balance;
  const intent: PaymentIntent = await lean.createPaymentIntent({ customer_id: customer.customer_id, amount: '100.50', currency: 'AED' });
  const page = await lean.listCustomers({ pageSize: 10 });
  const banks: Bank[] = await lean.listBanks('PERSONAL');
  const payment: Payment = await lean.getPayment('p-1');
  const stored: DataPage = await lean.listAccountTransactions(entity.id, 'a-1', { pageNumber: 0, pageSize: 50 });
  const refresh: DataRefresh = await lean.createDataRefresh(entity.id);
  const refreshes: DataRefresh[] = await lean.listDataRefreshes(entity.id, { pageSize: 5 });
  const intents: PaymentIntent[] = await lean.listPaymentIntents();
  const recent = await lean.listEntitiesByDate('2026-01-01', '2026-01-31', { pageSize: 100 });
  const ranged = await lean.getTransactions({ entity_id: entity.id, account_id: 'a-1', start_date: '2026-01-01', insights: true });
  console.log(stored.data, stored.page, refresh.status, refreshes.length, intents[0]?.amount, recent[0]?.id, ranged.payload);
  console.log(banks[0]?.identifier, payment.amount satisfies string | undefined, payment.status);
  console.log(data.payload, page.customers.length, lean.environment.requiresMtls, lean.tokenStatus?.expiresAt.getTime());
  return intent.amount;
}
const app = new OpenBankingClient({ appToken: 't' }, { environment: 'uae-sandbox', maxRetries: 1, timeoutMs: 5000 });
const oauth = new OpenBankingClient({ clientId: 'id', clientSecret: 's' }, { baseUrl: 'http://127.0.0.1:8080', tokenBaseUrl: 'http://127.0.0.1:8080' });
const prod = new OpenBankingClient({ appToken: 't' }, { environment: 'uae-production', tls: { cert: '', key: new Uint8Array(), ca: [''] } });
const custom = new OpenBankingClient({ accessToken: 't' }, { fetch: createMtlsFetch({ cert: '', key: '' }) });
const logged = new OpenBankingClient({ appToken: 't' }, { logger: console });
void logged.getCustomer('c').then((c) => c.attempts.map((a) => a.requestId ?? a.status) && c.customer_id);
void flow(app).catch((e: unknown) => {
  if (e instanceof LeanValidationError) e.errors.map((f: FieldError) => f.field + f.code);
  else if (e instanceof LeanApiError) console.log(e.status, e.apiCode, e.granularStatusCode, e.apiMessage);
  else if (e instanceof LeanRedirectError) console.log(e.status, e.location);
  else if (e instanceof LeanError) console.log(e.code satisfies ErrorCode, e.idempotencyKey, e.sentIds?.app_user_id, e.attempts.length);
});
void app.createPaymentIntent({ customer_id: 'c', amount: '1.00', currency: 'AED' }, { signal: new AbortController().signal });
console.log(webhooks.MAX_BODY_BYTES, webhooks.express({ secret: 's', maxBodyBytes: 1024, onEvent: () => {} }));
const verifier: WebhookVerifier = webhooks.createVerifier(['new', 'old']);
const event: WebhookEvent = verifier.constructEvent(new Uint8Array(), 'sha512=00');
const handler: (r: Request) => Promise<Response> = webhooks.handler({ secret: 's', onEvent: (e) => { void e.event_id; } });
webhooks.verify('body', null, 'secret');
const minutes: readonly number[] = webhooks.RETRY_SCHEDULE_MINUTES;
console.log(oauth, prod, custom, event.type, handler, minutes, validate('getCustomer', undefined, { customerId: 'c' }).length);
// @ts-expect-error amounts are strings, never numbers
void app.createPaymentIntent({ customer_id: 'c', amount: 100.5, currency: 'AED' });
// @ts-expect-error paging is an object
void app.listAccounts('e-1', 1);
// @ts-expect-error credentials come first
void new OpenBankingClient({ environment: 'uae-sandbox' });
`;

const NAMES = `OpenBankingClient, LeanError, LeanApiError, LeanRedirectError, LeanValidationError, WebhookVerifier, webhooks, validate,
  createMtlsFetch, type Customer, type DataResult, type PaymentIntent, type WebhookEvent, type FieldError, type ErrorCode,
  type Bank, type Payment, type DataPage, type DataRefresh`;

function compile(files) {
  const dir = mkdtempSync(join(tmpdir(), 'lean-sdk-ob-types-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(packageDir, join(dir, 'node_modules', 'lean-sdk'));
  symlinkSync(join(packageDir, 'node_modules', '@types'), join(dir, 'node_modules', '@types'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const tsc = join(packageDir, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
    '--lib', 'es2022,dom', '--types', 'node', ...Object.keys(files)];
  try {
    execFileSync(process.execPath, [tsc, ...args], { cwd: dir, encoding: 'utf8' });
  } catch (error) {
    assert.fail(`tsc failed:\n${error.stdout}${error.stderr}`);
  }
}

test('the declarations compile for ESM and CommonJS programs', () => {
  compile({
    'usage.ts': usage(`import { ${NAMES} } from 'lean-sdk/openbanking';\nimport { LeanError as MainLeanError } from 'lean-sdk';\nconst same: typeof MainLeanError = LeanError; void same;`),
    'usage.cts': usage(`import { ${NAMES} } from 'lean-sdk/openbanking';`),
  });
});

test('every declared value export exists at runtime, and nothing public is undeclared', () => {
  const declarations = readFileSync(join(packageDir, 'dist', 'openbanking.d.ts'), 'utf8');
  const declared = new Set([...declarations.matchAll(/^export (?:declare )?(?:class|function|const) (\w+)/gm)].map((m) => m[1]));
  for (const name of ['LeanError', 'LeanValidationError', 'LeanApiError', 'LeanRedirectError', 'WebhookSignatureError']) declared.add(name);
  const runtime = new Set(Object.keys(ob).filter((name) => !name.startsWith('__')));
  assert.deepEqual([...runtime].sort(), [...declared].sort());
  // The members both APIs' webhooks have are declared once, in the main entry's WebhookFunctions.
  const withShared = declarations + readFileSync(join(packageDir, 'dist', 'index.d.ts'), 'utf8');
  for (const name of Object.keys(ob.webhooks)) {
    assert.match(withShared, new RegExp(`\\b${name}[(:]`), `webhooks.${name} is declared`);
  }
});
