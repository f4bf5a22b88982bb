// next, react and react-dom are installed once in the cached tools project
// that holds this app's directory: its root is the workspace root. For
// webpack builds, lean-sdk is left to Node.js on the Node.js runtime (see
// the package README): webpack rewrites the URL of its .wasm file into a
// public path that cannot be read from disk.
const root = process.env.LEAN_TOOLS_DIR;
export default {
  turbopack: { root },
  outputFileTracingRoot: root,
  serverExternalPackages: process.env.LEAN_NEXT_BUNDLER === 'webpack' ? ['lean-sdk'] : [],
};
