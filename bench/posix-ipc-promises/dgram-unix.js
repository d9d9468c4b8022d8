'use strict';
// AF_UNIX datagrams with posix-ipc/promises on both sides over a SOCK_DGRAM socketpair (datagrams
// per second, from the first recv on).
const { count, isPeer, report, now, need, startPeer, exited } = require('../common');

const p = need('dgram-unix', 'posix-ipc', ['socketpair', 'close']);
const a = p && need('dgram-unix', 'posix-ipc/promises', ['send', 'recv']);
const buf = Buffer.alloc(64);
if (a && isPeer()) {
  (async () => {
    const n = Number(process.argv[3]);
    for (let i = 0; i < n; i++) await a.send(3, buf);
  })();
} else if (a) {
  (async () => {
    const n = count(500000);
    const [s, other] = p.socketpair(p.AF_UNIX, p.SOCK_DGRAM | p.SOCK_CLOEXEC);
    const peer = startPeer(__filename, [n], [other]);
    p.close(other);
    await a.recv(s, buf);
    const t0 = now();
    for (let i = 1; i < n; i++) {
      if ((await a.recv(s, buf)) !== 64) throw new Error('short datagram');
    }
    const t1 = now();
    p.close(s);
    await exited(peer);
    report('dgram-unix', (n - 1) / ((t1 - t0) / 1e9), n);
  })();
}
