#!/usr/bin/env node
// Calls of posix-ipc/promises wait on descriptors in one thread; another thread closes those
// descriptors with posix-ipc's close. `node thread-close.js WHO [N]` with WHO:
//   worker-closes   the main thread waits (read on N pipes), a worker_threads worker closes them
//   main-closes     a worker waits (read on N pipes), the main thread closes them
//   worker-closes-poll  the main thread waits in poll() on a pipe; a worker closes it
// Prints one JSON line: { outcomes: { EBADF: n, ... }, ms }, outcome 'pending' for a call that had
// not settled 3 s after the closes. poll's outcome is its result and the entry's revents.
'use strict';
const { Worker } = require('node:worker_threads');
const p = require('posix-ipc');
const promises = require('posix-ipc/promises');

const who = process.argv[2];
const count = Number(process.argv[3] ?? 1);
const pipes = Array.from({ length: count }, () => p.pipe());
const readEnds = pipes.map(([r]) => r);
const settle = (promise) => promise.then((n) => `resolved ${n}`, (e) => e.code || e.name);

function report(outcomes, t0) {
  const tally = {};
  for (const o of outcomes) tally[o] = (tally[o] ?? 0) + 1;
  console.log(JSON.stringify({ outcomes: tally, ms: Date.now() - t0 }));
  for (const [, w] of pipes) p.close(w);
  // A call left pending holds the event loop (it is waiting): leave without it.
  process.exit(0);
}

/** Resolves with the outcomes, 'pending' for those not settled within 3 s from now. */
function within3s(settled) {
  const timeout = new Promise((resolve) => setTimeout(() => resolve('pending'), 3000));
  return Promise.all(settled.map((s) => Promise.race([s, timeout])));
}

const closer = `
  const p = require('posix-ipc');
  const { parentPort, workerData } = require('node:worker_threads');
  for (const fd of workerData) p.close(fd);
  parentPort.postMessage('closed');`;

if (who === 'worker-closes' || who === 'worker-closes-poll') {
  let settled;
  if (who === 'worker-closes') {
    settled = readEnds.map((r) => settle(promises.read(r, Buffer.alloc(16))));
  } else {
    const entry = { fd: readEnds[0], events: p.POLLIN };
    settled = [promises.poll([entry]).then((n) => `poll ${n} revents ${entry.revents === p.POLLNVAL ? 'POLLNVAL' : entry.revents}`, (e) => e.code)];
  }
  const worker = new Worker(closer, { eval: true, workerData: readEnds });
  worker.once('message', async () => {
    const t0 = Date.now();
    report(await within3s(settled), t0);
  });
} else {
  const worker = new Worker(`
    const promises = require('posix-ipc/promises');
    const { parentPort, workerData } = require('node:worker_threads');
    const settled = workerData.map((fd) => promises.read(fd, Buffer.alloc(16)).then((n) => 'resolved ' + n, (e) => e.code || e.name));
    parentPort.postMessage('waiting');
    Promise.all(settled).then((outcomes) => parentPort.postMessage(outcomes));`, { eval: true, workerData: readEnds });
  worker.once('message', () => {
    for (const r of readEnds) p.close(r);
    const t0 = Date.now();
    const timer = setTimeout(() => report(readEnds.map(() => 'pending'), t0), 3000);
    worker.once('message', (outcomes) => {
      clearTimeout(timer);
      report(outcomes, t0);
    });
  });
}
