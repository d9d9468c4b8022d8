'use strict';
// TCP loopback throughput with posix-ipc/promises on both sides: the peer connects and awaits
// 64 KiB sends, this process awaits accept and recv (GB/s, from the first recv on).
const { CHUNK, count, isPeer, report, need, startPeer, exited, receiveRateAsync } = require('../common');

const p = need('tcp-throughput', 'posix-ipc', ['socket', 'bind', 'listen', 'getsockname', 'close']);
const a = p && need('tcp-throughput', 'posix-ipc/promises', ['accept', 'connect', 'send', 'recv']);
if (a && isPeer()) {
  (async () => {
    const s = p.socket(p.AF_INET, p.SOCK_STREAM | p.SOCK_CLOEXEC);
    await a.connect(s, { family: 'AF_INET', address: '127.0.0.1', port: Number(process.argv[3]) });
    const buf = Buffer.alloc(CHUNK);
    for (let left = Number(process.argv[4]); left > 0; ) left -= await a.send(s, buf, Math.min(left, CHUNK));
    p.close(s);
  })();
} else if (a) {
  (async () => {
    const n = count(2 ** 30);
    const l = p.socket(p.AF_INET, p.SOCK_STREAM | p.SOCK_CLOEXEC);
    p.bind(l, { family: 'AF_INET', address: '127.0.0.1', port: 0 });
    p.listen(l, 128);
    const peer = startPeer(__filename, [p.getsockname(l).port, n]);
    const [c] = await a.accept(l);
    const rate = await receiveRateAsync((buf) => a.recv(c, buf), Buffer.alloc(CHUNK), n);
    p.close(c);
    p.close(l);
    await exited(peer);
    report('tcp-throughput', rate, n);
  })();
}
