// Entry point for Node.js (bundled to ESM and CommonJS): instantiates the
// wasm module synchronously from the file next to this one, so that
// `require('lean-sdk')` works as well as `import`.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as bindings from '../pkg/lean_sdk_wasm.js';
import { install } from './wasm.js';

const WASM = 'lean_sdk_wasm_bg.wasm';
// build.mjs defines LEAN_MODULE_FORMAT per bundle (a global __dirname may
// exist in ESM too, e.g. under `node -e`, so it cannot be sniffed).
// eslint-disable-next-line no-undef
const here = LEAN_MODULE_FORMAT === 'cjs' ? __dirname : fileURLToPath(new URL('.', import.meta.url));
bindings.initSync({ module: readFileSync(join(here, WASM)) });
install(bindings);

export * from './api.js';
