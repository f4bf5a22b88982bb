// next, react and react-dom are installed once in the cached tools project
// that holds this app's directory: its root is the workspace root.
// lean-sdk is a server external package, as its README says: on the Node.js
// runtime Next.js then loads it as Node.js does (its bundlers would turn the
// URL of its .wasm into a public path when rendering client components).
const root = process.env.LEAN_TOOLS_DIR;
export default {
  turbopack: { root },
  outputFileTracingRoot: root,
  serverExternalPackages: ['lean-sdk'],
};
