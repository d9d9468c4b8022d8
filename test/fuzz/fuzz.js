#!/usr/bin/env node
// Hostile-argument fuzzer: calls every exported function of posix-ipc, posix-ipc/raw and
// posix-ipc/promises with generated argument lists, and checks each call returns, or throws (or
// rejects with) TypeError, RangeError, SyscallError or AbortError — never anything else, never a
// crash. Run in a child process: `node test/fuzz/fuzz.js --seed N --calls N --out result.json`.
//
// Safety: the fuzzer runs with its stdio on /dev/null, in a scratch directory, and never hands a
// function a descriptor Node or posix-ipc uses for itself (the event loop's epoll and eventfd, the
// promises module's readiness sets...), a pid other than a reaped child of its own (and kill() not
// even that one: by then its pid may belong to any other process), a path outside the scratch
// directory, or a program that exists (posix_spawnp); blocking calls only ever see non-blocking
// descriptors (re-set before each call) and short poll timeouts. _exit and execvp are never called
// with valid arguments (they would end the fuzzer); their argument checks are exercised with wrong
// types only. fork takes no argument, so no argument stops it: it is never called.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const seed = Number(opt('seed', String(Date.now() % 2 ** 31))) >>> 0;
const totalCalls = Number(opt('calls', '20000'));
const out = opt('out', '');
// --log FILE: each call's module and name, written before the call (to find a call that hangs).
const log = opt('log', '');
const logFd = log ? fs.openSync(log, 'w') : -1;

// mulberry32: small, seeded, good enough to pick arguments.
let state = seed || 1;
function rand() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(rand() * list.length)];
const chance = (p) => rand() < p;

const sync = require('posix-ipc');
const raw = require('posix-ipc/raw');
let promises = null;
try {
  promises = require('posix-ipc/promises');
} catch {
  promises = null;
}
const C = sync;

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'posix-ipc-fuzz-'));
process.chdir(scratch);

// Descriptors Node uses: never touched.
const nodeFds = new Set(fs.readdirSync('/proc/self/fd').map(Number));
for (const fd of [0, 1, 2]) nodeFds.delete(fd); // on /dev/null: harmless

// The pool: descriptors the fuzzer owns, all non-blocking.
const pool = [];
function refill() {
  while (pool.length < 12) {
    try {
      const kind = pick(['pipe', 'pipe', 'socketpair', 'udp', 'tcp']);
      if (kind === 'pipe') pool.push(...sync.pipe2(C.O_NONBLOCK));
      else if (kind === 'socketpair' && sync.socketpair) pool.push(...sync.socketpair(C.AF_UNIX, C.SOCK_STREAM | C.SOCK_NONBLOCK));
      else if (kind === 'udp' && sync.socket) pool.push(sync.socket(C.AF_INET, C.SOCK_DGRAM | C.SOCK_NONBLOCK));
      else if (kind === 'tcp' && sync.socket) pool.push(sync.socket(C.AF_INET, C.SOCK_STREAM | C.SOCK_NONBLOCK));
      else pool.push(...sync.pipe2(C.O_NONBLOCK));
    } catch {
      break;
    }
  }
}
const closedFds = [];
// Descriptors posix-ipc and Node open for themselves while the fuzzer runs are not the fuzzer's
// either, and are never handed to a function: the promises module's readiness sets, pidfds and
// eventfds (anon inodes), and files a threadpool thread reads (getaddrinfo's /etc/hosts...).
// Closing one would close it under its owner (libuv aborts on a readiness set closed before it
// was registered).
const scratchReal = fs.realpathSync(scratch);
function foreign(fd) {
  let target;
  try {
    target = fs.readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return false; // not open: no one's
  }
  return target.startsWith('anon_inode:') || (target.startsWith('/') && !target.startsWith(scratchReal));
}
function ownFds() {
  return new Set(fs.readdirSync('/proc/self/fd').map(Number).filter((fd) => !nodeFds.has(fd) && fd > 2 && !foreign(fd)));
}
// Before each call: every descriptor the fuzzer owns is non-blocking again (a fuzzed fcntl may
// have cleared it), and any the fuzzer did not open (a fuzzed dup, accept, socket...) joins the pool.
function prepare() {
  // 0-2 are /dev/null, or whatever a fuzzed dup2 put there: non-blocking too.
  for (const fd of [0, 1, 2]) {
    try { sync.fcntl(fd, C.F_SETFL, C.O_NONBLOCK); } catch { /* closed by a fuzzed close */ }
  }
  const mine = ownFds();
  for (const fd of mine) {
    if (!pool.includes(fd)) pool.push(fd);
    try {
      sync.fcntl(fd, C.F_SETFL, C.O_NONBLOCK);
    } catch {
      /* not ours any more */
    }
  }
  for (let i = pool.length - 1; i >= 0; i--) {
    if (!mine.has(pool[i])) {
      closedFds.push(pool[i]);
      pool.splice(i, 1);
    }
  }
  if (pool.length > 64) {
    for (const fd of pool.splice(0, pool.length - 32)) {
      try { sync.close(fd); } catch { /* gone */ }
      closedFds.push(fd);
    }
  }
  if (closedFds.length > 32) closedFds.splice(0, closedFds.length - 32);
  refill();
}

// A reaped child's pid: kill() and waitpid() may only ever see that one, or nonsense.
let deadPid = 0x3ffffff0;
try {
  const { spawnSync } = require('node:child_process');
  deadPid = spawnSync('true').pid || deadPid;
} catch { /* keep the improbable pid */ }

// Values.
const numbers = [0, -0, 1, -1, 2, 7, 64, 4096, 65535, 65536, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 32, 2 ** 53, -(2 ** 53), 1.5, -1.5, 1e-9, NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE];
function detachedView() {
  const ab = new ArrayBuffer(8);
  const view = new Uint8Array(ab);
  structuredClone(ab, { transfer: [ab] }); // detaches ab under the view
  return view;
}
function buffer() {
  const n = pick([0, 1, 7, 64, 1024, 70000]);
  switch (Math.floor(rand() * 9)) {
    case 0: return Buffer.alloc(n);
    case 1: return new Uint8Array(n);
    case 2: return Buffer.alloc(n + 8).subarray(4, 4 + n);
    case 3: return new DataView(new ArrayBuffer(n + 4), 2, n);
    case 4: return new Float64Array(Math.ceil(n / 8));
    case 5: return new Uint8Array(new SharedArrayBuffer(n + 1));
    case 6: return detachedView();
    case 7: return new Uint16Array(new ArrayBuffer(16), 2, 3);
    default: return Buffer.from('hello fuzz');
  }
}
function fdValue() {
  if (chance(0.7) && pool.length) return pick(pool);
  return pick([...closedFds, -1, 999999, 2 ** 31 - 1, 0, 1, 2, ...closedFds]);
}
function stringValue() {
  return pick(['', 'a', 'abc', 'a\0b', '\0abstract', '\0', 'x'.repeat(200), 'y'.repeat(5000), 'é€😀', '127.0.0.1', '::1', '1.2.3.999', 'localhost', 'fifo-' + Math.floor(rand() * 4), path.join(scratch, 's' + Math.floor(rand() * 4)), 'nonexistent-program-xyz', '80', 'http']);
}
function addressValue() {
  const fam = pick(['AF_UNIX', 'AF_INET', 'AF_INET6', 'AF_BOGUS', 1, undefined]);
  const o = { family: fam };
  if (chance(0.8)) o.path = pick([stringValue(), path.join(scratch, 'u' + Math.floor(rand() * 3)), 42]);
  if (chance(0.8)) o.address = pick(['127.0.0.1', '::1', '0.0.0.0', '1.2.3.999', '', 'localhost', 7, '::ffff:127.0.0.1']);
  if (chance(0.8)) o.port = pick([0, 1, 65535, 65536, -1, NaN, 1.5, '80']);
  if (chance(0.2)) o.flowinfo = pick(numbers);
  if (chance(0.2)) o.scopeid = pick(numbers);
  return o;
}
function anyValue(depth = 0) {
  switch (Math.floor(rand() * 14)) {
    case 0: case 1: return pick(numbers);
    case 2: return fdValue();
    case 3: return stringValue();
    case 4: case 5: return buffer();
    case 6: return addressValue();
    case 7: return pick([null, undefined, true, false]);
    case 8: return pick([1n, -1n, 2n ** 70n]);
    case 9: return Symbol('fuzz');
    case 10: return () => 1;
    case 11: return depth > 1 ? [] : [anyValue(depth + 1), anyValue(depth + 1)];
    case 12: return depth > 1 ? {} : { fd: fdValue(), events: pick([C.POLLIN, C.POLLOUT, 0, -1, 1.5, 'x']), revents: anyValue(depth + 1) };
    default: return new ArrayBuffer(4);
  }
}
const gen = {
  fd: fdValue,
  buf: buffer,
  data: () => (chance(0.3) ? stringValue() : buffer()),
  num: () => pick(numbers),
  flags: () => pick([0, C.O_NONBLOCK, C.O_CLOEXEC, C.O_NONBLOCK | C.O_CLOEXEC, 1, -1, 0x7fffffff, C.MSG_DONTWAIT ?? 64, C.MSG_PEEK ?? 2]),
  cmd: () => pick([C.F_GETFL, C.F_SETFL, C.F_GETFD, C.F_SETFD, C.F_GETPIPE_SZ, C.F_SETPIPE_SZ, C.F_DUPFD, 5, -1, 1000]),
  path: () => pick([path.join(scratch, 'p' + Math.floor(rand() * 4)), 'fifo-' + Math.floor(rand() * 3), '', 'a\0b', 'x'.repeat(5000), '/nonexistent/dir/file']),
  addr: addressValue,
  domain: () => pick([C.AF_UNIX, C.AF_INET, C.AF_INET6, C.AF_UNSPEC, 12345, -1]),
  type: () => pick([C.SOCK_STREAM, C.SOCK_DGRAM, C.SOCK_SEQPACKET, (C.SOCK_STREAM | C.SOCK_NONBLOCK), 99, -1]),
  how: () => pick([C.SHUT_RD, C.SHUT_WR, C.SHUT_RDWR, 3, -1]),
  level: () => pick([C.SOL_SOCKET, C.IPPROTO_TCP, 0, -1, 9999]),
  optname: () => pick([C.SO_REUSEADDR, C.SO_RCVBUF, C.SO_SNDBUF, C.SO_ERROR, C.SO_TYPE, C.TCP_NODELAY, C.SO_LINGER ?? 13, 9999]),
  optval: () => pick([0, 1, true, false, 65536, -1, NaN, 'x']),
  timeout: () => pick([0, 1, 5, -0, NaN, 1.5, 'x', 2 ** 31]),
  pollfds: () => Array.from({ length: pick([0, 1, 3]) }, () => ({ fd: fdValue(), events: pick([C.POLLIN, C.POLLOUT, C.POLLIN | C.POLLOUT, 0]) })),
  pid: () => pick([deadPid, 0x3ffffff0]),
  waitopts: () => C.WNOHANG ?? 1,
  signal: () => pick([0, 'SIGUSR2', 'SIGBOGUS', -1, 999, 1.5]),
  str: stringValue,
  strs: () => pick([[], ['nonexistent-program-xyz'], ['a', 'b'], [1, 2], 'notarray', ['a\0b']]),
  family: () => pick([C.AF_INET, C.AF_INET6, C.AF_UNIX, -1, 99]),
  bytes: () => pick([new Uint8Array(4), new Uint8Array(16), new Uint8Array(3), Buffer.from([127, 0, 0, 1])]),
  u16: () => pick([0, 1, 80, 65535, 65536, -1, 1.5, NaN]),
  u32: () => pick([0, 1, 2 ** 32 - 1, 2 ** 32, -1, NaN]),
  hints: () => pick([undefined, {}, { flags: C.AI_NUMERICHOST ?? 4, family: C.AF_INET }, { family: 'x' }, null, 5]),
  spawnfileNames: ['nonexistent-program-xyz', '', 'a\0b', '/nonexistent/bin'],
  spawnfile: () => pick(gen.spawnfileNames),
  actions: () => pick([undefined, {}, { close: [fdValue()] }, { dup2: [[fdValue(), fdValue()]] }, { chdir: '/nonexistent' }, { env: { A: 'b' } }, { env: 5 }, 'x']),
  abort: () => { const c = new AbortController(); if (chance(0.5)) c.abort(); return { signal: c.signal }; },
};

// What each argument position expects (API.md); fuzzing mostly follows it and sometimes not.
// Functions that must never run with valid arguments here (_exit, execvp) get `danger`; one that
// no argument can stop (fork: it takes none) gets `never` and is not called at all.
const sigs = {
  read: ['fd', 'buf', 'num'], write: ['fd', 'data', 'num'], close: ['fd'],
  pipe: [], pipe2: ['flags'],
  fork: 'never', _exit: 'danger', execvp: 'danger',
  waitpid: ['pid', 'waitopts'], posix_spawnp: ['spawnfile', 'strs', 'actions'],
  getpid: [], getppid: [], kill: ['pid', 'signal'],
  mkfifo: ['path', 'num'], open: ['path', 'flags', 'num'], unlink: ['path'],
  socket: ['domain', 'type', 'num'], socketpair: ['domain', 'type', 'num'],
  bind: ['fd', 'addr'], listen: ['fd', 'num'], accept: ['fd'], connect: ['fd', 'addr'],
  send: ['fd', 'data', 'num', 'flags'], recv: ['fd', 'buf', 'num', 'flags'],
  sendto: ['fd', 'data', 'num', 'flags', 'addr'], recvfrom: ['fd', 'buf', 'num', 'flags'],
  shutdown: ['fd', 'how'],
  getaddrinfo: ['str', 'str', 'hints'], getsockname: ['fd'], getpeername: ['fd'],
  inet_pton: ['family', 'str'], inet_ntop: ['family', 'bytes'],
  htons: ['u16'], ntohs: ['u16'], htonl: ['u32'], ntohl: ['u32'],
  dup: ['fd'], dup2: ['fd', 'fd'], fcntl: ['fd', 'cmd', 'num'],
  setsockopt: ['fd', 'level', 'optname', 'optval'], getsockopt: ['fd', 'level', 'optname'],
  poll: ['pollfds', 'timeout'], fds: ['pid'],
  errnoName: ['num'], strerror: ['num'], check: ['num', 'str'],
  errno: [], perror: 'danger', trace: 'danger', tracing: [],
};

function argsFor(name, sig) {
  if (sig === 'danger') {
    // Only wrong types: these fail argument validation before anything happens.
    return [pick([Symbol('x'), {}, null, 1n, () => 0]), pick([{}, 1n, Symbol('y')])];
  }
  const n = chance(0.15) ? Math.floor(rand() * (sig.length + 3)) : sig.length;
  const list = [];
  for (let i = 0; i < n; i++) {
    const kind = sig[i];
    if (kind && chance(0.75)) {
      let value = gen[kind]();
      // getaddrinfo must not ask a resolver (no network here): numeric hosts only.
      if (name === 'getaddrinfo' && i === 0 && typeof value === 'string' && !/^[\d.:]*$/.test(value)) value = '127.0.0.1';
      list.push(value);
    } else {
      list.push(anyValue());
    }
  }
  if (name === 'getaddrinfo') {
    const h = list[2];
    if (h && typeof h === 'object') h.flags = (typeof h.flags === 'number' ? h.flags : 0) | (C.AI_NUMERICHOST ?? 4);
    else if (list.length >= 2 && typeof list[0] === 'string') list[2] = { flags: C.AI_NUMERICHOST ?? 4 };
  }
  // A FIFO opened without O_NONBLOCK waits for its peer: open always gets O_NONBLOCK here.
  if (name === 'open' && typeof list[1] === 'number' && Number.isInteger(list[1]) && list[1] >= 0 && list[1] <= 0x7fffffff) {
    list[1] |= C.O_NONBLOCK;
  }
  // poll's timeout defaults to -1 (wait for ever): never omitted here.
  if (name === 'poll' && (list.length < 2 || list[1] === undefined)) {
    while (list.length < 2) list.push(undefined);
    list[1] = 10;
  }
  // Never a valid pid but our own reaped child; never a descriptor Node uses; never a poll that
  // waits longer than 10 ms (a valid timeout is shortened, an invalid one is kept).
  return list.map((a, i) => {
    if (name === 'poll' && i === 1 && typeof a === 'number' && Number.isInteger(a)) {
      return (a > 10 || a < 0) && a <= 2 ** 31 - 1 && a >= -(2 ** 31) ? 10 : a;
    }
    if (sig[i] === 'pid' && typeof a === 'number' && Number.isInteger(a) && (a !== deadPid || name === 'kill')) return 0x3ffffff0;
    if (name === 'posix_spawnp' && i === 0 && typeof a === 'string' && !gen.spawnfileNames.includes(a)) return 'nonexistent-program-xyz';
    if (typeof a === 'number' && sig[i] !== 'num' && (nodeFds.has(a) || (Number.isInteger(a) && a > 2 && a < 1 << 20 && foreign(a)))) return 999999;
    return a;
  });
}

function allowed(e) {
  return e instanceof TypeError || e instanceof RangeError || e instanceof sync.SyscallError ||
    (e && (e.name === 'AbortError' || e.code === 'ABORT_ERR')) ||
    (e && typeof e.code === 'string' && e.code.startsWith('EAI_'));
}

const tally = { calls: 0, returned: 0, typeError: 0, rangeError: 0, syscallError: 0, other: 0, promises: 0, failures: [] };
function record(mod, name, argv, outcome) {
  tally.calls++;
  if (outcome === 'ok') tally.returned++;
  else if (outcome instanceof TypeError) tally.typeError++;
  else if (outcome instanceof RangeError) tally.rangeError++;
  else if (allowed(outcome)) tally.syscallError++;
  else {
    tally.other++;
    if (tally.failures.length < 20) {
      tally.failures.push({ mod, name, args: argv.map((a) => { try { return typeof a === 'bigint' ? `${a}n` : typeof a === 'symbol' ? 'Symbol' : typeof a === 'function' ? 'fn' : ArrayBuffer.isView(a) ? `${a.constructor.name}(${a.byteLength})` : JSON.stringify(a); } catch { return String(a); } }), error: String(outcome && outcome.stack || outcome) });
    }
  }
}

const modules = [['posix-ipc', sync], ['posix-ipc/raw', raw], ...(promises ? [['posix-ipc/promises', promises]] : [])];
const targets = [];
for (const [mod, m] of modules) {
  for (const [name, f] of Object.entries(m)) {
    if (typeof f !== 'function' || /^[A-Z]/.test(name) || name === 'SyscallError') continue;
    if (!(name in sigs)) continue; // classes and helpers without a signature entry
    if (sigs[name] === 'never') continue; // every call of it would really happen (fork)
    targets.push([mod, name, f]);
  }
}
const pending = [];
// The promise calls not settled yet, by call number: their description is reported if some are
// still waiting at the end (`stillPending`), so that a run which leaves one says which.
const waiting = new Map();

async function main() {
  refill();
  for (let i = 0; i < totalCalls; i++) {
    prepare();
    const [mod, name, f] = pick(targets);
    const argv = argsFor(name, sigs[name]);
    if (mod === 'posix-ipc/promises' && chance(0.7)) argv.push(gen.abort());
    if (logFd >= 0) fs.writeSync(logFd, `${i} ${mod} ${name} ${argv.map((a) => (typeof a === 'number' ? a : typeof a)).join(' ')}\n`);
    try {
      const r = f(...argv);
      if (r && typeof r.then === 'function') {
        tally.promises++;
        const id = i;
        waiting.set(id, `${i} ${name}(${argv.map((a) => (typeof a === 'number' ? a : typeof a)).join(', ')})`);
        const settled = r.then(
          () => { waiting.delete(id); record(mod, name, argv, 'ok'); },
          (e) => { waiting.delete(id); record(mod, name, argv, e); },
        );
        pending.push(settled);
        // Let settled promises settle; a pending one is released when the pool closes its fd.
        await Promise.race([settled, new Promise((res) => setImmediate(res))]);
      } else {
        record(mod, name, argv, 'ok');
      }
    } catch (e) {
      record(mod, name, argv, e);
    }
  }
  // Close every descriptor but Node's, posix-ipc's own included now that no call comes after:
  // waiting promise calls reject with EBADF, and a poll waiting on a number that posix-ipc reused
  // for one of its own descriptors sees POLLNVAL.
  const all = fs.readdirSync('/proc/self/fd').map(Number).filter((fd) => fd > 2 && !nodeFds.has(fd));
  for (const fd of [...all.filter((fd) => !foreign(fd)), ...all.filter(foreign)]) {
    try { sync.close(fd); } catch { /* gone */ }
  }
  // 0-2 last: a fuzzed dup2 may have put one of the pool's descriptors there (a listener, say),
  // and a call waiting on it would otherwise wait for ever (nothing is printed any more).
  for (const fd of [0, 1, 2]) {
    try { sync.close(fd); } catch { /* gone */ }
  }
  await Promise.race([Promise.all(pending), new Promise((res) => setTimeout(res, 2000))]);
  // tally.calls counts settled calls: a promise still pending after its descriptor closed is unsettled.
  const result = { seed, functions: targets.length, ...tally, calls: totalCalls, unsettled: totalCalls - tally.calls, stillPending: [...waiting.values()].slice(0, 10) };
  if (out) fs.writeFileSync(out, JSON.stringify(result));
  fs.rmSync(scratch, { recursive: true, force: true });
  process.exit(tally.other ? 1 : 0);
}

main().catch((e) => {
  if (out) fs.writeFileSync(out, JSON.stringify({ seed, crash: String(e && e.stack || e) }));
  process.exit(2);
});
