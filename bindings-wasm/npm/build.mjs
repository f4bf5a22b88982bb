// Bundles the JS layer around the wasm-bindgen output (`pkg/`, made by
// ../build.sh) into dist/: ESM and CommonJS for Node, ESM for browsers.
// One wasm file serves all three.

import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
const common = { bundle: true, logLevel: 'warning', legalComments: 'none', target: 'es2022' };
await build({
  ...common,
  entryPoints: ['src/node.js'],
  outfile: 'dist/index.mjs',
  format: 'esm',
  platform: 'node',
  define: { LEAN_MODULE_FORMAT: '"esm"' },
});
await build({
  ...common,
  entryPoints: ['src/node.js'],
  outfile: 'dist/index.cjs',
  format: 'cjs',
  platform: 'node',
  // The CommonJS build finds the wasm file through __dirname.
  define: { LEAN_MODULE_FORMAT: '"cjs"', 'import.meta.url': 'undefined' },
});
await build({ ...common, entryPoints: ['src/browser.js'], outfile: 'dist/browser.mjs', format: 'esm', platform: 'browser' });
copyFileSync('pkg/lean_sdk_wasm_bg.wasm', 'dist/lean_sdk_wasm_bg.wasm');
copyFileSync('src/index.d.ts', 'dist/index.d.ts');
copyFileSync('src/index.d.ts', 'dist/index.d.cts');
