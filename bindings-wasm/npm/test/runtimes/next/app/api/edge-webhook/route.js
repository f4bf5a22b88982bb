// The same route handler on the edge runtime: `lean-sdk` resolves through
// its `edge-light` condition, whose .wasm is imported as a compiled module.
import { webhooks } from 'lean-sdk';
import { webhooks as openBankingWebhooks } from 'lean-sdk/openbanking';

export const runtime = 'edge';

export async function POST(request) {
  const secret = process.env.LEAN_WEBHOOK_SECRET;
  if (request.headers.has(openBankingWebhooks.SIGNATURE_HEADER)) {
    return openBankingWebhooks.handler({ secret, onEvent: () => {} })(request);
  }
  return webhooks.handler({
    secret,
    onEvent: (event) => Response.json({ received: event.event, totalAmount: event.data.totalAmount }),
  })(request);
}
