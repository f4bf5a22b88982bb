// Middleware, which runs on the edge runtime, answering Lean webhooks
// itself. (Next.js 16 calls it deprecated in favour of proxy.js, which
// runs on Node.js.)
import { answerWebhook } from './lean-webhooks.js';

export const config = { matcher: '/api/middleware-webhook' };

export function middleware(request) {
  return answerWebhook(request);
}
