#!/usr/bin/env node
// Checks that the per-call path allocates nothing on the JavaScript heap: after a warm-up, runs
// 1,000,000 write(1 B) + read(1 B) pairs through posix-ipc with a 1 MB young generation and counts
// the garbage collections (a PerformanceObserver on 'gc' entries) and the heap growth. Anything
// allocated per call, even one 16-byte number, would take tens of collections.
//
// `--module posix-ipc-socket` does the same with send(1 B) + recv(1 B) over an AF_UNIX socketpair.
//
//   node bench/tools/alloc.js [pairs] [--module posix-ipc|posix-ipc-socket|fs]
'use strict';
const { spawnSync } = require('node:child_process');

if (process.argv[2] === 'child') {
  const { PerformanceObserver, constants, performance } = require('node:perf_hooks');
  const v8 = require('node:v8');
  const which = process.argv[4];
  const n = Number(process.argv[3]);
  const b = Buffer.alloc(1);
  let r, w, write, read;
  if (which === 'fs') {
    // Node's own fs on a FIFO, for comparison.
    const fs = require('node:fs');
    const { fifoPair } = require('../common');
    [r, w] = fifoPair();
    write = fs.writeSync;
    read = fs.readSync;
  } else if (which === 'posix-ipc-socket') {
    const p = require('posix-ipc');
    [r, w] = p.socketpair(p.AF_UNIX, p.SOCK_STREAM);
    write = p.send;
    read = p.recv;
  } else {
    const p = require('posix-ipc');
    [r, w] = p.pipe();
    write = p.write;
    read = p.read;
  }
  const loop = (k) => {
    for (let i = 0; i < k; i++) {
      write(w, b);
      read(r, b);
    }
  };
  loop(100000); // warm-up: TurboFan has compiled the loop and the calls inline
  const gcs = { minor: 0, major: 0 };
  let t0 = Infinity;
  let t1 = Infinity;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.startTime < t0 || e.startTime > t1) continue; // only collections during the loop
      if ((e.detail?.kind ?? e.kind) === constants.NODE_PERFORMANCE_GC_MINOR) gcs.minor++;
      else gcs.major++;
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  // What a call allocates lands in the young generation (new_space). The whole heap can also grow
  // by a few hundred KB in old space when an optimizing compile of the loop finishes during it
  // (seen on a loaded machine): that is once, not per call, so only the young generation's growth
  // is the per-call figure.
  const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_used_size ?? 0;
  const before = process.memoryUsage().heapUsed;
  const youngBefore = young();
  t0 = performance.now();
  loop(n);
  t1 = performance.now();
  const after = process.memoryUsage().heapUsed;
  const youngGrowth = young() - youngBefore;
  // The observer's entries arrive asynchronously, a little later.
  setTimeout(() => {
    obs.disconnect();
    process.stdout.write(`${JSON.stringify({ module: which, pairs: n, minorGCs: gcs.minor, majorGCs: gcs.major, heapGrowth: after - before, youngGrowth })}\n`);
  }, 200);
} else {
  const n = Number(process.argv.find((a, i) => i >= 2 && /^\d+$/.test(a)) ?? 1e6);
  const mi = process.argv.indexOf('--module');
  const which = mi > 0 ? process.argv[mi + 1] : 'posix-ipc';
  const r = spawnSync(process.execPath, ['--max-semi-space-size=1', __filename, 'child', String(n), which], { encoding: 'utf8' });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exitCode = r.status ?? 1;
}
