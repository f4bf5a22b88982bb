// Entry point of `lean-sdk/openbanking` for Node.js (bundled to ESM and
// CommonJS): instantiates the open-banking wasm module synchronously from
// the file next to this one, and adds the mTLS transport on node:https.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as bindings from '../../pkg/lean_sdk_wasm_openbanking.js';
import { install } from '../wasm.js';
import { useMtls } from './client.js';
import { createMtlsFetch } from './mtls.js';

// As in ../node.js: the file's URL in the form bundlers recognise.
const file =
  // eslint-disable-next-line no-undef
  LEAN_MODULE_FORMAT === 'cjs'
    ? join(__dirname, 'lean_sdk_wasm_openbanking_bg.wasm')
    : new URL('./lean_sdk_wasm_openbanking_bg.wasm', import.meta.url);
bindings.initSync({ module: readFileSync(file) });
install(bindings);
useMtls(createMtlsFetch);

export * from './api.js';
export { createMtlsFetch };
