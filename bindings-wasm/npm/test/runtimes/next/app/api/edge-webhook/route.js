// The same route handler on the edge runtime, for webhooks of both APIs.
import { answerWebhook } from '../../../lean-webhooks.js';

export const runtime = 'edge';

export function POST(request) {
  return answerWebhook(request);
}
