'use strict';
// ping-pong with posix-ipc/promises on both sides over an AF_UNIX stream socketpair (µs per trip).
const { WARMUP_TRIPS, count, isPeer, report, now, need, startPeer, exited } = require('../common');

const p = need('pingpong-unix', 'posix-ipc', ['socketpair', 'close']);
const a = p && need('pingpong-unix', 'posix-ipc/promises', ['send', 'recv']);
const b = Buffer.alloc(1);
if (a && isPeer()) {
  (async () => {
    while ((await a.recv(3, b)) === 1) await a.send(3, b);
  })();
} else if (a) {
  (async () => {
    const n = count(1e5);
    const [s, other] = p.socketpair(p.AF_UNIX, p.SOCK_STREAM | p.SOCK_CLOEXEC);
    const peer = startPeer(__filename, [], [other]);
    p.close(other);
    const trips = async (k) => {
      for (let i = 0; i < k; i++) {
        await a.send(s, b);
        if ((await a.recv(s, b)) !== 1) throw new Error('recv: peer closed');
      }
    };
    await trips(WARMUP_TRIPS);
    const t0 = now();
    await trips(n);
    const t1 = now();
    p.close(s);
    await exited(peer);
    report('pingpong-unix', (t1 - t0) / n / 1e3, n);
  })();
}
