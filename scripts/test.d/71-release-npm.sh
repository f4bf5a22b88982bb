#!/usr/bin/env bash
# The npm tarball as users get it (npm pack, as scripts/release npm does),
# installed by npm into fresh projects on the runtimes they use:
# - TypeScript: a user file importing lean-sdk and lean-sdk/openbanking
#   compiles with tsc --strict under moduleResolution node10, node16 (ESM and
#   CommonJS) and bundler;
# - Node.js 24, Debian sid's nodejs in a chroot: the smoke script (a gig
#   validated, a webhook signed and verified, an open-banking webhook
#   parsed), by import and by require;
# - Cloudflare workerd: a Worker bundled by esbuild with the workerd
#   condition (the .wasm files as compiled modules) answers a signed webhook
#   200 and a tampered one 400, for both entries;
# - Vite: a page that checks a form with both entries, loaded in headless
#   Chromium from a production build (vite preview) and from the dev server;
# - Next.js, built by Turbopack and by webpack, then next start: App Router
#   route handlers on the Node.js and edge runtimes and middleware answer a
#   signed webhook 200 and a tampered one 400; a client component checks a
#   form in headless Chromium.
# The tools (workerd, Vite, Next.js, React; pinned by
# bindings-wasm/npm/test/runtimes/package-lock.json) are installed once
# under $LEAN_CACHE/npm-release/tools and reused; the fresh projects are
# made inside it on each run (only Next.js's build cache is kept). Servers
# listen on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
source bindings-wasm/scripts/env.sh

LEAN_CACHE=${LEAN_CACHE:-$HOME/.cache/lean-sdk}
export LEAN_CACHE
SID=$LEAN_CACHE/chroot-sid-amd64
RUNTIMES=bindings-wasm/npm/test/runtimes
export LEAN_TOOLS_DIR=$LEAN_CACHE/npm-release/tools
export LEAN_DIST=${CARGO_TARGET_DIR:-$PWD/target}/release-npm-test
version=$(workspace_version)

need npm:npm debootstrap:debootstrap
node_toolchain
node_browser

# One run at a time uses the tools (and the projects' directories, and
# Next.js's build cache): another one waits here.
mkdir -p "$LEAN_TOOLS_DIR"
exec 9>"$LEAN_TOOLS_DIR/.lock"
flock 9

# The runtimes and frameworks, installed again only when their lock changes.
if ! cmp -s "$RUNTIMES/package-lock.json" "$LEAN_TOOLS_DIR/package-lock.json" ||
  [ ! -d "$LEAN_TOOLS_DIR/node_modules" ]; then
  step "release-npm: install workerd, Vite and Next.js into $LEAN_TOOLS_DIR (once)"
  rm -rf "$LEAN_TOOLS_DIR/node_modules" "$LEAN_TOOLS_DIR/package-lock.json"
  cp "$RUNTIMES/package.json" "$RUNTIMES/package-lock.json" "$LEAN_TOOLS_DIR/"
  (cd "$LEAN_TOOLS_DIR" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error)
fi

# Node.js 24 from Debian sid, in a chroot made once.
sid_node_works() {
  [ -x "$SID/usr/bin/node" ] &&
    chroot "$SID" /usr/bin/node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 24 ? 0 : 1)' 2>/dev/null
}
if ! sid_node_works; then
  debian_root "$SID" sid nodejs
  sid_node_works || die "no Node.js 24 or newer in $SID"
fi
export LEAN_NODE_ROOT=$SID
LEAN_CHROMIUM=$(node_chromium)
export LEAN_CHROMIUM

# The package is built again (as scripts/release npm does) unless its build
# is newer than everything it is built from: after the node or release part,
# this packs what they built.
built=bindings-wasm/npm/dist/index.mjs
if [ ! -f "$built" ] || [ -n "$(find Cargo.toml Cargo.lock core/Cargo.toml core/src bindings-wasm/Cargo.toml \
  bindings-wasm/src bindings-wasm/boundary bindings-wasm/openbanking bindings-wasm/build.sh \
  bindings-wasm/npm/src bindings-wasm/npm/build.mjs bindings-wasm/npm/package.json -newer "$built" -print -quit)" ]; then
  step "release-npm: build the package"
  bindings-wasm/build.sh
fi
step "release-npm: npm pack"
rm -rf "$LEAN_DIST"
mkdir -p "$LEAN_DIST"
(cd bindings-wasm/npm && npm pack --silent --pack-destination "$LEAN_DIST" >/dev/null)
export LEAN_TARBALL=$LEAN_DIST/lean-sdk-$version.tgz
[ -f "$LEAN_TARBALL" ] || die "npm pack wrote no $(basename "$LEAN_TARBALL")"
echo "$(basename "$LEAN_TARBALL"): $(wc -c < "$LEAN_TARBALL") bytes"

export LEAN_WORK=$LEAN_TOOLS_DIR/work
mkdir -p "$LEAN_WORK"
for check in types node workerd vite next; do
  case $check in
    types) step "release-npm: TypeScript declarations (tsc --strict, three module resolutions)" ;;
    node) step "release-npm: Node.js of Debian sid (chroot)" ;;
    workerd) step "release-npm: Cloudflare workerd" ;;
    vite) step "release-npm: Vite (production build, dev server) in headless Chromium" ;;
    next) step "release-npm: Next.js app (next build, next start; Turbopack, webpack)" ;;
  esac
  started=$SECONDS
  node "$RUNTIMES/run.mjs" "$check"
  echo "($check: $((SECONDS - started)) s)"
done
step "release-npm: all checks passed"
