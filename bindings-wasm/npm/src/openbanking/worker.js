// Entry point of `lean-sdk/openbanking` for Cloudflare Workers and Vercel
// Edge (the `workerd`, `worker` and `edge-light` conditions): imports the
// precompiled open-banking module, as ../worker.js does for the payouts
// one. There is no built-in mTLS transport: on Workers, an mTLS certificate
// binding's `fetch` is the transport (`new OpenBankingClient({ fetch:
// env.LEAN_MTLS.fetch.bind(env.LEAN_MTLS) })`).

import wasmModule from 'lean-sdk:wasm';
import * as bindings from '../../pkg/lean_sdk_wasm_openbanking.js';
import { LeanError } from '../errors.js';
import { install } from '../wasm.js';

bindings.initSync({ module: wasmModule });
install(bindings);

export * from './api.js';

/** Not available on Workers and edge runtimes: pass the platform's mTLS `fetch` instead. */
export function createMtlsFetch() {
  throw new LeanError(
    'createMtlsFetch is for Node.js: on Workers and edge runtimes, pass the fetch of the platform\'s mTLS certificate binding as the fetch option',
    { code: 'configuration' },
  );
}
