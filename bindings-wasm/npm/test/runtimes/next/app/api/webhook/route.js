// A Next.js route handler receiving Lean webhooks on the Node.js runtime.
import { webhooks } from 'lean-sdk';

export const POST = webhooks.handler({
  secret: process.env.LEAN_WEBHOOK_SECRET,
  onEvent: (event) => Response.json({ received: event.event, totalAmount: event.data.totalAmount }),
});
