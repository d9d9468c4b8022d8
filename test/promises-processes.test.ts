// posix-ipc/promises: waitpid and open. waitpid waits on a pidfd for one child, on SIGCHLD
// otherwise; open waits for a FIFO's other side as C's open does, without blocking the event loop.
import { afterEach, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  close, fcntl, kill, mkfifo, open as openSync, posix_spawnp, read as readSync, waitpid as waitpidSync, write as writeSync,
  F_GETFD, F_GETFL, FD_CLOEXEC, O_CLOEXEC, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY, SyscallError, WCONTINUED, WNOHANG, WUNTRACED,
  socket, bind, AF_UNIX, SOCK_STREAM,
} from 'posix-ipc';
import { open, waitpid, AbortError } from 'posix-ipc/promises';
import { forkChild, openFds, refusedArguments, type RefusedCase } from './helpers';
import { isPending, pkg, promisesPkg, rejection, runScript } from './promises-helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posix-ipc-promises-fifo-'));
let n = 0;
const fresh = () => path.join(dir, `f${n++}`);
afterEach(() => {
  for (const f of fs.readdirSync(dir)) fs.unlinkSync(path.join(dir, f));
});

/** A child that sleeps `seconds` (a real program: no JavaScript runs in it). */
const sleeper = (seconds: number) => posix_spawnp('sleep', ['sleep', String(seconds)]);

describe('promises: waitpid', () => {
  it('one child (a pidfd): waits while the event loop runs, then reports and reaps it', async () => {
    const pid = posix_spawnp('sh', ['sh', '-c', 'sleep 0.2; exit 7']);
    const pending = waitpid(pid);
    expect(await isPending(pending)).toBe(true);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const st = await pending;
    clearInterval(timer);
    expect(st).toEqual({ pid, status: 7 << 8, kind: 'exited', code: 7 });
    expect(ticks).toBeGreaterThan(0);
    expect(() => waitpidSync(pid)).toThrow(expect.objectContaining({ code: 'ECHILD' })); // reaped
  });

  it('resolves at once for a child that has already ended; WNOHANG resolves null at once', async () => {
    const pid = sleeper(30);
    expect(await waitpid(pid, WNOHANG)).toBeNull();
    kill(pid, 'SIGKILL');
    await new Promise((res) => setTimeout(res, 50));
    expect(await waitpid(pid)).toMatchObject({ pid, kind: 'signaled', signal: 'SIGKILL', coreDumped: false });
  });

  it('any child (-1): woken by SIGCHLD, several calls each reap one', async () => {
    const a = posix_spawnp('sh', ['sh', '-c', 'sleep 0.1; exit 1']);
    const b = posix_spawnp('sh', ['sh', '-c', 'sleep 0.2; exit 2']);
    const first = waitpid();
    const second = waitpid(-1, 0);
    expect(await isPending(second)).toBe(true);
    const got = [await first, await second];
    expect(got.map((s) => s!.pid).sort()).toEqual([a, b].sort());
    expect(got.map((s) => (s as { code: number }).code).sort()).toEqual([1, 2]);
  });

  it('WUNTRACED and WCONTINUED: stopped, continued, then killed', async () => {
    const pid = sleeper(30);
    const stopped = waitpid(pid, WUNTRACED);
    expect(await isPending(stopped)).toBe(true);
    kill(pid, 'SIGSTOP');
    expect(await stopped).toMatchObject({ pid, kind: 'stopped', signal: 'SIGSTOP' });
    const continued = waitpid(pid, WCONTINUED);
    kill(pid, 'SIGCONT');
    expect(await continued).toMatchObject({ pid, kind: 'continued' });
    kill(pid, 'SIGKILL');
    expect(await waitpid(pid)).toMatchObject({ pid, kind: 'signaled', signal: 'SIGKILL' });
  });

  it('a forked child (the lecture\'s fork, _exit, waitpid)', async () => {
    const pid = forkChild(() => 42);
    expect(await waitpid(pid)).toMatchObject({ pid, kind: 'exited', code: 42 });
  });

  it('abort before and while waiting: AbortError, the child is not reaped', async () => {
    const pid = sleeper(30);
    expect(await rejection(waitpid(pid, { signal: AbortSignal.abort() }))).toBeInstanceOf(AbortError);
    const ac = new AbortController();
    const pending = waitpid(pid, 0, { signal: ac.signal });
    expect(await isPending(pending)).toBe(true);
    ac.abort();
    expect(await rejection(pending)).toBeInstanceOf(AbortError);
    const ac2 = new AbortController();
    const any = waitpid({ signal: ac2.signal }); // the SIGCHLD path
    expect(await isPending(any)).toBe(true);
    ac2.abort();
    expect(await rejection(any)).toBeInstanceOf(AbortError);
    kill(pid, 'SIGKILL');
    expect(await waitpid(pid)).toMatchObject({ pid, kind: 'signaled' }); // still there to reap
  });

  it('rejects with SyscallError: ECHILD (no such child), EINVAL (bad options)', async () => {
    const e = await rejection(waitpid(0x3ffffff0));
    expect(e).toBeInstanceOf(SyscallError);
    expect(e).toMatchObject({ code: 'ECHILD', syscall: 'waitpid' });
    expect(String(e.message).split('\n')[0]).toBe('waitpid ECHILD (No child processes)');
    expect(await rejection(waitpid(-1, 0x100))).toMatchObject({ code: 'EINVAL', syscall: 'waitpid' });
  });
});

describe('promises: open', () => {
  it('a FIFO\'s two ends opened in one script meet; both descriptors blocking, as sync open makes them', async () => {
    const p = fresh();
    mkfifo(p);
    const before = openFds();
    const [r, w] = await Promise.all([open(p, O_RDONLY), open(p, O_WRONLY)]);
    expect(fcntl(r, F_GETFL) & (O_NONBLOCK | 3)).toBe(O_RDONLY);
    expect(fcntl(w, F_GETFL) & (O_NONBLOCK | 3)).toBe(O_WRONLY);
    expect(fcntl(r, F_GETFD) & FD_CLOEXEC).toBe(0);
    writeSync(w, 'through the FIFO');
    const buf = Buffer.alloc(32);
    expect(buf.toString('utf8', 0, readSync(r, buf))).toBe('through the FIFO');
    close(r);
    close(w);
    expect(openFds()).toEqual(before);
    // The other order, one at a time: the writer waits for a reader.
    const writer = open(p, O_WRONLY | O_CLOEXEC);
    expect(await isPending(writer)).toBe(true);
    const reader = await open(p, O_RDONLY);
    const w2 = await writer;
    expect(fcntl(w2, F_GETFD) & FD_CLOEXEC).toBe(FD_CLOEXEC);
    close(w2);
    close(reader);
  });

  it('a reader waits for a writer in another process (a C-style blocking open there)', async () => {
    const p = fresh();
    mkfifo(p);
    const reader = open(p, O_RDONLY);
    expect(await isPending(reader)).toBe(true);
    const child = forkChild(() => {
      const fd = openSync(p, O_WRONLY); // blocks until a reader: ours is already there
      writeSync(fd, 'from the child');
      close(fd);
    });
    const r = await reader;
    const buf = Buffer.alloc(32);
    let got = '';
    for (let k; (k = readSync(r, buf)) > 0;) got += buf.toString('utf8', 0, k);
    expect(got).toBe('from the child');
    close(r);
    expect(await waitpid(child)).toMatchObject({ kind: 'exited', code: 0 });
  });

  it('a writer waits for a reader in another process', async () => {
    const p = fresh();
    mkfifo(p);
    const writer = open(p, O_WRONLY);
    expect(await isPending(writer)).toBe(true);
    const child = forkChild(() => {
      const fd = openSync(p, O_RDONLY);
      const buf = Buffer.alloc(8);
      const k = readSync(fd, buf);
      close(fd);
      return buf.toString('utf8', 0, k) === 'ping' ? 0 : 1;
    });
    const w = await writer;
    writeSync(w, 'ping');
    close(w);
    expect(await waitpid(child)).toMatchObject({ kind: 'exited', code: 0 });
  });

  it('aborted while waiting: AbortError, and nothing stays open (a writer with O_NONBLOCK then finds no reader)', async () => {
    const p = fresh();
    mkfifo(p);
    const before = openFds();
    const ac = new AbortController();
    const reader = open(p, O_RDONLY, { signal: ac.signal });
    expect(await isPending(reader)).toBe(true);
    const w = openSync(p, O_WRONLY | O_NONBLOCK); // our waiting reader is a reader, as a C reader blocked in open is
    close(w);
    ac.abort();
    expect(await rejection(reader)).toBeInstanceOf(AbortError);
    expect(openFds()).toEqual(before);
    expect(() => openSync(p, O_WRONLY | O_NONBLOCK)).toThrow(expect.objectContaining({ code: 'ENXIO' }));
    const ac2 = new AbortController();
    const writer = open(p, O_WRONLY, 0o666, { signal: ac2.signal });
    expect(await isPending(writer)).toBe(true);
    ac2.abort();
    expect(await rejection(writer)).toBeInstanceOf(AbortError);
    expect(await rejection(open(p, O_RDONLY, { signal: AbortSignal.abort() }))).toBeInstanceOf(AbortError);
    expect(openFds()).toEqual(before);
  });

  it('does not wait with O_NONBLOCK, on O_RDWR, or on other files', async () => {
    const p = fresh();
    mkfifo(p);
    const e = await rejection(open(p, O_WRONLY | O_NONBLOCK));
    expect(e).toMatchObject({ code: 'ENXIO', syscall: 'open', path: p });
    const r = await open(p, O_RDONLY | O_NONBLOCK);
    expect(fcntl(r, F_GETFL) & O_NONBLOCK).toBe(O_NONBLOCK);
    const rw = await open(p, O_RDWR);
    expect(fcntl(rw, F_GETFL) & O_NONBLOCK).toBe(0);
    const file = fresh();
    fs.writeFileSync(file, 'data');
    const f = await open(file, O_RDONLY);
    expect(fcntl(f, F_GETFL) & O_NONBLOCK).toBe(0);
    for (const fd of [r, rw, f]) close(fd);
  });

  it('the flags of the new descriptor are those the sync open gives', async () => {
    const file = fresh();
    fs.writeFileSync(file, 'x');
    for (const flags of [O_RDONLY, O_WRONLY, O_RDWR, O_RDONLY | O_CLOEXEC, O_WRONLY | O_NONBLOCK]) {
      const a = await open(file, flags);
      const b = openSync(file, flags);
      expect([fcntl(a, F_GETFL), fcntl(a, F_GETFD)]).toEqual([fcntl(b, F_GETFL), fcntl(b, F_GETFD)]);
      close(a);
      close(b);
    }
  });

  it('rejects with SyscallError carrying the path: ENOENT, ENXIO (a socket file, at once)', async () => {
    const missing = path.join(dir, 'nothing-here');
    const e = await rejection(open(missing, O_RDONLY));
    expect(e).toBeInstanceOf(SyscallError);
    expect(e).toMatchObject({ code: 'ENOENT', syscall: 'open', path: missing });
    const s = socket(AF_UNIX, SOCK_STREAM);
    const sockPath = fresh();
    bind(s, { family: 'AF_UNIX', path: sockPath });
    expect(await rejection(open(sockPath, O_WRONLY))).toMatchObject({ code: 'ENXIO', syscall: 'open', path: sockPath });
    close(s);
  });

  refusedArguments([
    ['open(42, O_RDONLY)', () => open(42 as never, O_RDONLY), TypeError],
    ['open(path, "r")', () => open('/tmp/x', 'r' as never), TypeError],
    ['open(path, O_RDONLY, 0o10000)', () => open('/tmp/x', O_RDONLY, 0o10000), RangeError],
    ['waitpid(1.5)', () => waitpid(1.5), RangeError],
    ['waitpid(-1, -1)', () => waitpid(-1, -1), RangeError],
    ['waitpid(-1, 0, { signal: 1 })', () => waitpid(-1, 0, { signal: 1 as never }), TypeError],
  ] as RefusedCase[], 'rejects');
});

describe('promises (processes): the process', () => {
  it('process.exit while a waitpid (pidfd and SIGCHLD) and FIFO opens wait: the exit status is kept', () => {
    const script = `
      const ipc = require(${pkg});
      const P = require(${promisesPkg});
      const dir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'pipc-exit-'));
      process.on('exit', () => require('node:fs').rmSync(dir, { recursive: true, force: true }));
      const pid = ipc.posix_spawnp('sleep', ['sleep', '5']);
      process.on('exit', () => { ipc.kill(pid, 'SIGKILL'); ipc.waitpid(pid); });
      P.waitpid(pid); P.waitpid(-1, ipc.WUNTRACED);
      ipc.mkfifo(dir + '/a'); ipc.mkfifo(dir + '/b');
      P.open(dir + '/a', ipc.O_RDONLY); P.open(dir + '/b', ipc.O_WRONLY);
      setTimeout(() => process.exit(9), 50);`;
    const r = runScript(script);
    expect(r.stderr).toBe('');
    expect([r.status, r.signal]).toEqual([9, null]);
  });

  it('a worker terminated while its waitpids and FIFO opens wait: cleaned up, the main thread goes on', () => {
    const worker = `
      const { parentPort } = require('node:worker_threads');
      const ipc = require(${pkg});
      const P = require(${promisesPkg});
      const dir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'pipc-worker-'));
      const pid = ipc.posix_spawnp('sleep', ['sleep', '5']);
      P.waitpid(pid); P.waitpid(-1, ipc.WUNTRACED);
      ipc.mkfifo(dir + '/a'); ipc.mkfifo(dir + '/b');
      P.open(dir + '/a', ipc.O_RDONLY); P.open(dir + '/b', ipc.O_WRONLY);
      setTimeout(() => parentPort.postMessage([dir, pid]), 30);`;
    const script = `
      const { Worker } = require('node:worker_threads');
      const ipc = require(${pkg});
      const P = require(${promisesPkg});
      const w = new Worker(${JSON.stringify(worker)}, { eval: true });
      w.on('message', async ([dir, pid]) => {
        await w.terminate();
        require('node:fs').rmSync(dir, { recursive: true, force: true });
        ipc.kill(pid, 'SIGKILL');
        const st = await P.waitpid(pid);
        const other = ipc.posix_spawnp('sh', ['sh', '-c', 'exit 4']);
        console.log(st.kind, st.signal, (await P.waitpid(-1)).code);
      });
      w.on('error', (e) => { console.error(e); process.exitCode = 1; });`;
    const r = runScript(script);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('signaled SIGKILL 4\n');
    expect(r.status).toBe(0);
  });

  it('a waiting waitpid keeps the process alive until the child ends', () => {
    const script = `
      const ipc = require(${pkg});
      const P = require(${promisesPkg});
      const pid = ipc.posix_spawnp('sh', ['sh', '-c', 'sleep 0.3; exit 3']);
      P.waitpid(pid).then((st) => console.log(st.kind, st.code));`;
    const r = runScript(script);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('exited 3\n');
    expect(r.status).toBe(0);
  });
});
