#!/usr/bin/env node
// `npm run test:asan`: the native suite and the vitest suite under AddressSanitizer and
// UndefinedBehaviorSanitizer.
//
// 1. native/sys's C++ suite built with -fsanitize=address,undefined (build-asan-native/), run by ctest.
// 2. The addon built the same way by cmake-js into build-asan/, loaded by every test process through
//    POSIX_IPC_ADDON, with the ASan runtime preloaded into Node (LD_PRELOAD), since Node itself is
//    not instrumented. Leak detection is off for Node itself (V8 and Node keep memory until exit
//    on purpose); any other ASan or UBSan report aborts the test process and fails the run.
//    Test files whose forked children run JavaScript are left out (see FORK_JS below).
'use strict';
const { spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
function run(cmd, args, env) {
  console.log(`\n$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env: { ...process.env, ...env } });
  if (r.error) throw r.error;
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const libasan = execFileSync('gcc', ['-print-file-name=libasan.so'], { encoding: 'utf8' }).trim();
if (!fs.existsSync(libasan)) {
  console.error(`test:asan: no ASan runtime (${libasan}); install gcc's libasan`);
  process.exit(1);
}

run(process.execPath, [path.join(__dirname, 'native-tests.js'), '-DPOSIX_IPC_SANITIZE=ON', '--build-dir', 'build-asan-native'], {
  ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=1',
  UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
});

run(process.execPath, [path.join(__dirname, 'nodedir.js'), 'cmake-js', 'rebuild', '--out', 'build-asan', '--debug', '--CDPOSIX_IPC_SANITIZE=ON']);
const addon = ['Debug', 'Release'].map((c) => path.join(root, 'build-asan', c, 'posix_ipc.node')).find((p) => fs.existsSync(p));
if (!addon) {
  console.error('test:asan: the sanitizer build produced no addon');
  process.exit(1);
}

// GCC 12's ASan runtime has no fork interceptor: it does not hold its allocator's locks across
// fork(), so a forked Node child that allocates (V8 compiling a function on its first call does)
// can wait for ever on a lock another thread held at that moment (seen with gdb in the child:
// __asan::Allocator::Allocate -> SizeClassAllocator64::GetFromAllocator -> Mutex::Lock). These
// files fork children that run JavaScript; the fork code itself is checked by the native suite
// above (test_process), a single-threaded program, where fork is safe.
const FORK_JS = ['test/process.test.ts', 'test/fifo.test.ts', 'test/fork-stress.test.ts'];
const vitestArgs = process.argv.slice(2);
if (vitestArgs.length === 0) {
  console.log(`\ntest:asan: not run under ASan (their forked children run JavaScript, and this ASan runtime's allocator is not fork-safe): ${FORK_JS.join(', ')}`);
  for (const f of FORK_JS) vitestArgs.push('--exclude', f);
}
run(process.execPath, [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...vitestArgs], {
  POSIX_IPC_ADDON: addon,
  LD_PRELOAD: libasan,
  ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=1:allow_user_segv_handler=1:handle_segv=0',
  UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
});
console.log('\ntest:asan: clean under AddressSanitizer and UndefinedBehaviorSanitizer');
