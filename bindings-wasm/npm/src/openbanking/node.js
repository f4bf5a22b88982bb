// Entry point of `lean-sdk/openbanking` for Node.js (bundled to ESM and
// CommonJS): instantiates the open-banking wasm module synchronously from
// the file next to this one, and adds the mTLS transport on node:https.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as bindings from '../../pkg/lean_sdk_wasm_openbanking.js';
import { install } from '../wasm.js';
import { useMtls } from './client.js';
import { createMtlsFetch } from './mtls.js';

const WASM = 'lean_sdk_wasm_openbanking_bg.wasm';
// eslint-disable-next-line no-undef
const here = LEAN_MODULE_FORMAT === 'cjs' ? __dirname : fileURLToPath(new URL('.', import.meta.url));
bindings.initSync({ module: readFileSync(join(here, WASM)) });
install(bindings);
useMtls(createMtlsFetch);

export * from './api.js';
export { createMtlsFetch };
