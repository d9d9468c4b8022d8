// ../shared/CONFORMANCE.md, "Pipes and FIFOs": one test per line, named after it.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  close, dup, dup2, fcntl, kill, mkfifo, open, pipe, pipe2, read, unlink, write, F_DUPFD, F_GETFD, F_GETPIPE_SZ, F_SETPIPE_SZ,
  FD_CLOEXEC, O_CLOEXEC, O_NONBLOCK, O_RDONLY, O_WRONLY, PIPE_BUF, SyscallError,
} from 'posix-ipc';
import { drain, exitCode, forkChild, syscallError } from '../helpers';

/**
 * Waits (with a deadline) until the process `pid` sleeps in a kernel function matching `wchan`
 * (/proc/<pid>/wchan): proof that it is blocked in that call. On the deadline it is killed.
 */
function waitUntilBlockedIn(pid: number, wchan: RegExp): void {
  const nap = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + 20_000;
  while (!wchan.test(fs.readFileSync(`/proc/${pid}/wchan`, 'utf8'))) {
    if (Date.now() > deadline) {
      kill(pid, 'SIGKILL');
      throw new Error(`process ${pid} never blocked in ${wchan}`);
    }
    Atomics.wait(nap, 0, 0, 2);
  }
}

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

  it('1. EOF: copies made by fork, dup and dup2 count as write ends until each is closed', () => {
    const [r, w] = pipe();
    const [goR, goW] = pipe(); // the parent tells the child when to close its copy
    const pid = forkChild(() => {
      close(r);
      close(goW);
      read(goR, Buffer.alloc(1)); // hold the inherited write end until told
      write(w, 'from the child');
      close(w);
    });
    close(goR);
    const byDup = dup(w);
    const [otherRead, other] = pipe();
    close(otherRead); // only the number `other` matters here
    const byDup2 = dup2(w, other); // `other` now names this pipe's write end too
    close(w);
    const buf = Buffer.alloc(64);
    fcntl(r, 4 /* F_SETFL */, O_NONBLOCK);
    for (const copy of [byDup, byDup2]) {
      expect(() => read(r, buf)).toThrow(expect.objectContaining({ code: 'EAGAIN' })); // a writer remains: no EOF
      close(copy);
    }
    expect(() => read(r, buf)).toThrow(expect.objectContaining({ code: 'EAGAIN' })); // the child's copy
    fcntl(r, 4 /* F_SETFL */, 0);
    write(goW, 'g');
    close(goW);
    expect(drain(r)).toBe('from the child'); // then EOF: the child closed the last write end
    expect(read(r, buf)).toBe(0);
    close(r);
    expect(exitCode(pid)).toBe(0);
  });

  it('1. While a write end is open (in another process), a blocking read waits', () => {
    const [r, w] = pipe();
    const pid = forkChild(() => {
      close(w);
      const buf = Buffer.alloc(8);
      const n = read(r, buf); // blocks until the parent writes
      return n === 2 && buf.toString('utf8', 0, 2) === 'ok' ? 0 : 1;
    });
    waitUntilBlockedIn(pid, /pipe_read$/); // pipe_read, anon_pipe_read (Linux 6.16+)
    write(w, 'ok');
    expect(exitCode(pid)).toBe(0);
    close(r);
    close(w);
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

  it('4. Capacity: F_GETPIPE_SZ is 65536 by default; after F_SETPIPE_SZ with n >= page size it returns n', () => {
    const [r, w] = pipe();
    expect(fcntl(w, F_GETPIPE_SZ)).toBe(65536);
    expect(fcntl(r, F_GETPIPE_SZ)).toBe(65536); // one pipe: both ends agree
    for (const n of [4096, 8192, 1 << 20]) {
      expect(fcntl(w, F_SETPIPE_SZ, n)).toBe(n);
      expect(fcntl(w, F_GETPIPE_SZ)).toBe(n);
    }
    close(r);
    close(w);
  });

  it('5. A blocking write larger than the capacity completes once a reader drains the pipe, bytes in order', () => {
    const [r, w] = pipe();
    const big = Buffer.alloc(1 << 20);
    for (let i = 0; i < big.length; i += 4) big.writeUInt32LE(i, i);
    const pid = forkChild(() => {
      close(r);
      return write(w, big) === big.length ? 0 : 1; // one write(2), 16 times the capacity
    });
    close(w);
    const got = Buffer.alloc(big.length + 1);
    let total = 0;
    for (let n; (n = read(r, got.subarray(total))) > 0; ) total += n;
    close(r);
    expect(exitCode(pid)).toBe(0);
    expect(total).toBe(big.length);
    expect(got.subarray(0, total).equals(big)).toBe(true);
  });

  it('6. FIFO rendezvous: O_WRONLY blocks until a reader opens; O_NONBLOCK with no reader is ENXIO; mkfifo on an existing path is EEXIST', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posix-ipc-conf-'));
    const p = path.join(dir, 'fifo');
    try {
      mkfifo(p, 0o600);
      expect(syscallError(() => mkfifo(p))).toMatchObject({ code: 'EEXIST', syscall: 'mkfifo' });
      expect(syscallError(() => open(p, O_WRONLY | O_NONBLOCK))).toMatchObject({ code: 'ENXIO', syscall: 'open', path: p });
      const pid = forkChild(() => {
        const w = open(p, O_WRONLY); // the writer waits for a reader
        write(w, 'met at the FIFO');
        close(w);
      });
      waitUntilBlockedIn(pid, /^wait_for_partner$/); // the kernel's FIFO open, waiting
      const r = open(p, O_RDONLY);
      expect(drain(r)).toBe('met at the FIFO');
      close(r);
      expect(exitCode(pid)).toBe(0);
    } finally {
      unlink(p);
      fs.rmdirSync(dir);
    }
  });

  it('7. Writes of at most PIPE_BUF bytes are atomic: two writers never interleave inside a record', () => {
    const [r, w] = pipe();
    const records = 500;
    const writer = (fill: number) => forkChild(() => {
      close(r);
      const rec = Buffer.alloc(PIPE_BUF, fill); // made before the loop: the child allocates nothing
      for (let i = 0; i < records; i++) if (write(w, rec) !== PIPE_BUF) return 1;
    });
    const a = writer(0x61);
    const b = writer(0x62);
    close(w);
    const all = Buffer.alloc(2 * records * PIPE_BUF + 1);
    let total = 0;
    for (let n; (n = read(r, all.subarray(total))) > 0; ) total += n;
    close(r);
    expect(exitCode(a)).toBe(0);
    expect(exitCode(b)).toBe(0);
    expect(total).toBe(2 * records * PIPE_BUF);
    let mixed = 0;
    const counts = { a: 0, b: 0 };
    for (let off = 0; off < total; off += PIPE_BUF) {
      const rec = all.subarray(off, off + PIPE_BUF);
      if (rec.every((c) => c === rec[0])) counts[rec[0] === 0x61 ? 'a' : 'b']++;
      else mixed++;
    }
    expect(mixed).toBe(0);
    expect(counts).toEqual({ a: records, b: records });
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

  it('13. dup gives no FD_CLOEXEC even from a CLOEXEC fd; dup2\'s target never has it', () => {
    const [r, w] = pipe2(O_CLOEXEC);
    const copy = dup(w);
    expect(fcntl(copy, F_GETFD) & FD_CLOEXEC).toBe(0);
    const [r2, w2] = pipe2(O_CLOEXEC);
    expect(dup2(r, r2)).toBe(r2);
    expect(fcntl(r2, F_GETFD) & FD_CLOEXEC).toBe(0);
    expect(fcntl(r, F_GETFD) & FD_CLOEXEC).toBe(FD_CLOEXEC); // the source keeps its own flag
    for (const fd of [r, w, copy, r2, w2]) close(fd);
  });
});
