// Entry point of `lean-sdk/openbanking` for browsers and bundlers: fetches
// and compiles the open-banking wasm module next to this file before the
// module finishes loading. There is no mTLS transport here: a browser
// presents client certificates itself (installed in the browser or the
// OS), so `createMtlsFetch` only explains that.

import init, * as bindings from '../../pkg/lean_sdk_wasm_openbanking.js';
import { LeanError } from '../errors.js';
import { install } from '../wasm.js';

await init({ module_or_path: new URL('./lean_sdk_wasm_openbanking_bg.wasm', import.meta.url) });
install(bindings);

export * from './api.js';

/** Not available in browsers: the browser presents client certificates itself. */
export function createMtlsFetch() {
  throw new LeanError(
    'createMtlsFetch is for Node.js: in a browser, the browser presents the client certificate installed in it (or in the OS)',
    { code: 'configuration' },
  );
}
