// tests/vectors/openbanking/tokens.json through the token policy as
// OpenBankingClient drives it: the open-banking module's wasm `Client`
// (the built .wasm of dist/, through its wasm-bindgen glue), one ticket per
// named caller. A caller told to use a token starts a call, whose request
// must carry that token. The policy records events; those each step
// reports are checked against the step's `events` (the given keys).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fromCore } from '../src/errors.js';
import { readStep } from '../src/transport.js';
import { checkError, packageDir } from './helpers.js';
import { environmentOptions, obVectors } from './openbanking-helpers.js';

const glue = await import(join(packageDir, 'pkg', 'lean_sdk_wasm_openbanking.js'));
glue.initSync({ module: readFileSync(join(packageDir, 'dist', 'lean_sdk_wasm_openbanking_bg.wasm')) });

const ENTROPY = new Uint8Array(32);

/** What the module threw, as the package throws it. */
function caught(fn) {
  try {
    fn();
  } catch (thrown) {
    return fromCore(JSON.parse(thrown));
  }
  return undefined;
}

/** A vector response as the transport hands it to the module. */
function answer(spec) {
  const headers = Object.entries(spec.headers ?? {}).flat();
  return [spec.status, headers, new TextEncoder().encode(JSON.stringify(spec.body ?? {}))];
}

/** The policy's events of one step against the step's (each given key). */
function checkEvents(context, got, want) {
  assert.ok(Array.isArray(want), `${context}: the step gives its events`);
  assert.equal(got.length, want.length, `${context}: events ${got.map((e) => e.event)}`);
  want.forEach((expected, i) => {
    for (const [key, value] of Object.entries(expected)) {
      assert.deepEqual(got[i][key], value, `${context}: ${key} of event ${i + 1}`);
    }
    assert.equal(typeof got[i].message, 'string', `${context}: message of event ${i + 1}`);
  });
}

function play(c) {
  const client = new glue.Client(
    JSON.stringify({
      ...environmentOptions(c.environment),
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      tokenRenewalMarginMs: c.marginSeconds === undefined ? undefined : c.marginSeconds * 1000,
      events: true,
    }),
  );
  const tickets = new Map();
  const ticketOf = (caller) => {
    if (!tickets.has(caller)) tickets.set(caller, client.openTicket());
    return tickets.get(caller);
  };
  c.steps.forEach((step, index) => {
    const context = `${c.name}, step ${index + 1} (${step.caller} ${step.action})`;
    const ticket = ticketOf(step.caller);
    const nowMs = (step.at ?? 0) * 1000;
    const expect = step.expect ?? {};
    let error;
    switch (step.action) {
      case 'poll': {
        let polled;
        error = caught(() => {
          polled = readStep(client.tokenPoll(ticket, nowMs));
        });
        if (error) break;
        if (polled.use) {
          const first = readStep(client.start(JSON.stringify({ operation: 'listPaymentDestinations' }), ENTROPY, ticket));
          glue.finish(first.call);
          assert.equal(first.send.headers.authorization, `Bearer ${expect.use}`, context);
        } else if (polled.fetch !== undefined) {
          assert.equal(polled.fetch, expect.fetch, `${context}: fetch number`);
          assert.equal(polled.send.method, 'POST', context);
          assert.match(polled.send.url, /\/oauth2\/token$/, context);
        } else {
          assert.equal(polled.waitFor, expect.wait, `${context}: the fetch waited for`);
        }
        break;
      }
      case 'tokenResponse':
        error = caught(() => client.tokenResponse(ticket, ...answer(step.response), nowMs));
        break;
      case 'tokenTransportError':
        error = fromCore(JSON.parse(client.tokenFailed(ticket, step.kind, step.message)));
        break;
      case 'unauthorized':
        assert.equal(client.onUnauthorized(ticket) ? 'renewAndRetry' : 'fail', step.expect, context);
        break;
      default:
        assert.fail(`${context}: unknown action`);
    }
    if (expect.error) {
      assert.ok(error, `${context}: expected ${JSON.stringify(expect.error)}`);
      checkError(context, error, expect.error);
    } else {
      assert.equal(error, undefined, `${context}: unexpected ${error?.stack}`);
    }
    checkEvents(context, JSON.parse(client.takeEvents()), step.events);
  });
  for (const ticket of tickets.values()) client.closeTicket(ticket);
  client.free();
}

test('tokens.json', async (t) => {
  const cases = obVectors('tokens.json');
  assert.ok(cases.length >= 10, `${cases.length} token policy vectors`);
  for (const c of cases) await t.test(c.name, () => play(c));
});
