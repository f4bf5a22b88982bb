// As the package README advises: the dev server serves lean-sdk as it is
// instead of pre-bundling it, so that the URL of its .wasm stays next to it.
// A production build needs nothing.
export default { logLevel: 'warn', optimizeDeps: { exclude: ['lean-sdk'] } };
