// The hand-written declarations compile, and agree with the real exports:
// tsc checks a program using the package by its name, and the runtime
// exports are compared with the declared ones.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { packageDir, sdk } from './helpers.js';

const usage = `
import { LeanClient, LeanError, LeanApiError, LeanRedirectError, LeanValidationError, WebhookSignatureError,
         WebhookVerifier, validate, webhooks, type Attempt, type Gig, type LeanEvent, type Logger,
         type WebhookEvent } from 'lean-sdk';

const lean = new LeanClient({ apiKey: 'k', environment: 'sandbox', maxRetries: 1, timeoutMs: 5000 });
async function flow(): Promise<string | undefined> {
  const gig: Gig = await lean.createGig({ partnerUserId: 'u', totalAmount: '15.00', tips: '3.00',
    expenses: '2.00', description: 'd', gigId: 'g', startTime: '2021-03-01T21:04:04Z', endTime: '2021-03-01T21:31:05Z' });
  const payments = await lean.listSpecialPayments();
  await lean.createSpecialPayment({ partnerUserId: 'u', amount: '-1.50', type: 'correction' }, { idempotencyKey: 'pay-1' });
  return gig.totalAmount ?? payments[0]?.amount;
}
try { void flow(); } catch (e) {
  if (e instanceof LeanValidationError) e.errors.map((f) => f.field + f.code);
  else if (e instanceof LeanApiError) console.log(e.status, e.body, e.requestId);
  else if (e instanceof WebhookSignatureError) console.log(e.code);
  else if (e instanceof LeanRedirectError) console.log(e.status, e.location ?? 'hidden');
  else if (e instanceof LeanError) console.log(e.code satisfies string, e.outcomeUnknown, e.idempotencyKey, e.sentIds?.gigId, e.applied);
}
void lean.getGig('g', { signal: AbortSignal.timeout(1000) });
const logged = new LeanClient({ apiKey: 'k', logger: console });
const quiet = new LeanClient({ apiKey: 'k', logger: null });
const own: Logger = { debug: (m: string, e: LeanEvent) => void [m, e.event, e.level], info: () => undefined };
new LeanClient({ apiKey: 'k', logger: own });
void logged.getGig('g').then((g) => g.attempts.map((a: Attempt) => a.requestId ?? a.transportError ?? a.status));
void quiet.listGigs().then((gigs) => gigs.attempts.length + gigs.length);
try { void 0; } catch (e) { if (e instanceof LeanError) console.log(e.attempts[0]?.requestId); }
// @ts-expect-error a logger has debug and info methods
new LeanClient({ apiKey: 'k', logger: { info() {} } });
const limited = webhooks.express({ secret: 's', maxBodyBytes: 64 * 1024 });
console.log(limited, webhooks.MAX_BODY_BYTES);
const verifier: WebhookVerifier = webhooks.createVerifier(['a', 'b']);
const event: WebhookEvent = verifier.constructEvent(new Uint8Array(), 'sig');
webhooks.verify('body', ['sig'], 'secret');
webhooks.verify(new ArrayBuffer(0), null, verifier);
const handler: (r: Request) => Promise<Response> = webhooks.handler({ secret: 's', onEvent: (e) => { void e.event; } });
const errors = validate('createCustomer', {});
console.log(event.event, event.dedupKey, handler, errors.length, webhooks.sign('x', 's'));
// @ts-expect-error amounts are strings, never numbers
void lean.createGig({ partnerUserId: 'u', totalAmount: 15, tips: '0', expenses: '0', description: 'd', gigId: 'g', startTime: 's', endTime: 'e' });
`;

test('the declarations compile against a program using the package', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lean-sdk-types-'));
  const file = join(dir, 'usage.ts');
  writeFileSync(file, usage);
  const tsc = join(packageDir, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
    '--lib', 'es2022,dom', '--types', 'node', file];
  // Resolve `lean-sdk` to this package (its exports map and dist/index.d.ts).
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(packageDir, join(dir, 'node_modules', 'lean-sdk'));
  symlinkSync(join(packageDir, 'node_modules', '@types'), join(dir, 'node_modules', '@types'));
  try {
    execFileSync(process.execPath, [tsc, ...args], { cwd: dir, encoding: 'utf8' });
  } catch (error) {
    assert.fail(`tsc failed:\n${error.stdout}${error.stderr}`);
  }
});

test('every declared value export exists at runtime, and nothing public is undeclared', () => {
  const declarations = readFileSync(join(packageDir, 'dist', 'index.d.ts'), 'utf8');
  const declared = new Set(
    [...declarations.matchAll(/^export (?:declare )?(?:class|function|const) (\w+)/gm)].map((m) => m[1]),
  );
  const runtime = new Set(Object.keys(sdk).filter((name) => !name.startsWith('__')));
  assert.deepEqual([...runtime].sort(), [...declared].sort());
  for (const name of Object.keys(sdk.webhooks)) {
    assert.match(declarations, new RegExp(`\\b${name}[(:]`), `webhooks.${name} is declared`);
  }
});
