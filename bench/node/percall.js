'use strict';
// per-call with Node's own fs.writeSync/fs.readSync on a FIFO (the kernel's pipe): ns per pair.
const fs = require('node:fs');
const { count, report, now, fifoPair } = require('../common');

const n = count(1e6);
const [r, w] = fifoPair();
const b = Buffer.alloc(1);
function loop(k) {
  for (let i = 0; i < k; i++) {
    fs.writeSync(w, b);
    fs.readSync(r, b);
  }
}
loop(20000);
const t0 = now();
loop(n);
const t1 = now();
fs.closeSync(r);
fs.closeSync(w);
report('percall', (t1 - t0) / n, n);
