// The defaults, but with the build out of the cached tools' reach.
export default { logLevel: 'warn', build: { outDir: 'dist', emptyOutDir: true } };
