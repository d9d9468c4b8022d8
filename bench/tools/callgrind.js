#!/usr/bin/env node
// Instructions per iteration of a workload, by function, from callgrind: runs the program at two
// sizes and subtracts, so start-up and warm-up cancel out. Instruction counts are repeatable on a
// noisy machine where times are not; they count user space only (the kernel's side of a system
// call is not in them).
//
//   node bench/tools/callgrind.js [--top 30] [--small 100000] [--large 300000] -- node bench/posix-ipc/percall.js
//
// The program takes its iteration count as its last argument.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(name);
  return i >= 0 && i < argv.indexOf('--') ? Number(argv[i + 1]) : def;
};
const sep = argv.indexOf('--');
if (sep < 0) {
  console.error('usage: callgrind.js [--top N] [--small N] [--large N] -- program args...');
  process.exit(2);
}
const cmd = argv.slice(sep + 1);
const top = opt('--top', 30);
const small = opt('--small', 100000);
const large = opt('--large', 300000);

function profile(n) {
  const out = path.join(os.tmpdir(), `posix-ipc-cg-${process.pid}-${n}.out`);
  const r = spawnSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, ...cmd, String(n)], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(r.stderr);
    process.exit(1);
  }
  const a = spawnSync('callgrind_annotate', ['--threshold=100', out], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
  fs.unlinkSync(out);
  const fns = new Map();
  let total = 0;
  for (const line of a.split('\n')) {
    const m = /^\s*([\d,]+)\s+\([^)]*\)\s+(.*)$/.exec(line);
    if (!m) continue;
    const v = Number(m[1].replace(/,/g, ''));
    if (m[2].includes('PROGRAM TOTALS')) total = v;
    else fns.set(m[2], (fns.get(m[2]) ?? 0) + v);
  }
  return { total, fns };
}

const a = profile(small);
const b = profile(large);
const per = (x, y) => (y - x) / (large - small);
console.log(`${cmd.join(' ')}: ${per(a.total, b.total).toFixed(1)} instructions per iteration`);
const rows = [...new Set([...a.fns.keys(), ...b.fns.keys()])]
  .map((k) => [per(a.fns.get(k) ?? 0, b.fns.get(k) ?? 0), k])
  .filter(([v]) => v >= 0.5)
  .sort((x, y) => y[0] - x[0])
  .slice(0, top);
for (const [v, k] of rows) console.log(`${v.toFixed(1).padStart(8)}  ${k.replace(/^\?\?\?:/, '').slice(0, 140)}`);
