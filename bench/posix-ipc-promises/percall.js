'use strict';
// per-call with posix-ipc/promises: await write(1 byte), await read(1 byte) on a pipe, n times
// (ns per pair). Data is always there, so this is the cost of the promise path itself.
const { count, report, now, need } = require('../common');

const p = need('percall', 'posix-ipc', ['pipe', 'close']);
const a = p && need('percall', 'posix-ipc/promises', ['read', 'write']);
if (a) {
  const n = count(1e6);
  const [r, w] = p.pipe();
  const b = Buffer.alloc(1);
  const loop = async (k) => {
    for (let i = 0; i < k; i++) {
      await a.write(w, b);
      await a.read(r, b);
    }
  };
  (async () => {
    await loop(20000);
    const t0 = now();
    await loop(n);
    const t1 = now();
    p.close(r);
    p.close(w);
    report('percall', (t1 - t0) / n, n);
  })();
}
