// Entry point for browsers and bundlers: fetches and compiles the wasm
// module next to this file (bundlers recognise `new URL(..., import.meta.url)`
// as an asset) before the module finishes loading.

import init, * as bindings from '../pkg/lean_sdk_wasm.js';
import { install } from './wasm.js';

await init({ module_or_path: new URL('./lean_sdk_wasm_bg.wasm', import.meta.url) });
install(bindings);

export * from './api.js';
