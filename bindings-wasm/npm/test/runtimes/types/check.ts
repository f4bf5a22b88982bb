// A TypeScript user of both entries, compiled with `tsc --strict --noEmit`
// under moduleResolution node10, node16 and bundler against the installed
// tarball. The @ts-expect-error lines fail the check if a declaration
// resolved to `any` (or not at all).

import { LeanClient, LeanError, validate, webhooks, type FieldError, type WebhookEvent } from 'lean-sdk';
import { OpenBankingClient, validate as validateOpenBanking, webhooks as openBankingWebhooks } from 'lean-sdk/openbanking';

const problems: FieldError[] = validate('createGig', { partnerUserId: 'uid_1', totalAmount: '15.00' });
const fields: string[] = problems.map((problem) => problem.field);
// @ts-expect-error: not an operation of the payouts API
validate('createInvoice', {});

const handle: (request: Request) => Promise<Response> = webhooks.handler({
  secret: process_env('LEAN_WEBHOOK_SECRET'),
  onEvent: (event: WebhookEvent) => {
    const name: string = event.event;
    console.log(name, fields);
  },
});
// @ts-expect-error: a secret is a string, not a number
webhooks.sign('{}', 42);

const client = new LeanClient({ apiKey: process_env('LEAN_API_KEY'), environment: 'sandbox' });
const openBanking: OpenBankingClient | undefined = undefined;
const obType: string = openBankingWebhooks.constructEvent('{}', 'sha512=00', 'whsec').type;
const obProblems = validateOpenBanking('createPaymentIntent', {});
// @ts-expect-error: the open-banking header, not the payouts one
const header: 'x-lean-signature' = openBankingWebhooks.SIGNATURE_HEADER;

try {
  void client;
} catch (error) {
  if (error instanceof LeanError) console.log(error.code);
}
console.log(handle, openBanking, obType, obProblems.length, header);

/** Without @types/node: the package's declarations need none. */
function process_env(name: string): string {
  return name;
}
