// Bundles the JS layer around the wasm-bindgen output (`pkg/`, made by
// ../build.sh) into dist/: ESM and CommonJS for Node, ESM for browsers.
// One wasm file serves all three. The declarations are the hand-written
// ones of src/ and those ../build.sh generated from the core into pkg/.

import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

/**
 * Writes declarations as `dist/<name>.d.ts`, and as `<name>.d.cts` for
 * CommonJS with the relative imports in `cjs` renamed to their CommonJS
 * siblings.
 */
function declarations(name, source, cjs = {}) {
  const text = readFileSync(source, 'utf8');
  writeFileSync(`dist/${name}.d.ts`, text);
  let forCjs = text;
  for (const [from, to] of Object.entries(cjs)) forCjs = forCjs.replaceAll(`from '${from}'`, `from '${to}'`);
  writeFileSync(`dist/${name}.d.cts`, forCjs);
}

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
declarations('index', 'src/index.d.ts', { './core-types.js': './core-types.cjs' });
declarations('core-types', 'pkg/core-types.d.ts');

// lean-sdk/openbanking: its own bundles around its own wasm module, so the
// main entry never loads it. The error classes are shared at run time (see
// src/errors.js); the declarations re-export the main entry's.
const openbanking = { ...common, entryPoints: ['src/openbanking/node.js'], platform: 'node' };
await build({ ...openbanking, outfile: 'dist/openbanking.mjs', format: 'esm', define: { LEAN_MODULE_FORMAT: '"esm"' } });
await build({
  ...openbanking,
  outfile: 'dist/openbanking.cjs',
  format: 'cjs',
  define: { LEAN_MODULE_FORMAT: '"cjs"', 'import.meta.url': 'undefined' },
});
await build({
  ...common,
  entryPoints: ['src/openbanking/browser.js'],
  outfile: 'dist/openbanking.browser.mjs',
  format: 'esm',
  platform: 'browser',
});
copyFileSync('pkg/lean_sdk_wasm_openbanking_bg.wasm', 'dist/lean_sdk_wasm_openbanking_bg.wasm');
declarations('openbanking', 'src/openbanking/index.d.ts', {
  './index.js': './index.cjs',
  './openbanking-types.js': './openbanking-types.cjs',
});
declarations('openbanking-types', 'pkg/openbanking-types.d.ts');
