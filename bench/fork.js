#!/usr/bin/env node
// What fork() costs as the JS heap grows, against the other ways to start a process.
// Run after a build: `node bench/fork.js [heapMB...]` (default: 5 200 800). Medians of each.
//
// For each heap size (live objects kept by this script):
//   fork()              the parent's time in fork(): smaps scan, MADV_DOFORK, waiting for the
//                       other threads to sleep, the fork and its check, the restore
//   fork+_exit+wait     a whole round trip with a child that only _exits
//   fork+execvp true    the lectures' fork-then-exec, waited for
//   posix_spawnp true   the C child (no copy of the heap), waited for
//   spawnSync true      Node's child_process, after the forks above: shows MADV_DONTFORK is back
'use strict';
const { spawnSync } = require('node:child_process');
const p = require('..');

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const heaps = sizes.length ? sizes : [5, 200, 800];
const keep = [];

function grow(mb) {
  while (process.memoryUsage().heapUsed < mb * 1048576) {
    const a = new Array(10000);
    for (let i = 0; i < a.length; i++) a[i] = { i, s: `string ${i}` };
    keep.push(a);
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function time(n, fn) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    fn();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(out);
}

function forkOnly() {
  const t = process.hrtime.bigint();
  const pid = p.fork();
  if (pid === 0) p._exit(0);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  p.waitpid(pid);
  return ms;
}

const rows = [];
for (const mb of heaps) {
  grow(mb);
  const n = mb >= 500 ? 15 : 31;
  const spawnBefore = time(n, () => spawnSync('true'));
  const forkMs = median(Array.from({ length: n }, forkOnly));
  const roundTrip = time(n, () => {
    const pid = p.fork();
    if (pid === 0) p._exit(0);
    p.waitpid(pid);
  });
  const forkExec = time(n, () => {
    const pid = p.fork();
    if (pid === 0) {
      try {
        p.execvp('true', ['true']);
      } finally {
        p._exit(127);
      }
    }
    p.waitpid(pid);
  });
  const spawnp = time(n, () => p.waitpid(p.posix_spawnp('true', ['true'])));
  const spawnAfter = time(n, () => spawnSync('true'));
  rows.push({
    heapMB: Math.round(process.memoryUsage().heapUsed / 1048576),
    'fork()': forkMs,
    'fork+_exit+wait': roundTrip,
    'fork+execvp true': forkExec,
    'posix_spawnp true': spawnp,
    'spawnSync true (before forks)': spawnBefore,
    'spawnSync true (after forks)': spawnAfter,
  });
}
console.log(`node ${process.version}, ${require('node:os').cpus().length} cpus; medians in ms`);
console.table(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'heapMB' ? v : Number(v.toFixed(2))]))));
