'use strict';
// ping-pong with net over an AF_UNIX stream socket between two Node processes (Node has no
// socketpair; net is how Node talks AF_UNIX): send 1 byte, the peer echoes it, n times (µs per
// trip, after 1,000 untimed ones).
const net = require('node:net');
const { WARMUP_TRIPS, count, isPeer, report, now, startPeer, exited, socketPath } = require('../common');

if (isPeer()) {
  const s = net.connect(process.argv[3]);
  s.on('data', (d) => s.write(d));
  s.on('end', () => s.end());
} else {
  const n = count(1e5);
  const [path, cleanup] = socketPath();
  const b = Buffer.from('x');
  let peer;
  const server = net.createServer((s) => {
    let i = -WARMUP_TRIPS;
    let t0 = 0;
    s.on('data', (d) => {
      // A chunk may hold more than one byte only if two were in flight; there is one at a time.
      i += d.length;
      if (i === 0) t0 = now();
      if (i < n) {
        s.write(b);
        return;
      }
      const t1 = now();
      s.end();
      server.close();
      cleanup();
      exited(peer).then(() => report('pingpong-unix', (t1 - t0) / n / 1e3, n));
    });
    s.write(b);
  });
  server.listen(path, () => {
    peer = startPeer(__filename, [path]);
  });
}
