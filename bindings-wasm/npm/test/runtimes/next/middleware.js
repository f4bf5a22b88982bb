// Middleware, which runs on the edge runtime, answering Lean webhooks
// itself: `lean-sdk` resolves through its `edge-light` condition. (Next.js
// 16 calls it deprecated in favour of proxy.js, which runs on Node.js.)
import { webhooks } from 'lean-sdk';
import { webhooks as openBankingWebhooks } from 'lean-sdk/openbanking';

export const config = { matcher: '/api/middleware-webhook' };

export function middleware(request) {
  const secret = process.env.LEAN_WEBHOOK_SECRET;
  if (request.headers.has(openBankingWebhooks.SIGNATURE_HEADER)) {
    return openBankingWebhooks.handler({ secret, onEvent: () => {} })(request);
  }
  return webhooks.handler({
    secret,
    onEvent: (event) => Response.json({ received: event.event, totalAmount: event.data.totalAmount }),
  })(request);
}
