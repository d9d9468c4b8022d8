// Soak: 100,000 cycles of each create/close and error path. The descriptor count and the resident
// memory must stay flat: nothing leaks per call, on success or on failure.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as p from 'posix-ipc';
import * as raw from 'posix-ipc/raw';

const CYCLES = 100_000;
// Under AddressSanitizer (npm run test:asan) freed memory waits in ASan's quarantine, so resident
// memory grows by design: there the descriptor count is still checked, the memory is not.
const sanitized = /libasan/.test(process.env.LD_PRELOAD ?? '');
const fdCount = () => fs.readdirSync('/proc/self/fd').length;
const gc = (globalThis as { gc?: () => void }).gc;
function rss(): number {
  gc?.();
  return process.memoryUsage().rss;
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

describe('soak', () => {
  for (const [name, cycle] of cycles) {
    it(`${name}: ${CYCLES} cycles, fd count and RSS flat`, () => {
      for (let i = 0; i < 10_000; i++) cycle(); // warm up: JIT, heap size
      const fds0 = fdCount();
      const rss0 = rss();
      for (let i = 0; i < CYCLES; i++) cycle();
      const fds1 = fdCount();
      const rss1 = rss();
      const grew = (rss1 - rss0) / 1024;
      console.log(`soak ${name}: fds ${fds0} -> ${fds1}, RSS ${(rss0 / 1048576).toFixed(1)} -> ${(rss1 / 1048576).toFixed(1)} MiB`);
      expect(fds1).toBe(fds0);
      // Flat: a leak of even 64 bytes a cycle would be 6 MiB here.
      if (!sanitized) expect(grew).toBeLessThan(4096);
    }, 120_000);
  }
});
