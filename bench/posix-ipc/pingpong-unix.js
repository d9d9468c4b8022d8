'use strict';
// ping-pong over an AF_UNIX stream socketpair: send 1 byte, the peer (a second Node process, fd 3)
// echoes it back, n times (µs per trip, after 1,000 untimed ones).
const { WARMUP_TRIPS, count, isPeer, report, now, need, startPeer, exited } = require('../common');

const p = need('pingpong-unix', 'posix-ipc', ['socketpair', 'send', 'recv', 'close']);
const b = Buffer.alloc(1);
if (p && isPeer()) {
  while (p.recv(3, b) === 1) p.send(3, b);
} else if (p) {
  const n = count(1e5);
  const [a, other] = p.socketpair(p.AF_UNIX, p.SOCK_STREAM | p.SOCK_CLOEXEC);
  const peer = startPeer(__filename, [], [other]);
  p.close(other);
  const trips = (k) => {
    for (let i = 0; i < k; i++) {
      p.send(a, b);
      if (p.recv(a, b) !== 1) throw new Error('recv: peer closed');
    }
  };
  trips(WARMUP_TRIPS);
  const t0 = now();
  trips(n);
  const t1 = now();
  p.close(a);
  exited(peer).then(() => report('pingpong-unix', (t1 - t0) / n / 1e3, n));
}
