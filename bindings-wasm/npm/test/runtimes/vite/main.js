// A payout form checked in the browser with the server's own rules, before
// anything is sent: lean-sdk (and lean-sdk/openbanking) bundled by Vite,
// each .wasm emitted as an asset of the production build.

import { validate } from 'lean-sdk';
import { validate as validateOpenBanking } from 'lean-sdk/openbanking';

const form = Object.fromEntries(new FormData(document.querySelector('#gig')));
const gig = { ...form, tips: '0.00', expenses: '0.00', description: 'Gig payout', gigId: 'gig_1',
  startTime: '2021-03-01T21:04:04', endTime: '2021-03-01T21:31:05' };
const problems = [
  ...validate('createGig', gig),
  ...validateOpenBanking('createPaymentIntent', { customer_id: 'c-1', amount: '10.00' }),
];
document.querySelector('#result').textContent = problems.map((p) => `${p.field} ${p.code}`).join('; ');
document.body.dataset.checked = 'true';
