#!/usr/bin/env node
// The `lean-sandbox` command of the npm package: runs this platform's
// binary (see ../index.js) with the same arguments and standard streams,
// passes on the signals that stop it, and exits as it exited.
'use strict';

const { spawn } = require('node:child_process');
const { binaryPath } = require('../index.js');

function fail(message) {
  process.stderr.write(`lean-sandbox: ${message}\n`);
  process.exit(1);
}

let binary;
try {
  binary = binaryPath();
} catch (error) {
  fail(error.message);
}
const child = spawn(binary, process.argv.slice(2), { stdio: 'inherit' });

// The sandbox is a server: stopping this launcher must stop it too.
const forwarded = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const forward = (signal) => child.kill(signal);
for (const signal of forwarded) process.on(signal, forward);

child.on('error', (error) => fail(`cannot run ${binary}: ${error.message}`));

child.on('exit', (code, signal) => {
  if (signal) {
    // End by the same signal, so that the caller sees what the binary saw.
    for (const s of forwarded) process.removeListener(s, forward);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code);
});
