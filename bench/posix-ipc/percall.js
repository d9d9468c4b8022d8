'use strict';
// per-call: one process writes 1 byte then reads 1 byte on a pipe, n times (ns per pair).
const { count, report, now, need } = require('../common');

const p = need('percall', 'posix-ipc', ['pipe', 'read', 'write', 'close']);
if (p) {
  const { pipe, read, write, close } = p;
  const n = count(1e6);
  const [r, w] = pipe();
  const b = Buffer.alloc(1);
  function loop(k) {
    for (let i = 0; i < k; i++) {
      write(w, b);
      read(r, b);
    }
  }
  loop(20000);
  const t0 = now();
  loop(n);
  const t1 = now();
  close(r);
  close(w);
  report('percall', (t1 - t0) / n, n);
}
