'use strict';
// pipe throughput with posix-ipc/promises on both sides: the peer awaits 64 KiB writes, this process
// awaits reads (GB/s, from the first read on).
const { CHUNK, count, isPeer, report, need, startPeer, exited, receiveRateAsync } = require('../common');

const p = need('pipe-throughput', 'posix-ipc', ['pipe2', 'close']);
const a = p && need('pipe-throughput', 'posix-ipc/promises', ['read', 'write']);
if (a && isPeer()) {
  (async () => {
    const buf = Buffer.alloc(CHUNK);
    for (let left = Number(process.argv[3]); left > 0; ) left -= await a.write(3, buf, Math.min(left, CHUNK));
  })();
} else if (a) {
  (async () => {
    const n = count(2 ** 30);
    const [r, w] = p.pipe2(p.O_CLOEXEC);
    const peer = startPeer(__filename, [n], [w]);
    p.close(w);
    const rate = await receiveRateAsync((buf) => a.read(r, buf), Buffer.alloc(CHUNK), n);
    p.close(r);
    await exited(peer);
    report('pipe-throughput', rate, n);
  })();
}
