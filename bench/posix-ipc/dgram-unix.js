'use strict';
// AF_UNIX datagrams: the peer (a second Node process, fd 3) sends n 64-byte datagrams over a
// SOCK_DGRAM socketpair; this process receives them (datagrams per second, from the first recv on).
const { count, isPeer, report, now, need, startPeer, exited } = require('../common');

const p = need('dgram-unix', 'posix-ipc', ['socketpair', 'send', 'recv', 'close']);
const buf = Buffer.alloc(64);
if (p && isPeer()) {
  const n = Number(process.argv[3]);
  for (let i = 0; i < n; i++) p.send(3, buf);
} else if (p) {
  const n = count(500000);
  const [a, other] = p.socketpair(p.AF_UNIX, p.SOCK_DGRAM | p.SOCK_CLOEXEC);
  const peer = startPeer(__filename, [n], [other]);
  p.close(other);
  p.recv(a, buf);
  const t0 = now();
  for (let i = 1; i < n; i++) {
    if (p.recv(a, buf) !== 64) throw new Error('short datagram');
  }
  const t1 = now();
  p.close(a);
  exited(peer).then(() => report('dgram-unix', (n - 1) / ((t1 - t0) / 1e9), n));
}
