// Entry point for Cloudflare Workers and Vercel Edge (the `workerd`,
// `worker` and `edge-light` export conditions). These runtimes refuse to
// compile WebAssembly from bytes at run time; they compile the `.wasm` when
// the code is deployed, and an `import` of it yields the compiled
// `WebAssembly.Module`. build.mjs bundles this file twice, once per
// spelling of that import (LEAN_WASM_IMPORT): `./x.wasm` for Wrangler,
// workerd and the Cloudflare Vite plugin, `./x.wasm?module` for Next.js and
// Vercel's edge bundlers.
//
// The module is instantiated synchronously (no top-level await, which edge
// bundlers do not all accept), as the glue already does to replace an
// instance after a trap.

import wasmModule from 'lean-sdk:wasm';
import * as bindings from '../pkg/lean_sdk_wasm.js';
import { install } from './wasm.js';

bindings.initSync({ module: wasmModule });
install(bindings);

export * from './api.js';
