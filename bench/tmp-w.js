const p = require('posix-ipc'); const a = require('posix-ipc/promises');
const [x, y] = p.socketpair(p.AF_UNIX, p.SOCK_STREAM);
const b = Buffer.alloc(1);
(async () => {
  const N = 400000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) { const r = a.recv(x, b); p.send(y, b); await r; }
  console.log('wait', Number(process.hrtime.bigint() - t0) / N);
})();
