# Helpers of the npm package's scripts (scripts/test.d/30-node.sh,
# scripts/demo.d/30-node.sh). Source it after scripts/lib.sh, from the
# repository root.

# The wasm-bindgen version pinned in bindings-wasm/Cargo.toml: the CLI that
# writes the JS glue must be exactly the library's version.
wasm_bindgen_version() {
  sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"$/\1/p' bindings-wasm/Cargo.toml
}

# Installs what building and testing the package needs, skipping what is
# already there: the wasm32 target, the wasm-bindgen CLI and the npm dev
# dependencies (esbuild, typescript, binaryen's wasm-opt, express, zod,
# playwright-core).
node_toolchain() {
  ensure_rust_components
  command -v node >/dev/null || die "node is missing: install Node.js 20 or newer"
  rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
  local want
  want=$(wasm_bindgen_version)
  [ -n "$want" ] || die "no exact wasm-bindgen version in bindings-wasm/Cargo.toml"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    step "node: install wasm-bindgen-cli $want (a few minutes, once)"
    cargo install wasm-bindgen-cli --version "$want"
  fi
  if [ ! -d bindings-wasm/npm/node_modules ] || [ bindings-wasm/npm/package-lock.json -nt bindings-wasm/npm/node_modules/.package-lock.json ]; then
    (cd bindings-wasm/npm && npm ci --no-audit --no-fund)
  fi
}

# Installs Debian's Chromium for the browser test, unless it is there.
node_browser() {
  if [ -z "$(node_chromium)" ]; then
    step "node: install Chromium for the browser test"
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && apt-get install -y -qq chromium >/dev/null
    else
      sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null
    fi
  fi
}

# The Chromium binary, if installed.
node_chromium() {
  command -v chromium || command -v chromium-browser || true
}

# Prints the size of each built .wasm (lean-sdk's, and lean-sdk/openbanking's
# own), raw and gzipped.
node_sizes() {
  local wasm
  for wasm in bindings-wasm/npm/dist/lean_sdk_wasm_bg.wasm bindings-wasm/npm/dist/lean_sdk_wasm_openbanking_bg.wasm; do
    echo "$(basename "$wasm"): $(wc -c < "$wasm") bytes, $(gzip -9c "$wasm" | wc -c) bytes gzipped"
  done
}
