// The webhook receiver of the edge route handler and of the middleware:
// Lean webhooks of either API, told apart by their signature header. On the
// edge runtime `lean-sdk` resolves through its `edge-light` condition,
// whose .wasm is imported as a compiled module.
import { webhooks } from 'lean-sdk';
import { webhooks as openBankingWebhooks } from 'lean-sdk/openbanking';

/** Verifies a payouts or open-banking webhook and answers it. */
export function answerWebhook(request) {
  const secret = process.env.LEAN_WEBHOOK_SECRET;
  if (request.headers.has(openBankingWebhooks.SIGNATURE_HEADER)) {
    return openBankingWebhooks.handler({ secret, onEvent: () => {} })(request);
  }
  return webhooks.handler({
    secret,
    onEvent: (event) => Response.json({ received: event.event, totalAmount: event.data.totalAmount }),
  })(request);
}
