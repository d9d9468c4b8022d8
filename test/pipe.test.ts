import { describe, expect, it } from 'vitest';
import { close, fcntl, pipe, pipe2, read, write, F_GETFD, F_GETFL, FD_CLOEXEC, O_CLOEXEC, O_NONBLOCK, PIPE_BUF } from 'posix-ipc';
import { fdinfoFlags, openFds, syscallError } from './helpers';

describe('pipe', () => {
  it('returns [readEnd, writeEnd]: fd[0] reads and fd[1] writes, as on the slide', () => {
    const fds = pipe();
    expect(fds).toHaveLength(2);
    const [r, w] = fds;
    expect(fcntl(r, F_GETFL) & 3).toBe(0); // O_RDONLY
    expect(fcntl(w, F_GETFL) & 3).toBe(1); // O_WRONLY
    close(r);
    close(w);
  });

  it('the seed 001 demo: a message through a pipe in one process', () => {
    const msg = 'Message in a pipe.\n';
    const [r, w] = pipe();
    const writelen = write(w, msg + '\0');
    expect(writelen).toBe(msg.length + 1);
    const buf = Buffer.alloc(1024);
    const readlen = read(r, buf);
    expect(readlen).toBe(writelen);
    expect(buf.subarray(0, readlen - 1).toString()).toBe(msg);
    close(r);
    close(w);
  });

  it('gives the lowest free descriptors, which close releases', () => {
    const [r, w] = pipe();
    close(r);
    close(w);
    const [r2, w2] = pipe();
    expect([r2, w2]).toEqual([r, w]);
    close(r2);
    close(w2);
  });

  it('a write of PIPE_BUF bytes goes in whole', () => {
    expect(PIPE_BUF).toBe(4096);
    const [r, w] = pipe();
    const data = Buffer.alloc(PIPE_BUF, 7);
    expect(write(w, data)).toBe(PIPE_BUF);
    const back = Buffer.alloc(PIPE_BUF + 10);
    expect(read(r, back)).toBe(PIPE_BUF);
    expect(back.subarray(0, PIPE_BUF).equals(data)).toBe(true);
    close(r);
    close(w);
  });

  it('fails with EMFILE when the process has no descriptor left (through a child with a low limit)', async () => {
    // RLIMIT_NOFILE is per process: lower it in a child, never in the test runner.
    const { spawnSync } = await import('node:child_process');
    const script = `
      const { pipe } = require(${JSON.stringify(require.resolve('posix-ipc'))});
      const held = [];
      try { for (;;) held.push(...pipe()); } catch (e) { console.log(e.code, e.syscall); }`;
    const r = spawnSync('sh', ['-c', `ulimit -n 64 && exec "${process.execPath}" -e '${script}'`], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('EMFILE pipe');
  });
});

describe('pipe2', () => {
  it('pipe2(0) is pipe()', () => {
    const [r, w] = pipe2(0);
    expect(fcntl(r, F_GETFL) & O_NONBLOCK).toBe(0);
    expect(fcntl(r, F_GETFD)).toBe(0);
    close(r);
    close(w);
  });

  it('O_NONBLOCK: the flag is on both ends, as the kernel reports it', () => {
    const [r, w] = pipe2(O_NONBLOCK);
    expect(fdinfoFlags(r) & O_NONBLOCK).toBe(O_NONBLOCK);
    expect(fdinfoFlags(w) & O_NONBLOCK).toBe(O_NONBLOCK);
    close(r);
    close(w);
  });

  it('O_CLOEXEC: the kernel reports close-on-exec on both ends', () => {
    const [r, w] = pipe2(O_CLOEXEC);
    expect(fdinfoFlags(r) & O_CLOEXEC).toBe(O_CLOEXEC);
    expect(fcntl(w, F_GETFD) & FD_CLOEXEC).toBe(FD_CLOEXEC);
    close(r);
    close(w);
  });

  it('unknown flags fail with EINVAL and open nothing', () => {
    const before = openFds();
    expect(syscallError(() => pipe2(0x1))).toMatchObject({ code: 'EINVAL', syscall: 'pipe2' });
    expect(openFds()).toEqual(before);
  });
});
