'use strict';
// ping-pong over a pipe pair: write 1 byte, the peer (a second Node process, fds 3 and 4) echoes it
// back, n times (µs per trip, after 1,000 untimed ones).
const { WARMUP_TRIPS, count, isPeer, report, now, need, startPeer, exited } = require('../common');

const p = need('pingpong-pipe', 'posix-ipc', ['pipe2', 'read', 'write', 'close']);
const b = Buffer.alloc(1);
if (p && isPeer()) {
  while (p.read(3, b) === 1) p.write(4, b);
} else if (p) {
  const n = count(1e5);
  const [downR, downW] = p.pipe2(p.O_CLOEXEC);
  const [upR, upW] = p.pipe2(p.O_CLOEXEC);
  const peer = startPeer(__filename, [], [downR, upW]);
  p.close(downR);
  p.close(upW);
  const trips = (k) => {
    for (let i = 0; i < k; i++) {
      p.write(downW, b);
      if (p.read(upR, b) !== 1) throw new Error('read: end of file');
    }
  };
  trips(WARMUP_TRIPS);
  const t0 = now();
  trips(n);
  const t1 = now();
  p.close(downW);
  p.close(upR);
  exited(peer).then(() => report('pingpong-pipe', (t1 - t0) / n / 1e3, n));
}
