'use strict';
// ping-pong with posix-ipc/promises on both sides over a pipe pair (µs per trip, after 1,000
// untimed ones).
const { WARMUP_TRIPS, count, isPeer, report, now, need, startPeer, exited } = require('../common');

const p = need('pingpong-pipe', 'posix-ipc', ['pipe2', 'close']);
const a = p && need('pingpong-pipe', 'posix-ipc/promises', ['read', 'write']);
const b = Buffer.alloc(1);
if (a && isPeer()) {
  (async () => {
    while ((await a.read(3, b)) === 1) await a.write(4, b);
  })();
} else if (a) {
  (async () => {
    const n = count(1e5);
    const [downR, downW] = p.pipe2(p.O_CLOEXEC);
    const [upR, upW] = p.pipe2(p.O_CLOEXEC);
    const peer = startPeer(__filename, [], [downR, upW]);
    p.close(downR);
    p.close(upW);
    const trips = async (k) => {
      for (let i = 0; i < k; i++) {
        await a.write(downW, b);
        if ((await a.read(upR, b)) !== 1) throw new Error('read: end of file');
      }
    };
    await trips(WARMUP_TRIPS);
    const t0 = now();
    await trips(n);
    const t1 = now();
    p.close(downW);
    p.close(upR);
    await exited(peer);
    report('pingpong-pipe', (t1 - t0) / n / 1e3, n);
  })();
}
