// Soak: 100,000 cycles of each create/close and error path, pipes and sockets, sync and promise.
// The descriptor count and the resident memory must stay flat: nothing leaks per call, on success
// or on failure.
import { afterAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as p from 'posix-ipc';
import * as raw from 'posix-ipc/raw';
import * as promises from 'posix-ipc/promises';

// Under AddressSanitizer (npm run test:asan) freed memory waits in ASan's quarantine, so resident
// memory grows by design: there the descriptor count is still checked, the memory is not, and
// 10,000 cycles each are enough (every call is 2-3 times slower there). POSIX_IPC_SOAK_CYCLES
// overrides the count (CI's reruns of the suite on other builds of the same code use fewer).
const sanitized = /libasan/.test(process.env.LD_PRELOAD ?? '');
const CYCLES = Number(process.env.POSIX_IPC_SOAK_CYCLES) || (sanitized ? 10_000 : 100_000);
const full = CYCLES >= 100_000;
const fdCount = () => fs.readdirSync('/proc/self/fd').length;
const gc = (globalThis as { gc?: () => void }).gc;
/**
 * Memory after a full collection, once V8's concurrent sweeper has given the freed pages back
 * (measured at once, RSS swings by ~15 MiB with no trend after awaited cycles): the resident
 * memory outside V8's heap (native: the addon's, Node's, malloc's) and the live JavaScript heap.
 * The heap's own size is left out: V8 grows it in steps of its choosing.
 */
interface Memory {
  rss: number;
  native: number;
  js: number;
}
async function memory(): Promise<Memory> {
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 100));
  gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, native: m.rss - m.heapTotal, js: m.heapUsed };
}
const mib = (n: number) => (n / 1048576).toFixed(1);

/** Runs `call`, which must fail with this code (SyscallError, or AddrInfoError for EAI_*). */
function fails(code: string, call: () => unknown): void {
  try {
    call();
  } catch (e) {
    if ((e as { code?: string }).code === code) return;
    throw e;
  }
  throw new Error(`expected ${code}`);
}

// Each cycle creates and closes, or fails; every one is a real system call.
const buf = Buffer.alloc(16);
const cycles: [string, () => void][] = [
  ['pipe + close both', () => {
    const [r, w] = p.pipe();
    p.close(r);
    p.close(w);
  }],
  ['pipe2(O_NONBLOCK|O_CLOEXEC) + write + read + close', () => {
    const [r, w] = p.pipe2(p.O_NONBLOCK | p.O_CLOEXEC);
    p.write(w, buf);
    p.read(r, buf);
    p.close(r);
    p.close(w);
  }],
  ['close(-1): SyscallError EBADF', () => {
    try {
      p.close(-1);
    } catch (e) {
      if ((e as p.SyscallError).code !== 'EBADF') throw e;
    }
  }],
  ['read on an empty non-blocking pipe: SyscallError EAGAIN', () => {
    const [r, w] = p.pipe2(p.O_NONBLOCK);
    try {
      p.read(r, buf);
    } catch (e) {
      if ((e as p.SyscallError).code !== 'EAGAIN') throw e;
    }
    p.close(r);
    p.close(w);
  }],
  ['write with no reader: SyscallError EPIPE', () => {
    const [r, w] = p.pipe();
    p.close(r);
    try {
      p.write(w, buf);
    } catch (e) {
      if ((e as p.SyscallError).code !== 'EPIPE') throw e;
    }
    p.close(w);
  }],
  ['raw close(999) = -1, errno EBADF', () => {
    if (raw.close(999) !== -1 || raw.errno() !== 9) throw new Error('raw close');
  }],
  ['wrong argument: TypeError before any call', () => {
    try {
      p.read('x' as never, buf);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
    }
  }],
];

// Sockets: loopback only. TCP connections end with a reset (the client closes with a byte unread),
// which leaves no TIME_WAIT entry behind: 100,000 of those would exhaust the ephemeral ports.
const loopback = { family: 'AF_INET', address: '127.0.0.1', port: 0 } as const;
const tcpListener = p.socket(p.AF_INET, p.SOCK_STREAM);
p.bind(tcpListener, loopback);
p.listen(tcpListener, 128);
const tcpAddress = p.getsockname(tcpListener);
const refused = p.socket(p.AF_INET, p.SOCK_STREAM); // bound, never listening: connecting is refused
p.bind(refused, loopback);
const refusedAddress = p.getsockname(refused);
const unixName = `\0posix-ipc-soak-${process.pid}`; // abstract: no file to unlink after each cycle
const unixPath = path.join(os.tmpdir(), `posix-ipc-soak-${process.pid}`);
const tooLong = { family: 'AF_UNIX', path: `/tmp/${'x'.repeat(200)}` } as const;
const [udpA, udpB] = [p.socket(p.AF_INET, p.SOCK_DGRAM), p.socket(p.AF_INET, p.SOCK_DGRAM)];
p.bind(udpA, loopback);
p.bind(udpB, loopback);
const udpB_address = p.getsockname(udpB);
const [dgramA, dgramB] = p.socketpair(p.AF_UNIX, p.SOCK_DGRAM);
const [pollR, pollW] = p.pipe2(p.O_NONBLOCK);
const pollFds: p.PollFd[] = [{ fd: pollR, events: p.POLLIN }, { fd: pollW, events: p.POLLOUT }];
afterAll(() => {
  for (const fd of [tcpListener, refused, udpA, udpB, dgramA, dgramB, pollR, pollW]) p.close(fd);
});

/** A connection through `listener`, accepted; the listener's queue is empty again after. */
function connectAndAccept(listener: number, address: p.SockAddr, domain: number): [client: number, server: number] {
  const c = p.socket(domain, p.SOCK_STREAM);
  p.connect(c, address);
  const [s] = p.accept(listener);
  return [c, s];
}

cycles.push(
  ['socket(AF_INET, SOCK_STREAM) + close', () => {
    p.close(p.socket(p.AF_INET, p.SOCK_STREAM));
  }],
  ['socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC) + close', () => {
    p.close(p.socket(p.AF_UNIX, p.SOCK_DGRAM | p.SOCK_NONBLOCK | p.SOCK_CLOEXEC));
  }],
  ['socketpair + send + recv + close both', () => {
    const [a, b] = p.socketpair(p.AF_UNIX, p.SOCK_STREAM);
    p.send(a, buf);
    p.recv(b, buf);
    p.close(a);
    p.close(b);
  }],
  ['TCP loopback: socket, bind, listen, connect, accept, send, recv, close all', () => {
    const l = p.socket(p.AF_INET, p.SOCK_STREAM);
    p.bind(l, loopback);
    p.listen(l, 1);
    const [c, s] = connectAndAccept(l, p.getsockname(l), p.AF_INET);
    p.send(c, buf, 1);
    p.recv(s, buf, 1);
    p.send(s, buf, 1); // left unread: the client's close resets the connection (no TIME_WAIT)
    p.close(c);
    p.close(s);
    p.close(l);
  }],
  ['TCP loopback: connect + accept + close on one listener', () => {
    const [c, s] = connectAndAccept(tcpListener, tcpAddress, p.AF_INET);
    p.send(s, buf, 1);
    p.close(c);
    p.close(s);
  }],
  ['AF_UNIX stream (abstract name): socket, bind, listen, connect, accept, send, recv, close all', () => {
    const l = p.socket(p.AF_UNIX, p.SOCK_STREAM);
    p.bind(l, { family: 'AF_UNIX', path: unixName });
    p.listen(l, 1);
    const [c, s] = connectAndAccept(l, { family: 'AF_UNIX', path: unixName }, p.AF_UNIX);
    p.send(c, buf);
    p.recv(s, buf);
    p.close(c);
    p.close(s);
    p.close(l);
  }],
  ['AF_UNIX stream (socket file): bind, listen, connect, accept, close, unlink', () => {
    const l = p.socket(p.AF_UNIX, p.SOCK_STREAM);
    p.bind(l, { family: 'AF_UNIX', path: unixPath });
    p.listen(l, 1);
    const [c, s] = connectAndAccept(l, { family: 'AF_UNIX', path: unixPath }, p.AF_UNIX);
    p.close(c);
    p.close(s);
    p.close(l);
    fs.unlinkSync(unixPath);
  }],
  ['UDP loopback: sendto + recvfrom', () => {
    p.sendto(udpA, buf, udpB_address);
    const [n, src] = p.recvfrom(udpB, buf);
    if (n !== buf.length || src === null) throw new Error('recvfrom');
  }],
  ['AF_UNIX datagram socketpair: send + recvfrom', () => {
    p.send(dgramA, buf);
    p.recvfrom(dgramB, buf);
  }],
  ['connect to a loopback port nobody listens on: ECONNREFUSED', () => {
    const c = p.socket(p.AF_INET, p.SOCK_STREAM);
    fails('ECONNREFUSED', () => p.connect(c, refusedAddress));
    p.close(c);
  }],
  ['bind to a port in use: EADDRINUSE', () => {
    const s = p.socket(p.AF_INET, p.SOCK_STREAM);
    fails('EADDRINUSE', () => p.bind(s, tcpAddress));
    p.close(s);
  }],
  ['AF_UNIX bind and connect with a path too long for sun_path: ENAMETOOLONG', () => {
    const s = p.socket(p.AF_UNIX, p.SOCK_STREAM);
    fails('ENAMETOOLONG', () => p.bind(s, tooLong));
    fails('ENAMETOOLONG', () => p.connect(s, tooLong));
    p.close(s);
  }],
  ['getaddrinfo of a numeric host and service', () => {
    if (p.getaddrinfo('127.0.0.1', '80', { flags: p.AI_NUMERICHOST | p.AI_NUMERICSERV }).length === 0) throw new Error('no result');
  }],
  ['getaddrinfo failure: EAI_NONAME (AI_NUMERICHOST, a name), EAI_SERVICE (unknown service)', () => {
    fails('EAI_NONAME', () => p.getaddrinfo('no.such.host', '80', { flags: p.AI_NUMERICHOST }));
    fails('EAI_SERVICE', () => p.getaddrinfo('127.0.0.1', 'no-such-service', { socktype: p.SOCK_STREAM, flags: p.AI_NUMERICHOST }));
  }],
  ['poll: one pipe end ready, one not, and a closed descriptor (POLLNVAL)', () => {
    pollFds[0]!.fd = pollR;
    if (p.poll(pollFds, 0) !== 1) throw new Error('poll');
    pollFds[0]!.fd = 999_999;
    if (p.poll(pollFds, 0) !== 2 || (pollFds[0]!.revents! & p.POLLNVAL) === 0) throw new Error('POLLNVAL');
  }],
);

/** Starts a promise call with an AbortSignal and aborts it at once: it must reject with AbortError. */
async function aborted(call: (signal: AbortSignal) => Promise<unknown>): Promise<void> {
  const ac = new AbortController();
  const pending = call(ac.signal);
  ac.abort();
  await pending.then(() => { throw new Error('resolved'); }, (e: Error) => { if (e.name !== 'AbortError') throw e; });
}

/** Runs `use` on a fresh AF_UNIX stream socketpair, then closes both ends. */
async function withSocketpair(use: (a: number, b: number) => Promise<unknown>): Promise<void> {
  const [a, b] = p.socketpair(p.AF_UNIX, p.SOCK_STREAM);
  await use(a, b);
  p.close(a);
  p.close(b);
}

// Promise calls: each settles (or is aborted) before the next cycle starts.
const asyncCycles: [string, () => Promise<void>][] = [
  ['promises read on a pipe with data: resolves', async () => {
    const [r, w] = p.pipe();
    p.write(w, buf);
    await promises.read(r, buf);
    p.close(r);
    p.close(w);
  }],
  ['promises read on an empty socketpair, aborted: AbortError, nothing consumed', () =>
    withSocketpair((a) => aborted((signal) => promises.read(a, buf, { signal })))],
  ['promises read waiting, its descriptor closed: EBADF', async () => {
    const [r, w] = p.pipe();
    const pending = promises.read(r, buf);
    p.close(r);
    await pending.then(() => { throw new Error('resolved'); }, (e: p.SyscallError) => { if (e.code !== 'EBADF') throw e; });
    p.close(w);
  }],
  ['promises poll waiting on an empty pipe, then written to: 1', async () => {
    const [r, w] = p.pipe();
    const pending = promises.poll([{ fd: r, events: p.POLLIN }]);
    p.write(w, buf);
    if ((await pending) !== 1) throw new Error('poll');
    p.close(r);
    p.close(w);
  }],
  ['promises poll waiting, aborted: AbortError', async () => {
    const [r, w] = p.pipe();
    await aborted((signal) => promises.poll([{ fd: r, events: p.POLLIN }], { signal }));
    p.close(r);
    p.close(w);
  }],
  ['promises recv on an empty socketpair, aborted: AbortError, nothing consumed', () =>
    withSocketpair((a) => aborted((signal) => promises.recv(a, buf, { signal })))],
  ['promises send + recv on a socketpair: resolve', () =>
    withSocketpair(async (a, b) => {
      const pending = promises.recv(b, buf);
      await promises.send(a, buf);
      await pending;
    })],
  ['promises accept on a loopback listener, aborted: AbortError', () =>
    aborted((signal) => promises.accept(tcpListener, { signal }))],
];

const NATIVE_BOUND = 4096; // KiB over CYCLES: a leak of even 64 bytes a cycle is 6 MiB
const JS_BOUND = 2048; // KiB of live JavaScript heap

function report(name: string, fds0: number, fds1: number, m0: Memory, m1: Memory): void {
  console.log(`soak ${name}: fds ${fds0} -> ${fds1}, RSS ${mib(m0.rss)} -> ${mib(m1.rss)} MiB ` +
    `(outside V8's heap ${mib(m0.native)} -> ${mib(m1.native)}, live JS ${mib(m0.js)} -> ${mib(m1.js)})`);
}

const within = (a: Memory, b: Memory) => (b.native - a.native) / 1024 < NATIVE_BOUND && (b.js - a.js) / 1024 < JS_BOUND;

/**
 * Warms up, then runs CYCLES cycles: the descriptor count must not change, and the memory must
 * stay within its bounds. Memory outside V8's heap moves by a few MiB with no trend (malloc's
 * arenas): past the bound, CYCLES more cycles tell a leak, which grows again, from that noise.
 * Shorter runs check the descriptors only: V8 is still growing its heaps there.
 */
async function soak(name: string, warmUp: number, run: (n: number) => void | Promise<void>): Promise<void> {
  await run(warmUp);
  const fds0 = fdCount();
  const m0 = await memory();
  await run(CYCLES);
  const fds1 = fdCount();
  const m1 = await memory();
  report(name, fds0, fds1, m0, m1);
  expect(fds1).toBe(fds0);
  if (sanitized || !full || within(m0, m1)) return;
  console.log(`soak ${name}: past the bound; ${CYCLES} more cycles to tell a leak from noise`);
  await run(CYCLES);
  const m2 = await memory();
  report(name, fds1, fdCount(), m1, m2);
  expect((m2.native - m1.native) / 1024).toBeLessThan(NATIVE_BOUND);
  expect((m2.js - m1.js) / 1024).toBeLessThan(JS_BOUND);
}

describe('soak', () => {
  for (const [name, cycle] of cycles) {
    it(`${name}: ${CYCLES} cycles, fd count and memory flat`, async () => {
      // Warm-up: JIT, heap size.
      await soak(name, Math.min(CYCLES, 10_000), (n) => {
        for (let i = 0; i < n; i++) cycle();
      });
    }, 180_000);
  }
  for (const [name, cycle] of asyncCycles) {
    it(`${name}: ${CYCLES} cycles, fd count and memory flat`, async () => {
      // A longer warm-up: V8 grows its young generation over the first ~30,000 awaited cycles.
      await soak(name, full ? 30_000 : CYCLES / 10, async (n) => {
        for (let i = 0; i < n; i++) await cycle();
      });
    }, 180_000);
  }
});
