'use strict';
// pipe throughput: the peer (a second Node process, given the write end as fd 3) writes n bytes in
// 64 KiB writes; this process reads them (GB/s, from the first read on).
const { CHUNK, count, isPeer, report, need, startPeer, exited, receiveRate, sendAll } = require('../common');

const p = need('pipe-throughput', 'posix-ipc', ['pipe2', 'read', 'write', 'close']);
if (p && isPeer()) {
  sendAll((buf, len) => p.write(3, buf, len), Number(process.argv[3]));
} else if (p) {
  const n = count(2 ** 30);
  const [r, w] = p.pipe2(p.O_CLOEXEC);
  const peer = startPeer(__filename, [n], [w]);
  p.close(w);
  const rate = receiveRate((buf) => p.read(r, buf), Buffer.alloc(CHUNK), n);
  p.close(r);
  exited(peer).then(() => report('pipe-throughput', rate, n));
}
