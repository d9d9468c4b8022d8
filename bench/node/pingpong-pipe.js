'use strict';
// ping-pong with fs.writeSync/fs.readSync over two FIFOs between two Node processes: write 1
// byte, the peer echoes it back, n times (µs per trip, after 1,000 untimed ones).
const fs = require('node:fs');
const { WARMUP_TRIPS, count, isPeer, report, now, fifoPair, startPeer, exited } = require('../common');

const b = Buffer.alloc(1);
if (isPeer()) {
  while (fs.readSync(3, b) === 1) fs.writeSync(4, b);
} else {
  const n = count(1e5);
  const [downR, downW] = fifoPair();
  const [upR, upW] = fifoPair();
  const peer = startPeer(__filename, [], [downR, upW]);
  fs.closeSync(downR);
  fs.closeSync(upW);
  const trips = (k) => {
    for (let i = 0; i < k; i++) {
      fs.writeSync(downW, b);
      if (fs.readSync(upR, b) !== 1) throw new Error('read: end of file');
    }
  };
  trips(WARMUP_TRIPS);
  const t0 = now();
  trips(n);
  const t1 = now();
  fs.closeSync(downW);
  fs.closeSync(upR);
  exited(peer).then(() => report('pingpong-pipe', (t1 - t0) / n / 1e3, n));
}
