#!/usr/bin/env node
// The descriptor table full of sockets (run under a low `ulimit -n`): every call that needs a new
// descriptor fails with EMFILE, nothing is half-made, and each works again once one is closed.
// Prints one JSON line with what each step saw.
'use strict';
const p = require('posix-ipc');
const promises = require('posix-ipc/promises');

const code = (f) => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return e.code;
  }
};
const loopback = { family: 'AF_INET', address: '127.0.0.1', port: 0 };

async function main() {
  const out = {};
  // A listener with a client waiting in its queue, made while there is room.
  const listener = p.socket(p.AF_INET, p.SOCK_STREAM);
  p.bind(listener, loopback);
  p.listen(listener, 8);
  const client = p.socket(p.AF_INET, p.SOCK_STREAM);
  p.connect(client, p.getsockname(listener));
  const [idleA, idleB] = p.socketpair(p.AF_UNIX, p.SOCK_STREAM); // nothing to read: a promise would wait

  // Fill the table with sockets.
  const held = [];
  try {
    for (;;) held.push(p.socket(p.AF_INET, p.SOCK_STREAM));
  } catch (e) {
    out.socket = e.code;
  }
  out.held = held.length;
  out.socketpair = code(() => p.socketpair(p.AF_UNIX, p.SOCK_STREAM));
  out.accept = code(() => p.accept(listener)); // the connection stays queued
  out.pipe = code(() => p.pipe());
  // A promise call that has to wait needs a descriptor of its own (its readiness set).
  out.promiseRead = await promises.read(idleA, Buffer.alloc(1)).then(() => 'resolved', (e) => e.code);
  out.promisePoll = await promises.poll([{ fd: idleA, events: p.POLLIN }], 50).then((n) => `resolved ${n}`, (e) => e.code);

  // Recovery: one descriptor free, and the queued connection is accepted and talks.
  p.close(held.pop());
  const [server] = p.accept(listener);
  p.send(client, 'hi');
  const buf = Buffer.alloc(2);
  p.recv(server, buf);
  out.afterClose = buf.toString();
  p.close(held.pop());
  p.close(held.pop());
  const waiting = promises.read(idleA, Buffer.alloc(1));
  p.send(idleB, 'x');
  out.promiseReadAfter = await waiting;

  for (const fd of [...held, listener, client, server, idleA, idleB]) p.close(fd);
  console.log(JSON.stringify(out));
}
main();
