'use strict';
// pipe throughput with fs.writeSync/fs.readSync on a FIFO between two Node processes: the peer
// writes n bytes in 64 KiB writes, this process reads them (GB/s, from the first read on).
const fs = require('node:fs');
const { CHUNK, count, isPeer, report, fifoPair, startPeer, exited, receiveRate, sendAll } = require('../common');

if (isPeer()) {
  sendAll((buf, len) => fs.writeSync(3, buf, 0, len), Number(process.argv[3]));
} else {
  const n = count(2 ** 30);
  const [r, w] = fifoPair();
  const peer = startPeer(__filename, [n], [w]);
  fs.closeSync(w);
  const rate = receiveRate((buf) => fs.readSync(r, buf), Buffer.alloc(CHUNK), n);
  fs.closeSync(r);
  exited(peer).then(() => report('pipe-throughput', rate, n));
}
