'use strict';
// TCP loopback throughput: the peer (a second Node process) connects to 127.0.0.1 and sends n bytes
// in 64 KiB sends; this process receives them (GB/s, from the first recv on).
const { CHUNK, count, isPeer, report, need, startPeer, exited, receiveRate, sendAll } = require('../common');

const p = need('tcp-throughput', 'posix-ipc', ['socket', 'bind', 'listen', 'accept', 'connect', 'send', 'recv', 'getsockname', 'close']);
if (p && isPeer()) {
  const s = p.socket(p.AF_INET, p.SOCK_STREAM | p.SOCK_CLOEXEC);
  p.connect(s, { family: 'AF_INET', address: '127.0.0.1', port: Number(process.argv[3]) });
  sendAll((buf, len) => p.send(s, buf, len), Number(process.argv[4]));
  p.close(s);
} else if (p) {
  const n = count(2 ** 30);
  const l = p.socket(p.AF_INET, p.SOCK_STREAM | p.SOCK_CLOEXEC);
  p.bind(l, { family: 'AF_INET', address: '127.0.0.1', port: 0 });
  p.listen(l, 128);
  const peer = startPeer(__filename, [p.getsockname(l).port, n]);
  const [c] = p.accept(l);
  const rate = receiveRate((buf) => p.recv(c, buf), Buffer.alloc(CHUNK), n);
  p.close(c);
  p.close(l);
  exited(peer).then(() => report('tcp-throughput', rate, n));
}
