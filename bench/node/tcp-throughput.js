'use strict';
// TCP loopback throughput with net between two Node processes: the peer writes n bytes in 64 KiB
// writes (waiting for 'drain' when told to), this process counts them (GB/s, from the first chunk).
const net = require('node:net');
const { CHUNK, count, isPeer, report, now, startPeer, exited } = require('../common');

if (isPeer()) {
  const port = Number(process.argv[3]);
  let left = Number(process.argv[4]);
  const buf = Buffer.alloc(CHUNK);
  const s = net.connect(port, '127.0.0.1', function pump() {
    while (left > 0) {
      const k = Math.min(left, CHUNK);
      left -= k;
      if (!s.write(k === CHUNK ? buf : buf.subarray(0, k))) {
        s.once('drain', pump);
        return;
      }
    }
    s.end();
  });
} else {
  const n = count(2 ** 30);
  let peer;
  const server = net.createServer((s) => {
    let got = 0;
    let first = 0;
    let t0 = 0;
    s.on('data', (d) => {
      if (got === 0) {
        first = d.length;
        t0 = now();
      }
      got += d.length;
      if (got >= n) {
        const t1 = now();
        s.destroy();
        server.close();
        exited(peer).then(() => report('tcp-throughput', (got - first) / (t1 - t0), n));
      }
    });
  });
  server.listen(0, '127.0.0.1', () => {
    peer = startPeer(__filename, [server.address().port, n]);
  });
}
