// Entry point for Node.js (bundled to ESM and CommonJS): instantiates the
// wasm module synchronously from the file next to this one, so that
// `require('lean-sdk')` works as well as `import`.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as bindings from '../pkg/lean_sdk_wasm.js';
import { install } from './wasm.js';

// build.mjs defines LEAN_MODULE_FORMAT per bundle (a global __dirname may
// exist in ESM too, e.g. under `node -e`, so it cannot be sniffed). The ESM
// build names the file as `new URL('./file', import.meta.url)`, the form
// bundlers of server code (Next.js's Turbopack and webpack) recognise: they
// copy the file and point the URL at the copy.
const file =
  // eslint-disable-next-line no-undef
  LEAN_MODULE_FORMAT === 'cjs' ? join(__dirname, 'lean_sdk_wasm_bg.wasm') : new URL('./lean_sdk_wasm_bg.wasm', import.meta.url);
bindings.initSync({ module: readFileSync(file) });
install(bindings);

export * from './api.js';
