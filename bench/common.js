'use strict';
// Shared helpers of the JavaScript workloads (node/, posix-ipc/, posix-ipc-promises/). Each program
// times its own loop and prints one JSON line: {"workload", "value", "n"}, or {"na": why} when the
// implementation cannot express the workload, or {"pending": calls} when posix-ipc lacks the calls.
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const CHUNK = 64 * 1024;
const WARMUP_TRIPS = 1000;

/** The workload's size: the first argument, else the default. */
function count(fallback) {
  return process.argv[2] !== undefined && process.argv[2] !== 'peer' ? Number(process.argv[2]) : fallback;
}

const isPeer = () => process.argv[2] === 'peer';

function report(workload, value, n) {
  process.stdout.write(`${JSON.stringify({ workload, value, n })}\n`);
}

function na(workload, reason) {
  process.stdout.write(`${JSON.stringify({ workload, na: reason })}\n`);
}

const now = () => Number(process.hrtime.bigint());

/**
 * The module `name` ('posix-ipc', 'posix-ipc/promises'), loaded by its own name as a user loads it,
 * if it exports every function in `calls`; otherwise reports the workload pending and returns null.
 * So a posix-ipc workload runs as it is once the calls it needs land.
 */
function need(workload, name, calls) {
  let mod = null;
  try {
    mod = require(name);
  } catch {
    mod = null;
  }
  const missing = mod ? calls.filter((c) => typeof mod[c] !== 'function') : [`${name} itself`];
  if (missing.length === 0) return mod;
  process.stdout.write(`${JSON.stringify({ workload, pending: `${name}: ${missing.join(', ')}` })}\n`);
  return null;
}

/**
 * Starts `script` again as the peer (argv: 'peer', ...args) with `fds` as its descriptors 3, 4, ...
 * Other descriptors must be close-on-exec, or the peer would hold them too and never see EOF.
 */
function startPeer(script, args, fds = []) {
  return spawn(process.execPath, [script, 'peer', ...args.map(String)], { stdio: ['ignore', 'inherit', 'inherit', ...fds] });
}

/** Resolves when the child has exited (rejects on a failure status). */
function exited(child) {
  return new Promise((resolve, reject) => {
    const done = (code, signal) => (code === 0 ? resolve() : reject(new Error(`peer exited ${code ?? signal}`)));
    if (child.exitCode !== null || child.signalCode !== null) done(child.exitCode, child.signalCode);
    else child.on('exit', done);
  });
}

/**
 * Receives n bytes with `receive(buf)` (a sync read or recv returning the count), timed from the
 * first chunk on. Returns GB/s.
 */
function receiveRate(receive, buf, n) {
  const first = receive(buf);
  const t0 = now();
  let got = first;
  while (got < n) {
    const k = receive(buf);
    if (k <= 0) throw new Error('end of stream before all bytes came');
    got += k;
  }
  return (got - first) / (now() - t0);
}

/** receiveRate for a `receive` that returns a promise. */
async function receiveRateAsync(receive, buf, n) {
  const first = await receive(buf);
  const t0 = now();
  let got = first;
  while (got < n) {
    const k = await receive(buf);
    if (k <= 0) throw new Error('end of stream before all bytes came');
    got += k;
  }
  return (got - first) / (now() - t0);
}

/** Sends n bytes in 64 KiB parts with `send(buf, len)` (a sync write or send returning the count). */
function sendAll(send, n) {
  const buf = Buffer.alloc(CHUNK);
  for (let left = n; left > 0; ) left -= send(buf, Math.min(left, CHUNK));
}

/**
 * A FIFO opened as [readFd, writeFd], both blocking. Node has no pipe(2); a FIFO is the same
 * kernel pipe. Opening it O_RDWR first lets both ends open without waiting for each other.
 */
function fifoPair() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posix-ipc-bench-'));
  const p = path.join(dir, 'fifo');
  execFileSync('mkfifo', [p]);
  const rw = fs.openSync(p, fs.constants.O_RDWR);
  const r = fs.openSync(p, fs.constants.O_RDONLY);
  const w = fs.openSync(p, fs.constants.O_WRONLY);
  fs.closeSync(rw);
  fs.unlinkSync(p);
  fs.rmdirSync(dir);
  return [r, w];
}

/** A socket path in a fresh private directory, and the function that removes the directory. */
function socketPath() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posix-ipc-bench-'));
  return [path.join(dir, 'sock'), () => fs.rmSync(dir, { recursive: true, force: true })];
}

module.exports = {
  CHUNK, WARMUP_TRIPS, count, isPeer, report, na, now, need, startPeer, exited,
  receiveRate, receiveRateAsync, sendAll, fifoPair, socketPath,
};
