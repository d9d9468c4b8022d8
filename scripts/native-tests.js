#!/usr/bin/env node
// The native test suite of native/sys: configure with CMake (-DPOSIX_IPC_TESTS=ON), build, and run
// every test with ctest. No Node headers are involved. Extra arguments go to CMake's configure step,
// e.g. `node scripts/native-tests.js -DPOSIX_IPC_SANITIZE=ON --build-dir build-asan`.
'use strict';
const { spawnSync } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
let buildDir = path.join(root, 'build-native');
const i = args.indexOf('--build-dir');
if (i >= 0) {
  buildDir = path.resolve(root, args[i + 1]);
  args.splice(i, 2);
}

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { stdio: 'inherit', cwd: root });
  if (r.error) {
    console.error(`${cmd}: ${r.error.message}`);
    process.exit(1);
  }
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const jobs = String(Math.max(1, os.availableParallelism ? os.availableParallelism() : os.cpus().length));
run('cmake', ['-S', root, '-B', buildDir, '-DPOSIX_IPC_TESTS=ON', '-DCMAKE_BUILD_TYPE=Debug', ...args]);
run('cmake', ['--build', buildDir, '-j', jobs]);
run('ctest', ['--test-dir', buildDir, '--output-on-failure', '-j', jobs]);
