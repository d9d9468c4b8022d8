#!/usr/bin/env node
// `npm run test:valgrind`: every native test executable of native/sys under valgrind memcheck,
// failing on any error or definite leak. Uses the suite that `npm run test:native` builds.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const build = path.join(root, 'build-native');
if (spawnSync('valgrind', ['--version']).error) {
  console.error('test:valgrind: valgrind is not installed (apt-get install valgrind)');
  process.exit(1);
}
let r = spawnSync(process.execPath, [path.join(__dirname, 'native-tests.js')], { stdio: 'inherit', cwd: root });
if (r.status !== 0) process.exit(r.status ?? 1);
const tests = fs.readdirSync(build).filter((f) => /^test_\w+$/.test(f)).sort();
let failed = 0;
for (const t of tests) {
  r = spawnSync('valgrind', ['--quiet', '--error-exitcode=99', '--leak-check=full', '--errors-for-leak-kinds=definite',
    '--trace-children=no', '--child-silent-after-fork=yes', path.join(build, t)], { stdio: 'inherit', cwd: build, env: { ...process.env, POSIX_IPC_UNDER_VALGRIND: '1' } });
  const ok = r.status === 0;
  if (!ok) failed++;
  console.log(`${ok ? 'clean' : 'FAILED'}: ${t} under valgrind memcheck`);
}
console.log(`${tests.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
