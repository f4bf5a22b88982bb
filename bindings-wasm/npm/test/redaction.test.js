// Credentials never show when a program prints what the SDK hands it:
// clients, the request headers a transport receives, responses, errors and
// webhook verifiers, through `util.inspect` (what `console.log` uses),
// `String` and `JSON.stringify`.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { format, inspect } from 'node:util';
import { sdk, thrown } from './helpers.js';
import { ob } from './openbanking-helpers.js';

const API_KEY = 'sk_live_SECRET_api_key_1';
const APP_TOKEN = 'SECRET_app_token_2';
const ACCESS_TOKEN = 'SECRET_bearer_token_3';
const CLIENT_SECRET = 'SECRET_client_secret_4';
const ISSUED_TOKEN = 'SECRET_issued_token_5';
const WEBHOOK_SECRET = 'whsec_SECRET_6';
const SECRETS = [API_KEY, APP_TOKEN, ACCESS_TOKEN, CLIENT_SECRET, ISSUED_TOKEN, WEBHOOK_SECRET];
// How a secret may be spelled once encoded in a header.
const ENCODED = SECRETS.flatMap((s) => [s, Buffer.from(`${s}:`).toString('base64'), Buffer.from(`app:${s}`).toString('base64')]);

/** Every way a program prints a value. */
function printed(value) {
  let json;
  try {
    json = JSON.stringify(value);
  } catch {
    json = '';
  }
  return [inspect(value, { showHidden: true, depth: 8 }), format('%o', value), String(value), json, value?.stack ?? ''].join('\n');
}

function assertClean(what, value) {
  const text = printed(value);
  for (const secret of ENCODED) assert.ok(!text.includes(secret), `${what} shows a secret: ${text}`);
}

const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A fetch that records what it was handed and answers with `answer(url, init)`. */
function recording(answer) {
  const seen = [];
  const fetch = async (url, init) => {
    seen.push(init);
    return answer(url, init);
  };
  return { seen, fetch };
}

test('clients never show their credentials', () => {
  assertClean('LeanClient', new sdk.LeanClient({ apiKey: API_KEY }));
  const options = { tokenBaseUrl: 'https://auth.example' };
  for (const credentials of [{ appToken: APP_TOKEN }, { accessToken: ACCESS_TOKEN }, { clientId: 'app', clientSecret: CLIENT_SECRET }]) {
    assertClean('OpenBankingClient', new ob.OpenBankingClient(credentials, options));
    assertClean('OpenBankingClient in an object', { client: new ob.OpenBankingClient(credentials, options) });
  }
  assertClean('WebhookVerifier', sdk.webhooks.createVerifier([WEBHOOK_SECRET, 'whsec_SECRET_6b']));
  assertClean('open-banking WebhookVerifier', ob.webhooks.createVerifier(WEBHOOK_SECRET));
});

test('the request headers a transport receives print redacted, yet carry the credentials', async () => {
  const payouts = recording(() => json(401, { message: 'bad key' }));
  await thrown('payouts', () => new sdk.LeanClient({ apiKey: API_KEY, fetch: payouts.fetch, maxRetries: 0 }).getGig('g1'));
  const token = recording((url) =>
    url.endsWith('/oauth2/token')
      ? json(200, { access_token: ISSUED_TOKEN, token_type: 'bearer', expires_in: 3600 })
      : json(401, { status: 'UNAUTHORIZED', message: 'expired' }),
  );
  const oauth = new ob.OpenBankingClient({ clientId: 'app', clientSecret: CLIENT_SECRET }, { fetch: token.fetch, maxRetries: 0, baseUrl: 'http://127.0.0.1:9' , tokenBaseUrl: 'http://127.0.0.1:9' });
  await thrown('oauth', () => oauth.getCustomer('c1'));
  const app = recording(() => json(401, { status: 'UNAUTHORIZED' }));
  await thrown('app token', () => new ob.OpenBankingClient({ appToken: APP_TOKEN }, { fetch: app.fetch, maxRetries: 0 }).getCustomer('c1'));
  const inits = [...payouts.seen, ...token.seen, ...app.seen];
  assert.ok(inits.length >= 4);
  for (const init of inits) assertClean('request headers', init.headers);
  // The headers still hold the credentials for fetch to send.
  const sent = inits.flatMap((init) => [...new Headers(init.headers).values()]).join(' ');
  assert.match(sent, /^Basic |Basic /);
  assert.ok(sent.includes(APP_TOKEN) && sent.includes(ISSUED_TOKEN), 'the credentials are sent');
});

test('errors never show credentials: refusals, transport failures, redirects, bad answers', async () => {
  const answers = [
    () => json(401, { message: 'invalid key' }),
    () => json(500, { message: 'boom' }),
    () => new Response('not json', { status: 200 }),
    () => new Response(null, { status: 307, headers: { location: 'http://127.0.0.1:1/elsewhere' } }),
    () => {
      throw new TypeError('fetch failed', { cause: new Error('socket hang up') });
    },
  ];
  for (const answer of answers) {
    const options = { fetch: async () => answer(), maxRetries: 0 };
    assertClean('payouts error', await thrown('payouts', () => new sdk.LeanClient({ apiKey: API_KEY, ...options }).getGig('g1')));
    assertClean('payouts create error', await thrown('create', () => new sdk.LeanClient({ apiKey: API_KEY, ...options }).createSpecialPayment(
      { partnerUserId: 'u1', amount: '1.00', type: 'reimbursement' }, { idempotencyKey: 'pay-1' })));
    for (const credentials of [{ appToken: APP_TOKEN }, { accessToken: ACCESS_TOKEN }]) {
      assertClean('open-banking error', await thrown('ob', () => new ob.OpenBankingClient(credentials, options).getCustomer('c1')));
    }
    assertClean('token error', await thrown('token', () =>
      new ob.OpenBankingClient({ clientId: 'app', clientSecret: CLIENT_SECRET }, options).getCustomer('c1')));
  }
});

test('webhook refusals never show the webhook secret', () => {
  const body = '{"event":"gig.completed","data":{}}';
  for (const signature of [undefined, 'garbage', sdk.webhooks.sign(body, 'other')]) {
    for (const [api, webhooks] of [['payouts', sdk.webhooks], ['open-banking', ob.webhooks]]) {
      assert.throws(() => webhooks.verify(body, signature, WEBHOOK_SECRET), (error) => {
        assertClean(`${api} webhook error`, error);
        return true;
      });
    }
  }
});
