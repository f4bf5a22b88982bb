// A Cloudflare Worker receiving Lean webhooks, bundled by esbuild with the
// `workerd` condition (so `lean-sdk` imports its .wasm files as compiled
// modules) and run by workerd from config.capnp.

import { webhooks } from 'lean-sdk';
import { webhooks as openBankingWebhooks } from 'lean-sdk/openbanking';

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === '/webhooks/lean') {
      return webhooks.handler({
        secret: env.LEAN_WEBHOOK_SECRET,
        onEvent: (event) => Response.json({ received: event.event, totalAmount: event.data.totalAmount }),
      })(request);
    }
    if (pathname === '/webhooks/openbanking') {
      return openBankingWebhooks.handler({ secret: env.LEAN_WEBHOOK_SECRET, onEvent: () => {} })(request);
    }
    return new Response('not found', { status: 404 });
  },
};
