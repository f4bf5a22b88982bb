// Bundles the JS layer around the wasm-bindgen output (`pkg/`, made by
// ../build.sh) into dist/: ESM and CommonJS for Node, ESM for browsers, and
// ESM for Workers and edge runtimes that import the wasm file as a module
// (`.wasm` for workerd, `.wasm?module` for Next.js and Vercel Edge). One
// wasm file serves them all. The declarations are the hand-written
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

/**
 * Leaves `import wasmModule from 'lean-sdk:wasm'` (src/worker.js) in the
 * bundle as an import of `file`, the wasm file next to it, for the
 * runtime's bundler to compile at deploy time.
 */
const wasmImport = (file) => ({
  name: 'lean-sdk-wasm-import',
  setup(b) {
    b.onResolve({ filter: /^lean-sdk:wasm$/ }, () => ({ path: file, external: true }));
  },
});

/**
 * Lets the glue's `initSync` take a compiled module from another realm: the
 * Next.js edge sandbox hands out modules compiled outside its own context,
 * which fail `instanceof WebAssembly.Module` there, and the glue would then
 * try to compile them from bytes. `WebAssembly.Instance` accepts them; only
 * the test is widened, to the module's own tag.
 */
const foreignModules = {
  name: 'lean-sdk-foreign-wasm-modules',
  setup(b) {
    b.onLoad({ filter: /[\\/]pkg[\\/]lean_sdk_wasm(_openbanking)?\.js$/ }, (args) => {
      const test = 'if (!(module instanceof WebAssembly.Module)) {';
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(test)) throw new Error(`${args.path}: the glue's initSync no longer reads \`${test}\``);
      const widened = "if (!(module instanceof WebAssembly.Module) && Object.prototype.toString.call(module) !== '[object WebAssembly.Module]') {";
      return { contents: text.replace(test, widened), loader: 'js' };
    });
  },
};

/** The Workers (`workerd`, `worker`) and edge (`edge-light`) bundles of `entry`. */
async function workerBundles(entry, name, wasm) {
  for (const [suffix, query] of [['worker', ''], ['edge', '?module']]) {
    await build({
      ...common,
      entryPoints: [entry],
      outfile: `dist/${name}.${suffix}.mjs`,
      format: 'esm',
      platform: 'browser',
      plugins: [wasmImport(`./${wasm}${query}`), foreignModules],
      // The glue's fallback (fetch the wasm next to it) is never called
      // here; without `import.meta.url` bundlers do not copy the file as an
      // asset for it.
      define: { 'import.meta.url': 'undefined' },
    });
  }
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
await workerBundles('src/worker.js', 'index', 'lean_sdk_wasm_bg.wasm');
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
await workerBundles('src/openbanking/worker.js', 'openbanking', 'lean_sdk_wasm_openbanking_bg.wasm');
copyFileSync('pkg/lean_sdk_wasm_openbanking_bg.wasm', 'dist/lean_sdk_wasm_openbanking_bg.wasm');
declarations('openbanking', 'src/openbanking/index.d.ts', {
  './index.js': './index.cjs',
  './openbanking-types.js': './openbanking-types.cjs',
});
declarations('openbanking-types', 'pkg/openbanking-types.d.ts');
