// The open-banking flow against the local sandbox, as `scripts/demo node`
// runs it: a customer, a bank connected (the sandbox's stand-in for Lean's
// Link SDK), accounts, a balance fetched asynchronously (results.ready
// webhook verified, then the results), transactions, a payment intent, an
// OAuth client, and a call over mutual TLS with the client certificate.
//
//   node examples/openbanking-flow.mjs http://127.0.0.1:PORT https://127.0.0.1:TLS_PORT TLS_DIR

import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { OpenBankingClient, webhooks } from 'lean-sdk/openbanking';

const [url, tlsUrl, tlsDir] = process.argv.slice(2);
if (!url || !tlsUrl || !tlsDir) throw new Error('usage: openbanking-flow.mjs SANDBOX_URL MTLS_URL TLS_DIR');

// A webhook receiver that answers 200 once it has recorded the event.
const events = new Map();
const app = express();
app.post('/webhooks/lean', webhooks.express({
  secret: 'sandbox-webhook-secret',
  onEvent: (event) => void events.set(event.event_id, event),
}));
const server = app.listen(0, '127.0.0.1');
await once(server, 'listening');
const admin = async (path, body) =>
  (await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
await admin('/_sandbox/webhooks', { url: `http://127.0.0.1:${server.address().port}/webhooks/lean`, product: 'openbanking' });

const lean = new OpenBankingClient({ appToken: 'sandbox-app-token' }, { baseUrl: url });
const customer = await lean.createCustomer({ app_user_id: `demo-${Date.now()}` });
console.log(`customer ${customer.customer_id} (${customer.app_user_id})`);
const again = await lean.createCustomer({ app_user_id: customer.app_user_id });
console.log(`created again: the same customer (${again.customer_id === customer.customer_id})`);

const entity = await admin(`/_sandbox/openbanking/customers/${customer.customer_id}/entities`, {});
console.log(`bank connected: entity ${entity.id} at ${entity.bank_identifier}`);
const { payload } = await lean.getAccounts({ entity_id: entity.id });
const account = payload.accounts[0];
console.log(`${payload.accounts.length} accounts; first: ${account.name} (${account.currency_code})`);

const pending = await lean.getBalance({ entity_id: entity.id, account_id: account.account_id, async: true });
console.log(`balance: ${pending.status}, results ${pending.results_id}`);
const deadline = Date.now() + 15000;
let ready;
while (!(ready = [...events.values()].find((e) => e.type === 'results.ready' && e.payload.id === pending.results_id))) {
  if (Date.now() > deadline) throw new Error('no results.ready webhook');
  await new Promise((resolve) => setTimeout(resolve, 50));
}
console.log(`webhook ${ready.type} verified (event ${ready.event_id}), answered 200`);
const balance = await lean.getDataResults(ready.payload.id);
console.log(`balance: ${balance.payload.balance} ${balance.payload.currency_code}`);
const transactions = await lean.getTransactions({ entity_id: entity.id, account_id: account.account_id });
console.log(`${transactions.payload.transactions.length} transactions`);

const destination = await lean.createPaymentDestination({
  display_name: 'Rent', name: 'Landlord LLC', bank_identifier: 'ENBDAEAD', iban: 'AE070331234567890123456',
});
const intent = await lean.createPaymentIntent({
  customer_id: customer.customer_id, amount: '1250.00', currency: 'AED', payment_destination_id: destination.id,
});
console.log(`payment intent ${intent.payment_intent_id}: ${intent.amount} ${intent.currency}`);

const oauth = new OpenBankingClient(
  { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' },
  { baseUrl: url, tokenBaseUrl: url },
);
await oauth.getCustomer(customer.customer_id);
console.log(`OAuth: token for scope ${oauth.tokenStatus.scope}, renewed from ${oauth.tokenStatus.renewAt.toISOString()}`);

const pem = (name) => readFileSync(join(tlsDir, name));
const mtls = new OpenBankingClient({ appToken: 'sandbox-app-token' }, {
  baseUrl: tlsUrl,
  requireMtls: true,
  tls: { cert: pem('client.pem'), key: pem('client.key'), ca: pem('ca.pem') },
});
console.log(`mTLS: ${(await mtls.getCustomer(customer.customer_id)).customer_id} over ${tlsUrl}`);
server.close();
