// Where this platform's lean-sandbox binary is. The binary ships in its own
// package per platform (as esbuild ships its own), an optional dependency
// that npm installs only where its `os` and `cpu` match.
'use strict';

const path = require('node:path');

/** `${process.platform} ${process.arch}` -> the package carrying its binary. */
const PACKAGES = Object.freeze({
  'linux x64': '@lean-sdk/sandbox-linux-x64',
  'linux arm64': '@lean-sdk/sandbox-linux-arm64',
});

/**
 * The path of the lean-sandbox binary, for a test harness to spawn it
 * directly: a harness that stops its sandbox by signal must signal the
 * binary itself, not a chain of launchers (npx does not pass SIGTERM on).
 * LEAN_SANDBOX_BINARY, when set, wins: a binary built with cargo for a
 * platform without a package. Throws an Error that names the missing
 * package, or the supported platforms.
 */
function binaryPath() {
  if (process.env.LEAN_SANDBOX_BINARY) return process.env.LEAN_SANDBOX_BINARY;
  const platform = `${process.platform} ${process.arch}`;
  const pkg = PACKAGES[platform];
  if (!pkg) {
    const supported = Object.entries(PACKAGES)
      .map(([name, p]) => `${name} (${p})`)
      .join(', ');
    throw new Error(
      `no prebuilt lean-sandbox binary for ${platform}: the packages are ${supported}. ` +
        'Build it with Rust (cargo install --git https://github.com/lean-sdk/lean-sdk lean-sandbox) ' +
        'and set LEAN_SANDBOX_BINARY to its path, or pip install lean-sandbox.',
    );
  }
  let dir;
  try {
    dir = path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    throw new Error(
      `the package ${pkg}, which carries the lean-sandbox binary for ${platform}, is not installed. ` +
        `It is an optional dependency of lean-sandbox: install it (npm install ${pkg}), ` +
        'or reinstall without --omit=optional (--no-optional).',
    );
  }
  return path.join(dir, 'bin', 'lean-sandbox');
}

module.exports = { binaryPath, PACKAGES };
