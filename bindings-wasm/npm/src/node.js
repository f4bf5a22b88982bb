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
// bundlers recognise: Turbopack copies it next to a Next.js route handler's
// server code. Where a bundler makes it a public path instead (webpack; the
// server rendering of client components), the README has Next.js leave the
// package to Node.js (serverExternalPackages).
const file =
  // eslint-disable-next-line no-undef
  LEAN_MODULE_FORMAT === 'cjs' ? join(__dirname, 'lean_sdk_wasm_bg.wasm') : new URL('./lean_sdk_wasm_bg.wasm', import.meta.url);
bindings.initSync({ module: readFileSync(file) });
install(bindings);

export * from './api.js';
