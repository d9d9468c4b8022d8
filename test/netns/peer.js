#!/usr/bin/env node
// One end of the two-namespace test (test/netns.test.ts), run inside a network namespace.
//   node peer.js server ADDRESS          listens on ADDRESS:0, prints "listening PORT", then
//                                        echoes what it receives until the connection ends
//   node peer.js client ADDRESS PORT MODE TIMEOUT_MS
//                                        connects with TCP_USER_TIMEOUT = TIMEOUT_MS, checks one
//                                        echo, prints "connected", waits for a line on stdin (the
//                                        test cuts the link meanwhile), then makes one call that
//                                        blocks (MODE: recv, send, promise-recv, connect) and
//                                        prints { outcome, ms }: the error code (or what it
//                                        returned) and how long it blocked.
'use strict';
const fs = require('node:fs');
const p = require('posix-ipc');
const promises = require('posix-ipc/promises');

const [role, address, port, mode, timeoutMs] = process.argv.slice(2);

if (role === 'server') {
  const l = p.socket(p.AF_INET, p.SOCK_STREAM);
  p.bind(l, { family: 'AF_INET', address, port: 0 });
  p.listen(l, 4);
  console.log(`listening ${p.getsockname(l).port}`);
  const buf = Buffer.alloc(65536);
  for (;;) {
    const [c] = p.accept(l);
    try {
      for (let n; (n = p.recv(c, buf)) > 0; ) p.send(c, buf.subarray(0, n));
    } catch {
      /* the connection is gone */
    }
    p.close(c);
  }
}

function connectTo() {
  const fd = p.socket(p.AF_INET, p.SOCK_STREAM);
  p.setsockopt(fd, p.IPPROTO_TCP, p.TCP_USER_TIMEOUT, Number(timeoutMs));
  p.connect(fd, { family: 'AF_INET', address, port: Number(port) });
  return fd;
}

async function client() {
  const fd = connectTo();
  const buf = Buffer.alloc(1 << 20);
  p.send(fd, 'hello');
  if (p.recv(fd, buf) !== 5) throw new Error('no echo');
  console.log('connected');
  fs.readSync(0, Buffer.alloc(16)); // the test cuts the link, then writes a line
  const t0 = Date.now();
  let outcome;
  try {
    if (mode === 'recv') {
      p.send(fd, 'ping'); // unacknowledged from now on
      outcome = `recv returned ${p.recv(fd, buf)}`;
    } else if (mode === 'promise-recv') {
      p.send(fd, 'ping');
      outcome = `recv resolved ${await promises.recv(fd, buf)}`;
    } else if (mode === 'send') {
      for (;;) p.send(fd, buf); // fills the send buffer, then blocks
    } else if (mode === 'connect') {
      connectTo(); // the SYN is never answered
      outcome = 'connected';
    }
  } catch (e) {
    if (!(e instanceof p.SyscallError)) throw e;
    outcome = e.code;
  }
  console.log(JSON.stringify({ outcome, ms: Date.now() - t0 }));
  process.exit(0);
}
if (role === 'client') client();
