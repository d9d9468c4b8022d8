import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import {
  close, pipe, poll, read, write, type PollFd,
  POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLPRI, POLLRDHUP,
} from 'posix-ipc';
import * as raw from 'posix-ipc/raw';
import { refusedArguments, type RefusedCase } from './helpers';

describe('poll', () => {
  it('the constants are the platform\'s', () => {
    expect([POLLIN, POLLPRI, POLLOUT, POLLERR, POLLHUP, POLLNVAL, POLLRDHUP]).toEqual([1, 2, 4, 8, 16, 32, 0x2000]);
  });

  it('sets every entry\'s revents and returns how many are ready', () => {
    const [r, w] = pipe();
    const fds: PollFd[] = [{ fd: r, events: POLLIN }, { fd: w, events: POLLOUT, revents: 123 }];
    expect(poll(fds, 0)).toBe(1);
    expect(fds).toEqual([{ fd: r, events: POLLIN, revents: 0 }, { fd: w, events: POLLOUT, revents: POLLOUT }]);
    write(w, 'x');
    expect(poll(fds, 0)).toBe(2);
    expect(fds[0]!.revents).toBe(POLLIN);
    read(r, Buffer.alloc(1));
    expect(poll(fds)).toBe(1); // no timeout: returns at once since the write end is ready
    close(r);
    close(w);
  });

  it('waits for data written after it was called (here by a child process)', () => {
    const [r, w] = pipe();
    // The child inherits the pipe as its fd 3 (a dup of w) and writes after 100 ms.
    const child = spawn(process.execPath, ['-e',
      `setTimeout(() => require('node:fs').writeSync(3, 'late'), 100)`], { stdio: ['ignore', 'ignore', 'inherit', w] });
    close(w);
    const fds: PollFd[] = [{ fd: r, events: POLLIN }];
    expect(poll(fds, 20_000)).toBe(1);
    expect(fds[0]!.revents! & POLLIN).toBe(POLLIN);
    const buf = Buffer.alloc(8);
    expect(buf.subarray(0, read(r, buf)).toString()).toBe('late');
    child.kill();
    close(r);
  });

  it('the timeout runs out: 0 and every revents 0', () => {
    const [r, w] = pipe();
    const fds: PollFd[] = [{ fd: r, events: POLLIN }];
    const start = process.hrtime.bigint();
    expect(poll(fds, 30)).toBe(0);
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeGreaterThanOrEqual(29);
    expect(fds[0]!.revents).toBe(0);
    expect(poll([], 1)).toBe(0); // no descriptors: a sleep, as in C
    close(r);
    close(w);
  });

  it('POLLHUP on a read end with no writer, POLLERR on a write end with no reader, unasked', () => {
    const [r, w] = pipe();
    close(w);
    const fds: PollFd[] = [{ fd: r, events: POLLIN }];
    expect(poll(fds, 0)).toBe(1);
    expect(fds[0]!.revents).toBe(POLLHUP);
    close(r);
    const [r2, w2] = pipe();
    close(r2);
    const out: PollFd[] = [{ fd: w2, events: 0 }];
    expect(poll(out, 0)).toBe(1);
    expect(out[0]!.revents! & POLLERR).toBe(POLLERR);
    close(w2);
  });

  it('POLLNVAL for a closed descriptor (counted); a negative fd is skipped', () => {
    const [r, w] = pipe();
    close(r);
    close(w);
    const fds: PollFd[] = [{ fd: r, events: POLLIN }, { fd: -1, events: POLLIN }];
    expect(poll(fds, 0)).toBe(1);
    expect(fds.map((p) => p.revents)).toEqual([POLLNVAL, 0]);
  });

  it('fails with EINVAL for more entries than RLIMIT_NOFILE (in a child with ulimit -n 64)', () => {
    const script = `
      const { poll } = require(${JSON.stringify(require.resolve('posix-ipc'))});
      const entries = (n) => Array.from({ length: n }, () => ({ fd: -1, events: 1 }));
      const ok = poll(entries(64), 0);
      try { poll(entries(65), 0); } catch (e) { console.log(ok, e.code, e.errno, e.syscall, e.constructor.name, e.fd); }`;
    const r = spawnSync('sh', ['-c', `ulimit -n 64 && exec "${process.execPath}" -e '${script}'`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('0 EINVAL -22 poll SyscallError undefined');
  });

  it('grows its scratch array: 1,000 entries, then few again', () => {
    const [r, w] = pipe();
    write(w, 'x');
    const many: PollFd[] = Array.from({ length: 1000 }, (_, i) => ({ fd: i % 2 ? r : -1, events: POLLIN }));
    expect(poll(many, 0)).toBe(500);
    expect(many.every((p, i) => p.revents === (i % 2 ? POLLIN : 0))).toBe(true);
    const few: PollFd[] = [{ fd: r, events: POLLIN }];
    expect(poll(few, 0)).toBe(1);
    close(r);
    close(w);
  });

  it('a signal does not end the wait: EINTR is retried for the time left; posix-ipc/raw reports it', () => {
    // A child process with a SIGUSR2 handler polls an empty pipe; the test signals it while it waits.
    const script = `
      const p = require(${JSON.stringify(require.resolve('posix-ipc'))});
      const raw = require(${JSON.stringify(require.resolve('posix-ipc/raw'))});
      let signals = 0;
      process.on('SIGUSR2', () => signals++);
      const [r] = p.pipe();
      const fds = [{ fd: r, events: p.POLLIN }];
      process.stdout.write('raw\\n');
      const rc = raw.poll(fds, 20000);
      const rawResult = [rc, raw.errno()];
      const start = process.hrtime.bigint();
      const n = p.poll(fds, 1500);
      const waited = Number(process.hrtime.bigint() - start) / 1e6;
      setTimeout(() => console.log(JSON.stringify({ rawResult, n, waited, signals })), 100);`;
    const driver = `
      const c = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(script)}], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      let timer;
      c.stdout.on('data', (d) => {
        out += d;
        // Signal it again and again while it waits, so that however slow the machine, signals
        // arrive during both polls.
        if (!timer) timer = setInterval(() => c.kill('SIGUSR2'), 100);
      });
      c.on('exit', () => { clearInterval(timer); console.log(out.split('\\n').filter((l) => l.startsWith('{'))[0]); });`;
    const r = spawnSync(process.execPath, ['-e', driver], { encoding: 'utf8', timeout: 60_000 });
    const res = JSON.parse(r.stdout) as { rawResult: number[]; n: number; waited: number; signals: number };
    expect(res.rawResult).toEqual([-1, 4]); // EINTR
    expect(res.n).toBe(0);
    expect(res.waited).toBeGreaterThanOrEqual(1499);
    expect(res.signals).toBeGreaterThanOrEqual(2);
  });
});

describe('poll: wrong arguments never reach the kernel', () => {
  const cases: RefusedCase[] = [
    ['poll("x")', () => poll('x' as never), TypeError],
    ['poll({ fd: 0, events: 1 })', () => poll({ fd: 0, events: 1 } as never), TypeError],
    ['poll([null])', () => poll([null] as never), TypeError],
    ['poll([5])', () => poll([5] as never), TypeError],
    ['poll([{ fd: "0" }])', () => poll([{ fd: '0', events: POLLIN }] as never), TypeError],
    ['poll([{ fd: 1.5 }])', () => poll([{ fd: 1.5, events: POLLIN }]), RangeError],
    ['poll([{ fd: 0 }]) without events', () => poll([{ fd: 0 }] as never), TypeError],
    ['poll([{ events: -1 }])', () => poll([{ fd: 0, events: -1 }]), RangeError],
    ['poll([{ events: 0x10000 }])', () => poll([{ fd: 0, events: 0x10000 }]), RangeError],
    ['poll([...], 1.5)', () => poll([], 1.5), RangeError],
    ['poll([...], "10")', () => poll([], '10' as never), TypeError],
    ['poll([...], 2 ** 31)', () => poll([], 2 ** 31), RangeError],
    ['a bad entry after a good one', () => poll([{ fd: 0, events: POLLIN }, { fd: 0, events: NaN }]), RangeError],
  ];
  refusedArguments(cases);

  it('the entry\'s name is in the message', () => {
    expect(() => poll([{ fd: 0, events: POLLIN }, { fd: 0, events: -1 }])).toThrow(/"fds\[1\]\.events"/);
  });

  it('raw.poll gives the count like poll, and wrong arguments still throw', () => {
    expect(raw.poll([{ fd: -1, events: POLLIN }], 0)).toBe(0);
    expect(() => raw.poll([{ fd: 0, events: -1 }])).toThrow(RangeError);
  });
});
