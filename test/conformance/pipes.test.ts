// ../shared/CONFORMANCE.md, "Pipes and FIFOs": one test per line, named after it.
import { describe, expect, it } from 'vitest';
import {
  close, fcntl, pipe, pipe2, read, write, F_DUPFD, F_GETFD, FD_CLOEXEC, O_CLOEXEC, O_NONBLOCK, SyscallError,
} from 'posix-ipc';

describe('conformance: pipes', () => {
  it('1. EOF: after every write end is closed (copies included) read returns 0', () => {
    const [r, w] = pipe();
    const copy = fcntl(w, F_DUPFD, 0);
    write(w, 'last words');
    close(w);
    // One write end (the copy) is still open: the data is there and then a read would wait.
    const buf = Buffer.alloc(32);
    expect(read(r, buf)).toBe(10);
    fcntl(r, 4 /* F_SETFL */, O_NONBLOCK); // peek without blocking: no EOF yet
    expect(() => read(r, buf)).toThrow(expect.objectContaining({ code: 'EAGAIN' }));
    fcntl(r, 4 /* F_SETFL */, 0);
    close(copy);
    expect(read(r, buf)).toBe(0);
    expect(read(r, buf)).toBe(0);
    close(r);
  });

  it('2. EPIPE: with every read end closed, write fails with EPIPE and the process survives', () => {
    const [r, w] = pipe();
    close(r);
    let err: unknown;
    try {
      write(w, 'nobody listens');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SyscallError);
    expect(err).toMatchObject({ code: 'EPIPE', syscall: 'write', fd: w });
    close(w);
  });

  it('3. Non-blocking: read on the empty pipe is EAGAIN at once; a write past capacity is partial, then EAGAIN', () => {
    const [r, w] = pipe2(O_NONBLOCK);
    expect(() => read(r, Buffer.alloc(1))).toThrow(expect.objectContaining({ code: 'EAGAIN', syscall: 'read' }));
    const big = Buffer.alloc(1 << 20, 1);
    const n = write(w, big);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(big.length);
    expect(() => write(w, big)).toThrow(expect.objectContaining({ code: 'EAGAIN', syscall: 'write' }));
    let total = 0;
    const buf = Buffer.alloc(1 << 16);
    for (;;) {
      try {
        total += read(r, buf);
      } catch (e) {
        expect(e).toMatchObject({ code: 'EAGAIN' });
        break;
      }
    }
    expect(total).toBe(n);
    close(r);
    close(w);
  });

  it('13. Descriptors are inheritable unless made otherwise: pipe() has no FD_CLOEXEC, pipe2(O_CLOEXEC) has it', () => {
    const [r, w] = pipe();
    expect(fcntl(r, F_GETFD) & FD_CLOEXEC).toBe(0);
    expect(fcntl(w, F_GETFD) & FD_CLOEXEC).toBe(0);
    const [r2, w2] = pipe2(O_CLOEXEC);
    expect(fcntl(r2, F_GETFD) & FD_CLOEXEC).toBe(FD_CLOEXEC);
    expect(fcntl(w2, F_GETFD) & FD_CLOEXEC).toBe(FD_CLOEXEC);
    for (const fd of [r, w, r2, w2]) close(fd);
  });
});
