import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import { getEventListeners } from 'node:events';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  close, dup, dup2, fcntl, pipe, read as readSync, write as writeSync, send as sendSync, socketpair, SyscallError,
  AF_UNIX, F_GETFL, F_SETFL, MSG_PEEK, MSG_WAITALL, O_NONBLOCK, O_RDONLY, PIPE_BUF, SOCK_STREAM,
} from 'posix-ipc';
import { AbortError, poll, read, recv, send, write, POLLHUP, POLLIN, POLLNVAL, POLLOUT, type PollFd } from 'posix-ipc/promises';
import { forkChild, openFds, refusedArguments, waitChild, type RefusedCase } from './helpers';
import { isPending, pkg, promisesPkg, rejection, runScript } from './promises-helpers';

/** What a sync read finds now, without waiting (the read end is made non-blocking for it). */
function drainNow(r: number): string {
  const flags = fcntl(r, F_GETFL);
  fcntl(r, F_SETFL, flags | O_NONBLOCK);
  let out = '';
  try {
    const buf = Buffer.alloc(65536);
    for (;;) out += buf.toString('latin1', 0, readSync(r, buf));
  } catch (e) {
    if ((e as SyscallError).code !== 'EAGAIN') throw e;
  } finally {
    fcntl(r, F_SETFL, flags);
  }
  return out;
}

const sanitized = /libasan/.test(process.env.LD_PRELOAD ?? '');

/** Waits until process `pid` sits in read(2) on `fd` (from /proc/<pid>/syscall); false after 20 s. */
async function blockedInRead(pid: number, fd: number): Promise<boolean> {
  const readNr = ({ x64: 0, arm64: 63 } as Record<string, number>)[process.arch];
  if (readNr === undefined) return true; // another architecture: the check is skipped
  for (let i = 0; i < 2000; i++) {
    const fields = fs.readFileSync(`/proc/${pid}/syscall`, 'utf8').split(' ');
    if (Number(fields[0]) === readNr && Number(fields[1]) === fd) return true;
    await new Promise((res) => setTimeout(res, 10));
  }
  return false;
}

function tmpPath(name: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'posix-ipc-promises-')), name);
}

describe('promises: read and write', () => {
  it('read resolves at once when the data is there', async () => {
    const [r, w] = pipe();
    writeSync(w, 'ready');
    const buf = Buffer.alloc(16);
    expect(await read(r, buf)).toBe(5);
    expect(buf.toString('utf8', 0, 5)).toBe('ready');
    close(r);
    close(w);
  });

  it('read waits for a later write while the event loop runs on', async () => {
    const [r, w] = pipe();
    const buf = Buffer.alloc(16);
    const pending = read(r, buf, 3);
    expect(await isPending(pending)).toBe(true);
    let timerRan = false;
    await new Promise((res) => setTimeout(res, 20)).then(() => { timerRan = true; });
    expect(timerRan).toBe(true);
    expect(await write(w, 'later')).toBe(5);
    expect(await pending).toBe(3);
    expect(buf.toString('utf8', 0, 3)).toBe('lat');
    expect(await read(r, buf)).toBe(2); // the rest stayed in the pipe
    close(r);
    close(w);
  });

  it('write waits while the pipe is full and resolves once a reader drains it', async () => {
    const [r, w] = pipe();
    const first = await write(w, Buffer.alloc(1 << 20, 1)); // partial: the pipe's capacity
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(1 << 20);
    const pending = write(w, 'x');
    expect(await isPending(pending)).toBe(true);
    const buf = Buffer.alloc(first);
    let got = 0;
    while (got < first) got += readSync(r, buf.subarray(got));
    expect(await pending).toBe(1);
    expect(readSync(r, buf)).toBe(1);
    expect(buf[0]).toBe('x'.charCodeAt(0));
    close(r);
    close(w);
  });

  it('up to PIPE_BUF bytes go in whole once there is room', async () => {
    const [r, w] = pipe();
    const cap = await write(w, Buffer.alloc(1 << 20));
    const record = Buffer.alloc(PIPE_BUF, 7);
    const pending = write(w, record);
    expect(readSync(r, Buffer.alloc(100))).toBe(100); // 100 bytes of room: not enough for the record
    expect(await isPending(pending)).toBe(true);
    const buf = Buffer.alloc(cap);
    let got = 100;
    while (got < cap) got += readSync(r, buf.subarray(0, cap - got));
    expect(await pending).toBe(PIPE_BUF);
    close(r);
    close(w);
  });

  it('end of file: every waiting read resolves with 0 when the last write end closes', async () => {
    const [r, w] = pipe();
    const a = read(r, Buffer.alloc(4));
    const b = read(r, Buffer.alloc(4));
    expect(await isPending(a)).toBe(true);
    close(w);
    expect(await Promise.all([a, b])).toEqual([0, 0]);
    close(r);
  });

  it('calls waiting on one descriptor are served in the order they were made', async () => {
    const [r, w] = pipe();
    const bufs = [Buffer.alloc(1), Buffer.alloc(1), Buffer.alloc(1)];
    const reads = bufs.map((b) => read(r, b));
    expect(await isPending(reads[0]!)).toBe(true);
    writeSync(w, 'a');
    expect(await reads[0]).toBe(1);
    expect(await isPending(reads[1]!)).toBe(true);
    writeSync(w, 'bc');
    expect(await Promise.all(reads)).toEqual([1, 1, 1]);
    expect(bufs.map((b) => b.toString())).toEqual(['a', 'b', 'c']);
    // A new call does not jump the queue when data arrives for the calls already waiting.
    const first = Buffer.alloc(1);
    const queued = read(r, first);
    expect(await isPending(queued)).toBe(true);
    writeSync(w, 'de');
    const second = Buffer.alloc(1);
    expect(await read(r, second)).toBe(1);
    expect(await queued).toBe(1);
    expect(first.toString() + second.toString()).toBe('de');
    close(r);
    close(w);
  });

  it('rejects with SyscallError: EBADF on a closed fd, EPIPE with no reader (code, syscall, fd)', async () => {
    const [r, w] = pipe();
    close(r);
    const epipe = await rejection(write(w, 'x'));
    expect(epipe).toBeInstanceOf(SyscallError);
    expect(epipe).toMatchObject({ code: 'EPIPE', errno: -32, syscall: 'write', fd: w });
    close(w);
    const ebadf = await rejection(read(r, Buffer.alloc(1)));
    expect(ebadf).toMatchObject({ name: 'SyscallError', code: 'EBADF', syscall: 'read', fd: r });
    expect(String(ebadf.message).split('\n')[0]).toBe(`read EBADF fd ${r} (Bad file descriptor)`);
    // EPIPE also for a write that was waiting when the last reader went away.
    const [r2, w2] = pipe();
    await write(w2, Buffer.alloc(1 << 20));
    const waiting = write(w2, 'y');
    expect(await isPending(waiting)).toBe(true);
    close(r2);
    expect(await rejection(waiting)).toMatchObject({ code: 'EPIPE', syscall: 'write', fd: w2 });
    close(w2);
  });

  it('a regular file (epoll cannot watch it) is read and written at once', async () => {
    const file = tmpPath('data.txt');
    const wfd = fs.openSync(file, 'w');
    expect(await write(wfd, 'file data')).toBe(9);
    fs.closeSync(wfd);
    const rfd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(32);
    expect(await read(rfd, buf)).toBe(9);
    expect(buf.toString('utf8', 0, 9)).toBe('file data');
    expect(await read(rfd, buf)).toBe(0);
    fs.closeSync(rfd);
    expect(await rejection(read(rfd, buf))).toMatchObject({ code: 'EBADF', syscall: 'read', fd: rfd });
  });

  it('a FIFO (no RWF_NOWAIT) is read and written without waiting and without O_NONBLOCK', async () => {
    const fifo = tmpPath('fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    fcntl(r, F_SETFL, O_RDONLY); // a blocking reader, as a plain open gives
    const w = fs.openSync(fifo, 'w');
    const [rFlags, wFlags] = [fcntl(r, F_GETFL), fcntl(w, F_GETFL)];
    const buf = Buffer.alloc(16);
    const pending = read(r, buf);
    expect(await isPending(pending)).toBe(true);
    writeSync(w, 'fifo');
    expect(await pending).toBe(4);
    expect(buf.toString('utf8', 0, 4)).toBe('fifo');
    // A write waiting on the full FIFO, then the writer closed through posix-ipc: the write rejects
    // with EBADF, and the reader then sees end of file (nothing else holds the FIFO open for writing).
    const cap = await write(w, Buffer.alloc(1 << 20));
    const waiting = write(w, 'z');
    expect(await isPending(waiting)).toBe(true);
    expect([fcntl(r, F_GETFL), fcntl(w, F_GETFL)]).toEqual([rFlags, wFlags]);
    close(w);
    expect(await rejection(waiting)).toMatchObject({ code: 'EBADF', syscall: 'write', fd: w });
    let got = 0;
    const sink = Buffer.alloc(65536);
    for (let n; (n = await read(r, sink)) > 0;) got += n;
    expect(got).toBe(cap);
    expect(fcntl(r, F_GETFL)).toBe(rFlags);
    close(r);
  });

  it('never changes the descriptor\'s flags, before, while and after waiting', async () => {
    const [r, w] = pipe();
    const before = [fcntl(r, F_GETFL), fcntl(w, F_GETFL)];
    expect(before[0]! & O_NONBLOCK).toBe(0);
    const pending = read(r, Buffer.alloc(1));
    expect(await isPending(pending)).toBe(true);
    expect([fcntl(r, F_GETFL), fcntl(w, F_GETFL)]).toEqual(before);
    await write(w, 'x');
    await pending;
    expect([fcntl(r, F_GETFL), fcntl(w, F_GETFL)]).toEqual(before);
    close(r);
    close(w);
  });

  it('takes { signal } in place of the count, or after it', async () => {
    const [r, w] = pipe();
    const { signal } = new AbortController();
    writeSync(w, 'abcd');
    const buf = Buffer.alloc(8);
    expect(await read(r, buf, 1, { signal })).toBe(1);
    expect(await read(r, buf, { signal })).toBe(3);
    expect(await write(w, 'xyz', { signal })).toBe(3);
    expect(await write(w, 'xyz', 1, {})).toBe(1);
    expect(drainNow(r)).toBe('xyzx');
    close(r);
    close(w);
  });
});

describe('promises: abort', () => {
  it('an already aborted signal rejects with AbortError before any system call', async () => {
    const [r, w] = pipe();
    writeSync(w, 'x');
    const ac = new AbortController();
    ac.abort();
    const e = await rejection(read(r, Buffer.alloc(1), { signal: ac.signal }));
    expect(e).toBeInstanceOf(AbortError);
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ name: 'AbortError', code: 'ABORT_ERR', message: 'The operation was aborted' });
    expect((e.cause as Error).name).toBe('AbortError'); // the signal's reason, a DOMException
    expect(drainNow(r)).toBe('x'); // not consumed
    // No system call: a closed descriptor gives AbortError, not EBADF.
    close(r);
    expect(await rejection(read(r, Buffer.alloc(1), { signal: ac.signal }))).toBeInstanceOf(AbortError);
    expect(await rejection(write(w, 'x', { signal: ac.signal }))).toBeInstanceOf(AbortError);
    expect(await rejection(poll([{ fd: w, events: POLLOUT }], { signal: ac.signal }))).toBeInstanceOf(AbortError);
    close(w);
  });

  it('aborting while waiting rejects, and the bytes written later go to the next reader', async () => {
    const [r, w] = pipe();
    const ac = new AbortController();
    const buf = Buffer.alloc(8, 0x2e);
    const pending = read(r, buf, { signal: ac.signal });
    expect(await isPending(pending)).toBe(true);
    ac.abort(new Error('enough'));
    const e = await rejection(pending);
    expect(e).toBeInstanceOf(AbortError);
    expect((e.cause as Error).message).toBe('enough');
    writeSync(w, 'kept');
    const next = Buffer.alloc(8);
    expect(await read(r, next)).toBe(4);
    expect(next.toString('utf8', 0, 4)).toBe('kept');
    expect(buf.toString()).toBe('........'); // the aborted call's buffer was never written
    close(r);
    close(w);
  });

  it('aborting after the data arrived but before the loop served the call: rejected, data kept', async () => {
    const [r, w] = pipe();
    const ac = new AbortController();
    const pending = read(r, Buffer.alloc(8), { signal: ac.signal });
    expect(await isPending(pending)).toBe(true);
    writeSync(w, 'ready'); // the descriptor is ready now; the loop has not run yet
    ac.abort();
    expect(await rejection(pending)).toBeInstanceOf(AbortError);
    expect(drainNow(r)).toBe('ready');
    close(r);
    close(w);
  });

  it('aborting after the call settled changes nothing', async () => {
    const [r, w] = pipe();
    const ac = new AbortController();
    const pending = read(r, Buffer.alloc(8), { signal: ac.signal });
    writeSync(w, 'done');
    expect(await pending).toBe(4);
    ac.abort();
    expect(await pending).toBe(4);
    // and a call that settled at once
    writeSync(w, 'now');
    const ac2 = new AbortController();
    const immediate = read(r, Buffer.alloc(8), { signal: ac2.signal });
    ac2.abort();
    expect(await immediate).toBe(3);
    close(r);
    close(w);
  });

  it('aborting one waiting call leaves the others waiting in order', async () => {
    const [r, w] = pipe();
    const ac = new AbortController();
    const a = Buffer.alloc(1);
    const c = Buffer.alloc(1);
    const first = read(r, a);
    const second = read(r, Buffer.alloc(1), { signal: ac.signal });
    const third = read(r, c);
    expect(await isPending(third)).toBe(true);
    ac.abort();
    expect(await rejection(second)).toBeInstanceOf(AbortError);
    writeSync(w, 'xy');
    expect(await Promise.all([first, third])).toEqual([1, 1]);
    expect(a.toString() + c.toString()).toBe('xy');
    close(r);
    close(w);
  });

  it('an aborted write wrote nothing', async () => {
    const [r, w] = pipe();
    const cap = await write(w, Buffer.alloc(1 << 20, 1));
    const ac = new AbortController();
    const pending = write(w, Buffer.alloc(10, 2), { signal: ac.signal });
    expect(await isPending(pending)).toBe(true);
    ac.abort();
    expect(await rejection(pending)).toBeInstanceOf(AbortError);
    const all = drainNow(r);
    expect(all.length).toBe(cap);
    expect(all.includes('\u0002')).toBe(false);
    close(r);
    close(w);
  });

  it('one signal for many calls; its listeners go away as the calls settle', async () => {
    const [r, w] = pipe();
    const ac = new AbortController();
    const { signal } = ac;
    const reads = Array.from({ length: 5 }, () => read(r, Buffer.alloc(1), { signal }));
    expect(await isPending(reads[4]!)).toBe(true);
    expect(getEventListeners(signal, 'abort')).toHaveLength(5);
    writeSync(w, 'abc');
    expect(await Promise.all(reads.slice(0, 3))).toEqual([1, 1, 1]);
    expect(getEventListeners(signal, 'abort')).toHaveLength(2);
    ac.abort();
    for (const p of reads.slice(3)) expect(await rejection(p)).toBeInstanceOf(AbortError);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    close(r);
    close(w);
  });
});

describe('promises: close while waiting', () => {
  it('posix-ipc close rejects the calls waiting on the fd with EBADF; others go on', async () => {
    const [r, w] = pipe();
    const [r2, w2] = pipe();
    const a = read(r, Buffer.alloc(1));
    const b = read(r, Buffer.alloc(1));
    const other = read(r2, Buffer.alloc(4));
    expect(await isPending(b)).toBe(true);
    close(r);
    for (const p of [a, b]) expect(await rejection(p)).toMatchObject({ code: 'EBADF', syscall: 'read', fd: r });
    expect(openFds()).not.toContain(r);
    writeSync(w2, 'on');
    expect(await other).toBe(2);
    // The number is reused by the next pipe; its calls wait and complete as usual.
    const [r3, w3] = pipe();
    expect(r3).toBe(r);
    const again = read(r3, Buffer.alloc(4));
    expect(await isPending(again)).toBe(true);
    writeSync(w3, 'new');
    expect(await again).toBe(3);
    for (const fd of [w, r2, w2, r3, w3]) close(fd);
  });

  it('closed behind posix-ipc\'s back (fs.closeSync) and reused: the old calls fail with EBADF, new ones work', async () => {
    const [r, w] = pipe();
    const old = read(r, Buffer.alloc(4));
    expect(await isPending(old)).toBe(true);
    fs.closeSync(r); // posix-ipc is not told
    const [r2, w2] = pipe();
    expect(r2).toBe(r); // the number is reused
    const fresh = read(r2, Buffer.alloc(4));
    expect(await rejection(old)).toMatchObject({ code: 'EBADF', syscall: 'read', fd: r });
    writeSync(w2, 'new');
    expect(await fresh).toBe(3);
    for (const fd of [w, r2, w2]) close(fd);
  });

  // After a call waited, its descriptor's registration stays in the readiness set, disarmed, for
  // the next call on that number. A number that names another file by then must still wake.
  it('a number that waited before and now names another file (closed by posix-ipc, behind its back, or still open through a dup) wakes its new calls', async () => {
    for (const how of ['close', 'fs.closeSync', 'dup kept'] as const) {
      const [r, w] = pipe();
      const first = read(r, Buffer.alloc(4));
      expect(await isPending(first)).toBe(true);
      writeSync(w, 'one');
      expect(await first).toBe(3); // waited, then settled: r's registration is parked
      const copy = how === 'dup kept' ? dup(r) : -1;
      if (how === 'fs.closeSync') fs.closeSync(r);
      else close(r);
      const [r2, w2] = pipe();
      expect(r2).toBe(r);
      const fresh = read(r2, Buffer.alloc(4));
      expect(await isPending(fresh), how).toBe(true);
      writeSync(w2, 'two');
      expect(await fresh, how).toBe(3);
      if (copy >= 0) {
        writeSync(w, 'old'); // the old file's parked registration stays silent
        const again = read(r2, Buffer.alloc(4));
        expect(await isPending(again), how).toBe(true);
        writeSync(w2, 'new');
        expect(await again, how).toBe(3);
        // The number goes back to the first file, whose registration under it is still in the set.
        const waiting = read(r2, Buffer.alloc(4));
        expect(await isPending(waiting)).toBe(true);
        close(r2);
        expect(await rejection(waiting)).toMatchObject({ code: 'EBADF' });
        expect(readSync(copy, Buffer.alloc(8))).toBe(3); // 'old': the first pipe is empty again
        expect(dup2(copy, r)).toBe(r);
        const back = read(r, Buffer.alloc(4));
        expect(await isPending(back)).toBe(true);
        writeSync(w, 'end');
        expect(await back).toBe(3);
        close(copy);
      }
      for (const fd of [w, r2, w2]) close(fd);
    }
  });

  it('a parked number closed by posix-ipc and reused, whose first new call sleeps on its timer, is registered anew', async () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
    const first = recv(a, Buffer.alloc(4));
    expect(await isPending(first)).toBe(true);
    sendSync(b, 'one');
    expect(await first).toBe(3); // waited, then settled: a's registration is parked
    close(a); // nothing waits anywhere: the close does not tell the waiting machinery
    close(b);
    const [c, d] = socketpair(AF_UNIX, SOCK_STREAM);
    expect(c).toBe(a);
    // MSG_PEEK | MSG_WAITALL with too few bytes queued: no readiness event says when there are
    // enough, so the call sleeps on its retry timer, and nothing is armed meanwhile.
    sendSync(d, 'x');
    const peek = recv(c, Buffer.alloc(4), 4, MSG_PEEK | MSG_WAITALL);
    expect(await isPending(peek)).toBe(true);
    // A second call on the number looks at the registration: it must not find the old file's
    // gone and take c for closed.
    expect(await send(c, 'ok')).toBe(2);
    sendSync(d, 'yz!');
    expect(await peek).toBe(4);
    close(c);
    close(d);
  });

  // A call woken while its descriptor is the only one with waiting calls is attempted before the
  // readiness set is read, and its one-shot registration is left armed. If it reports again while
  // nothing waits on it (here: while another descriptor's call waits), the set must be read and
  // the report consumed, or the event loop would spin on a set that stays readable.
  it('a registration left armed by a wakeup reports at most once: the loop does not spin while another call waits', async () => {
    const [a, a2] = socketpair(AF_UNIX, SOCK_STREAM);
    const [b, b2] = socketpair(AF_UNIX, SOCK_STREAM);
    const buf = Buffer.alloc(8);
    const first = recv(a, buf);
    expect(await isPending(first)).toBe(true);
    sendSync(a2, 'one');
    expect(await first).toBe(3); // woken alone: a's registration may still be armed
    const other = recv(b, Buffer.alloc(8));
    expect(await isPending(other)).toBe(true);
    sendSync(a2, 'two'); // a is ready, and nothing waits on it
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((res) => setTimeout(res, 300));
    const cpu = process.cpuUsage(cpu0);
    const wall = performance.now() - t0;
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(wall / 3);
    expect(await isPending(other)).toBe(true);
    sendSync(b2, 'three');
    expect(await other).toBe(5);
    expect(await recv(a, buf)).toBe(3); // 'two' is still there for the next reader
    expect(buf.toString('latin1', 0, 3)).toBe('two');
    for (const fd of [a, a2, b, b2]) close(fd);
  });

  // The same armed registration must not be taken for another descriptor's report: here the one
  // waiting call's descriptor was closed behind posix-ipc's back and its number reused, and a
  // wakeup that ran that call without reading the set would take the new file's bytes.
  it('a report from a registration left armed does not run another descriptor\'s call on a file that took its number', async () => {
    const [a, a2] = socketpair(AF_UNIX, SOCK_STREAM);
    const [b, b2] = socketpair(AF_UNIX, SOCK_STREAM);
    const first = recv(a, Buffer.alloc(8));
    expect(await isPending(first)).toBe(true);
    sendSync(a2, 'one');
    expect(await first).toBe(3); // woken alone: a's registration may still be armed
    const mine = Buffer.alloc(16);
    const waiting = recv(b, mine);
    expect(await isPending(waiting)).toBe(true);
    fs.closeSync(b); // behind posix-ipc's back
    const [c, c2] = socketpair(AF_UNIX, SOCK_STREAM);
    expect(c).toBe(b);
    sendSync(c2, 'not-yours');
    sendSync(a2, 'two'); // a reports
    await new Promise((res) => setTimeout(res, 50));
    expect(await isPending(waiting)).toBe(true); // the old call has not read c's bytes
    const buf = Buffer.alloc(16);
    expect(await recv(c, buf)).toBe(9); // a call on the new file gets them (and the old one EBADF)
    expect(buf.toString('latin1', 0, 9)).toBe('not-yours');
    expect(await rejection(waiting)).toMatchObject({ code: 'EBADF' });
    for (const fd of [a, a2, b2, c, c2]) close(fd);
  });

  // A registration still armed when its descriptor was closed behind posix-ipc's back, its file
  // kept open by a dup, cannot be taken out of the set any more: it must not make a wakeup run the
  // one waiting call of another descriptor (closed and reused the same way) on the new file.
  for (const how of ['an abort', 'a new call on the reused number'] as const) {
    it(`a registration left armed in the set after ${how} does not run another descriptor's call on a file that took its number`, async () => {
      const [a, a2] = socketpair(AF_UNIX, SOCK_STREAM);
      const [b, b2] = socketpair(AF_UNIX, SOCK_STREAM);
      const ac = new AbortController();
      const old = recv(a, Buffer.alloc(8), { signal: ac.signal });
      expect(await isPending(old)).toBe(true);
      const keep = dup(a); // a's file outlives its number
      fs.closeSync(a);
      const fillers: number[] = [];
      if (how === 'an abort') {
        ac.abort();
        expect(await rejection(old)).toMatchObject({ name: 'AbortError' });
        fillers.push(fs.openSync('/dev/null', 'r'));
      } else {
        fillers.push(...socketpair(AF_UNIX, SOCK_STREAM));
        const other = new AbortController();
        const onX = recv(fillers[0]!, Buffer.alloc(8), { signal: other.signal }); // finds a's calls gone
        expect(await rejection(old)).toMatchObject({ code: 'EBADF' });
        other.abort();
        await rejection(onX);
      }
      expect(fillers[0]).toBe(a);
      const mine = Buffer.alloc(16);
      const waiting = recv(b, mine);
      expect(await isPending(waiting)).toBe(true);
      fs.closeSync(b);
      const [c, c2] = socketpair(AF_UNIX, SOCK_STREAM);
      expect(c).toBe(b);
      sendSync(c2, 'not-yours');
      sendSync(a2, 'two'); // a's old registration reports
      await new Promise((res) => setTimeout(res, 50));
      expect(await isPending(waiting)).toBe(true); // the old call on b has not read c's bytes
      const buf = Buffer.alloc(16);
      expect(await recv(c, buf)).toBe(9);
      expect(await rejection(waiting)).toMatchObject({ code: 'EBADF' });
      for (const fd of [a2, b2, c, c2, keep, ...fillers]) close(fd);
    });
  }

  it('closing a write end with a waiting write', async () => {
    const [r, w] = pipe();
    await write(w, Buffer.alloc(1 << 20));
    const pending = write(w, 'x');
    expect(await isPending(pending)).toBe(true);
    close(w);
    expect(await rejection(pending)).toMatchObject({ code: 'EBADF', syscall: 'write', fd: w });
    close(r);
  });
});

describe('promises: poll', () => {
  it('resolves when a descriptor becomes ready, then sets every revents', async () => {
    const [r, w] = pipe();
    const [r2, w2] = pipe();
    const fds: PollFd[] = [{ fd: r, events: POLLIN }, { fd: r2, events: POLLIN }];
    const pending = poll(fds);
    expect(await isPending(pending)).toBe(true);
    expect(fds[0]!.revents).toBeUndefined();
    writeSync(w2, 'x');
    expect(await pending).toBe(1);
    expect(fds.map((p) => p.revents)).toEqual([0, POLLIN]);
    for (const fd of [r, w, r2, w2]) close(fd);
  });

  it('timeout: 0 at once when nothing is ready; a timeout that runs out gives 0', async () => {
    const [r, w] = pipe();
    const fds: PollFd[] = [{ fd: r, events: POLLIN }];
    expect(await poll(fds, 0)).toBe(0);
    expect(fds[0]!.revents).toBe(0);
    const pending = poll(fds, 50);
    expect(await isPending(pending)).toBe(true);
    expect(await pending).toBe(0);
    expect(fds[0]!.revents).toBe(0);
    close(r);
    close(w);
  });

  it('settles at once for what poll(2) reports at once: POLLNVAL, POLLHUP, a ready entry', async () => {
    const [r, w] = pipe();
    close(w);
    const fds: PollFd[] = [{ fd: 999, events: POLLIN }, { fd: r, events: POLLIN }, { fd: -1, events: POLLIN }];
    expect(await poll(fds)).toBe(2);
    expect(fds.map((p) => p.revents)).toEqual([POLLNVAL, POLLHUP, 0]);
    close(r);
  });

  it('a descriptor listed twice waits for both entries\' events', async () => {
    const [r, w] = pipe();
    await write(w, Buffer.alloc(1 << 20));
    const fds: PollFd[] = [{ fd: w, events: POLLOUT }, { fd: r, events: POLLOUT }, { fd: w, events: POLLIN }];
    const pending = poll(fds);
    expect(await isPending(pending)).toBe(true);
    readSync(r, Buffer.alloc(65536));
    expect(await pending).toBe(1);
    expect(fds.map((p) => p.revents)).toEqual([POLLOUT, 0, 0]);
    close(r);
    close(w);
  });

  it('abort: rejects and leaves the entries as they were', async () => {
    const [r, w] = pipe();
    const ac = new AbortController();
    const fds: PollFd[] = [{ fd: r, events: POLLIN, revents: 77 }];
    const pending = poll(fds, 60_000, { signal: ac.signal });
    expect(await isPending(pending)).toBe(true);
    ac.abort();
    expect(await rejection(pending)).toBeInstanceOf(AbortError);
    expect(fds[0]!.revents).toBe(77);
    close(r);
    close(w);
  });

  it('closing a polled descriptor is not poll\'s failure: its entry reports POLLNVAL', async () => {
    const [r, w] = pipe();
    const [r2, w2] = pipe();
    const alone: PollFd[] = [{ fd: r, events: POLLIN }];
    const withOthers: PollFd[] = [{ fd: r2, events: POLLIN }, { fd: w2, events: POLLIN }];
    const p1 = poll(alone);
    const p2 = poll(withOthers);
    expect(await isPending(p2)).toBe(true);
    close(r);
    expect(await p1).toBe(1);
    expect(alone[0]!.revents).toBe(POLLNVAL);
    close(w2); // r2 now hangs up too
    expect(await p2).toBe(2);
    expect(withOthers.map((p) => p.revents)).toEqual([POLLHUP, POLLNVAL]);
    close(w);
    close(r2);
  });

  refusedArguments([
    ['poll("x")', () => poll('x' as never), TypeError],
    ['poll([{ fd: 1.5 }])', () => poll([{ fd: 1.5, events: POLLIN }]), RangeError],
    ['poll([{ events: 0x10000 }])', () => poll([{ fd: 0, events: 0x10000 }]), RangeError],
    ['poll([], 1.5)', () => poll([], 1.5), RangeError],
    ['poll([], 0, { signal: 1 })', () => poll([], 0, { signal: 1 as never }), TypeError],
  ], 'rejects');
});

describe('promises: wrong arguments reject before any system call', () => {
  const [r, w] = pipe();
  const cases: RefusedCase[] = [
    ['read("3", buf)', () => read('3' as never, Buffer.alloc(1)), TypeError],
    ['read(1.5, buf)', () => read(1.5, Buffer.alloc(1)), RangeError],
    ['read(fd, "text")', () => read(r, 'text' as never), TypeError],
    ['read(fd, buf, 5) past a 4-byte buffer', () => read(r, Buffer.alloc(4), 5), RangeError],
    ['read(fd, buf, -1)', () => read(r, Buffer.alloc(4), -1), RangeError],
    ['read(fd, buf, null)', () => read(r, Buffer.alloc(4), null as never), TypeError],
    ['read(fd, buf, 1, "x")', () => read(r, Buffer.alloc(4), 1, 'x' as never), TypeError],
    ['read(fd, buf, { signal: {} })', () => read(r, Buffer.alloc(4), { signal: {} as never }), TypeError],
    ['read(fd, buf, { signal: null })', () => read(r, Buffer.alloc(4), { signal: null as never }), TypeError],
    ['write(fd, 42)', () => write(w, 42 as never), TypeError],
    ['write(fd, "abc", 4) past the UTF-8 bytes', () => write(w, 'abc', 4), RangeError],
    ['write(fd, buf, { signal: "x" })', () => write(w, 'x', { signal: 'x' as never }), TypeError],
  ];
  refusedArguments(cases, 'rejects');
  it('nothing was read or written by the refused calls', () => {
    expect(drainNow(r)).toBe('');
    close(r);
    close(w);
  });
});

describe('promises: many at once', () => {
  it('100 pipes concurrently in one process, every byte checked', async () => {
    const size = 200_000; // more than a pipe holds: writers wait on full pipes, readers on empty ones
    const pattern = (i: number) => {
      const b = Buffer.alloc(size);
      for (let k = 0; k < size; k++) b[k] = (k * 31 + i * 7) & 0xff;
      return b;
    };
    const transfer = async (i: number) => {
      const [r, w] = pipe();
      const data = pattern(i);
      const writer = (async () => {
        let sent = 0;
        while (sent < size) sent += await write(w, data.subarray(sent, Math.min(size, sent + 1 + ((sent * 7919 + i) % 70_000))));
        close(w);
      })();
      const got = Buffer.alloc(size + 1);
      let n = 0;
      for (let k; (k = await read(r, got.subarray(n, Math.min(got.length, n + 1 + ((n * 104729 + i) % 50_000))))) > 0;) n += k;
      await writer;
      close(r);
      return n === size && got.subarray(0, n).equals(data);
    };
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => transfer(i)));
    expect(results.every(Boolean)).toBe(true);
  });

  it('1,000 reads waiting on 1,000 pipes: readFile and the threadpool run meanwhile, then all complete', async () => {
    const pipes = Array.from({ length: 1000 }, () => pipe());
    let settled = 0;
    const bufs = pipes.map(() => Buffer.alloc(8));
    const reads = pipes.map(([r], i) => read(r, bufs[i]!).finally(() => settled++));
    expect(await isPending(reads[999]!)).toBe(true);
    // Not delayed: these complete while every read is still waiting (no thread is parked).
    const text = await fs.promises.readFile(__filename, 'utf8');
    await new Promise<void>((res, rej) => crypto.pbkdf2('pw', 'salt', 1000, 32, 'sha256', (e) => (e ? rej(e) : res())));
    expect(text).toContain('1,000 reads');
    expect(settled).toBe(0);
    pipes.forEach(([, w], i) => writeSync(w, `#${i}`));
    const counts = await Promise.all(reads);
    expect(counts.every((n, i) => n === `#${i}`.length)).toBe(true);
    expect(bufs.every((b, i) => b.toString('utf8', 0, counts[i]) === `#${i}`)).toBe(true);
    for (const [r, w] of pipes) {
      close(r);
      close(w);
    }
  });
});

/**
 * The registrations of `fd` in this process's epoll instances: for each, the number its reports
 * name (fdinfo's `data`, which posix-ipc sets to the descriptor's own number, or to another one's
 * for the direct registration in libuv's own instance).
 */
function registrationsOf(fd: number): number[] {
  const out: number[] = [];
  for (const name of fs.readdirSync('/proc/self/fd')) {
    let target = '';
    try {
      target = fs.readlinkSync(`/proc/self/fd/${name}`);
    } catch {
      continue; // closed meanwhile
    }
    if (target !== 'anon_inode:[eventpoll]') continue;
    for (const line of fs.readFileSync(`/proc/self/fdinfo/${name}`, 'utf8').split('\n')) {
      const m = /^tfd:\s*(\d+)\s+events:\s*[0-9a-f]+\s+data:\s*([0-9a-f]+)/.exec(line);
      if (m && Number(m[1]) === fd) out.push(Number.parseInt(m[2]!, 16));
    }
  }
  return out;
}

// One descriptor at a time waits with its registration in libuv's own epoll instance rather than
// in posix-ipc's set (which libuv watches): that saves the kernel the nested wakeup. Its reports
// name another number, which libuv hands to posix-ipc; the others' name their own.
describe('promises: the direct registration', () => {
  it('the first descriptor to wait is registered in libuv\'s instance, the next in the set; each call gets its own bytes', async () => {
    const [a, a2] = socketpair(AF_UNIX, SOCK_STREAM);
    const [b, b2] = socketpair(AF_UNIX, SOCK_STREAM);
    const bufA = Buffer.alloc(16);
    const bufB = Buffer.alloc(16);
    for (let round = 0; round < 3; round++) {
      const onA = recv(a, bufA);
      const onB = recv(b, bufB);
      expect(await isPending(onA)).toBe(true);
      expect(await isPending(onB)).toBe(true);
      if (round === 0) {
        const [direct] = registrationsOf(a);
        expect(registrationsOf(a)).toHaveLength(1);
        expect(direct).not.toBe(a); // tagged with the placeholder's number: the direct one
        expect(registrationsOf(b)).toEqual([b]); // in the set, under its own number
      }
      // The set's member first, then the direct one, then the other way round.
      if (round % 2 === 0) {
        sendSync(b2, `b${round}`);
        expect(await onB).toBe(2);
        expect(await isPending(onA)).toBe(true);
        sendSync(a2, `a${round}`);
        expect(await onA).toBe(2);
      } else {
        sendSync(a2, `a${round}`);
        expect(await onA).toBe(2);
        expect(await isPending(onB)).toBe(true);
        sendSync(b2, `b${round}`);
        expect(await onB).toBe(2);
      }
      expect(bufA.toString('latin1', 0, 2)).toBe(`a${round}`);
      expect(bufB.toString('latin1', 0, 2)).toBe(`b${round}`);
    }
    for (const fd of [a, a2, b, b2]) close(fd);
  });

  it('closing the direct one while it waits rejects with EBADF and frees the slot for the next descriptor', async () => {
    const [a, a2] = socketpair(AF_UNIX, SOCK_STREAM);
    const waiting = recv(a, Buffer.alloc(8));
    expect(await isPending(waiting)).toBe(true);
    expect(registrationsOf(a)).not.toEqual([a]);
    close(a);
    expect(await rejection(waiting)).toMatchObject({ code: 'EBADF', fd: a });
    const [c, c2] = socketpair(AF_UNIX, SOCK_STREAM);
    const next = recv(c, Buffer.alloc(8));
    expect(await isPending(next)).toBe(true);
    expect(registrationsOf(c)).toHaveLength(1);
    expect(registrationsOf(c)).not.toEqual([c]);
    sendSync(c2, 'ok');
    expect(await next).toBe(2);
    for (const fd of [a2, c, c2]) close(fd);
  });

  it('a descriptor that waited directly can then be given to net.Socket, and its number reused afterwards', async () => {
    const [a, a2] = socketpair(AF_UNIX, SOCK_STREAM);
    const buf = Buffer.alloc(16);
    const first = recv(a, buf);
    expect(await isPending(first)).toBe(true);
    sendSync(a2, 'one');
    expect(await first).toBe(3); // its registration stays in libuv's instance, disarmed
    // Node's own handle on the same file and number: libuv finds the registration there and
    // takes it over (EEXIST, then EPOLL_CTL_MOD).
    const sock = new net.Socket({ fd: a, readable: true, writable: true });
    const data = new Promise<string>((res) => sock.once('data', (d: Buffer) => res(d.toString('latin1'))));
    sendSync(a2, 'two');
    expect(await data).toBe('two');
    await new Promise<void>((res, rej) => sock.write('back', (e) => (e ? rej(e) : res())));
    expect(await recv(a2, buf)).toBe(4);
    expect(buf.toString('latin1', 0, 4)).toBe('back');
    const closed = new Promise((res) => sock.once('close', res));
    sock.destroy(); // Node closes the descriptor, behind posix-ipc's back
    await closed;
    const [c, c2] = socketpair(AF_UNIX, SOCK_STREAM);
    expect(c).toBe(a);
    const next = recv(c, buf);
    expect(await isPending(next)).toBe(true);
    sendSync(c2, 'three');
    expect(await next).toBe(5);
    expect(buf.toString('latin1', 0, 5)).toBe('three');
    for (const fd of [a2, c, c2]) close(fd);
  });

  // libuv's instance holds Node's registrations too, and epoll names one by file and number: a
  // Node handle on the direct descriptor (given to it, or on a number reused behind posix-ipc's
  // back) must keep working, and posix-ipc's calls must neither hang nor take its bytes. Each in a
  // fresh process, where the direct slot is free.
  const scenario = (name: string) => {
    const r = spawnSync(process.execPath, [path.join(__dirname, 'fixtures', 'direct-and-node.cjs'), name], { encoding: 'utf8', timeout: 30_000 });
    expect(r.signal).toBe(null); // no libuv abort()
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };

  it('a descriptor that waited directly and was then given to net.Socket: the socket keeps its data when another descriptor waits', () => {
    expect(scenario('handoff')).toEqual({ first: 3, node: 'two', other: 1 });
  });

  it('a promise recv waiting while a net.Socket writes more than fits to the same descriptor settles', () => {
    expect(scenario('duplex')).toEqual({ drained: 4 << 20, settled: true, n: 5 });
  });

  it('closed behind posix-ipc\'s back while waiting directly, the number reused by a net.Socket: the old call does not take its bytes', () => {
    const r = scenario('wrongfile');
    expect(r).toMatchObject({ reused: true, sent: 2, node: 'for-node' });
    expect(r.old === 'pending' || r.old === 'EBADF').toBe(true);
  });

  it('closed behind posix-ipc\'s back while waiting directly, the number reused by a net.Socket, then aborted: the socket keeps working', () => {
    expect(scenario('abortdel')).toEqual({ reused: true, outcome: 'AbortError', node: 'hi', alive: true });
  });

  it('descriptors 0-2, which Node\'s stdio may watch, wait in the set', async () => {
    const saved = dup(0);
    const [a, a2] = socketpair(AF_UNIX, SOCK_STREAM);
    try {
      dup2(a, 0);
      const waiting = recv(0, Buffer.alloc(8));
      expect(await isPending(waiting)).toBe(true);
      expect(registrationsOf(0)).toEqual([0]);
      sendSync(a2, 'in');
      expect(await waiting).toBe(2);
    } finally {
      dup2(saved, 0);
      for (const fd of [saved, a, a2]) close(fd);
    }
  });
});

describe('promises: the process', () => {
  it('a waiting call keeps the process alive; the process ends once nothing waits', () => {
    // The child waits on a pipe the parent writes into after a while; 'beforeExit' shows when its
    // loop ran out of work.
    const script = `
      const { read } = require(${promisesPkg});
      process.on('beforeExit', () => console.log('beforeExit'));
      const buf = Buffer.alloc(16);
      read(3, buf).then((n) => console.log('data:' + buf.toString('utf8', 0, n)));
      console.log('waiting');`;
    const driver = `
      const { pipe, write, close } = require(${pkg});
      const [r, w] = pipe();
      const c = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(script)}], { stdio: ['ignore', 'pipe', 'inherit', r] });
      close(r);
      let out = '';
      c.stdout.on('data', (d) => {
        out += d;
        if (out === 'waiting\\n') setTimeout(() => write(w, 'hello'), 300);
      });
      c.on('exit', (code, signal) => console.log(JSON.stringify({ out, code, signal })));`;
    const r = runScript(driver);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ out: 'waiting\ndata:hello\nbeforeExit\n', code: 0, signal: null });
  });

  it('an aborted call no longer keeps the process alive', () => {
    const script = `
      const { pipe } = require(${pkg});
      const { read } = require(${promisesPkg});
      const [r] = pipe();
      const ac = new AbortController();
      read(r, Buffer.alloc(1), { signal: ac.signal }).catch((e) => console.log(e.name));
      setTimeout(() => ac.abort(), 50);`;
    const r = runScript(script, { timeout: 30_000 });
    expect(r.stdout).toBe('AbortError\n');
    expect(r.status).toBe(0);
  });

  it('process.exit while calls wait: the exit status is kept, no crash', () => {
    const script = `
      const { pipe } = require(${pkg});
      const { read, write, poll } = require(${promisesPkg});
      const [r, w] = pipe();
      read(r, Buffer.alloc(4)); read(r, Buffer.alloc(4));
      poll([{ fd: r, events: 1 }], 60000);
      write(w, Buffer.alloc(1 << 20)).then(() => write(w, 'x'));
      setTimeout(() => process.exit(7), 50);`;
    const r = runScript(script);
    expect(r.stderr).toBe('');
    expect([r.status, r.signal]).toEqual([7, null]);
  });

  it('a worker thread terminated while its calls wait: cleaned up, the main thread goes on', () => {
    const script = `
      const { Worker } = require('node:worker_threads');
      const { pipe, close, write: writeSync } = require(${pkg});
      const { read } = require(${promisesPkg});
      const worker = new Worker(\`
        const { parentPort } = require('node:worker_threads');
        const { pipe } = require(${pkg.replace(/"/g, "'")});
        const { read, write, poll } = require(${promisesPkg.replace(/"/g, "'")});
        const [r, w] = pipe();
        for (let i = 0; i < 10; i++) read(r, Buffer.alloc(4));
        poll([{ fd: r, events: 1 }], 60000);
        write(w, Buffer.alloc(1 << 20)).then(() => write(w, 'x'));
        setTimeout(() => parentPort.postMessage('waiting'), 20);\`, { eval: true });
      worker.on('message', async () => {
        await worker.terminate();
        const [r, w] = pipe();
        const p = read(r, Buffer.alloc(8));
        setTimeout(() => writeSync(w, 'main'), 20);
        console.log('main read', await p);
        close(r); close(w);
      });
      worker.on('error', (e) => { console.error(e); process.exitCode = 1; });`;
    const r = runScript(script);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('main read 4\n');
    expect(r.status).toBe(0);
  });

  // The same with the lecture's fork(): the child is a copy of this process, with this process's
  // posix-ipc state and readiness set, and reads with the sync module. Under AddressSanitizer a
  // forked JavaScript child may hang on an allocator lock (see test/load.test.ts): skipped there.
  it.skipIf(sanitized)('a blocking pipe shared with a forked child: a promise read here and a sync read there both get a byte, the flags never change', async () => {
    const [r, w] = pipe();
    const [report, reportW] = pipe();
    const flagsBefore = fcntl(r, F_GETFL);
    const ours = Buffer.alloc(1);
    const mine = read(r, ours);
    expect(await isPending(mine)).toBe(true);
    const theirs = Buffer.alloc(1);
    const flagsLine = Buffer.alloc(4);
    const pid = forkChild(() => {
      close(report);
      flagsLine.writeInt32LE(fcntl(r, F_GETFL));
      writeSync(reportW, flagsLine);
      const n = readSync(r, theirs); // blocking read(2): EAGAIN had O_NONBLOCK been set
      writeSync(reportW, theirs, n);
    });
    close(reportW);
    expect(await blockedInRead(pid, r)).toBe(true);
    expect(fcntl(r, F_GETFL)).toBe(flagsBefore);
    writeSync(w, 'ab'); // one byte each: both asked for one
    expect(await mine).toBe(1);
    expect(waitChild(pid)).toMatchObject({ kind: 'exited', code: 0 });
    const got = Buffer.alloc(8);
    let n = 0;
    for (let k; (k = readSync(report, got.subarray(n))) > 0;) n += k;
    expect(n).toBe(5);
    expect(got.readInt32LE(0)).toBe(flagsBefore);
    expect([ours.toString(), got.toString('latin1', 4, 5)].sort()).toEqual(['a', 'b']);
    expect(fcntl(r, F_GETFL)).toBe(flagsBefore);
    expect(flagsBefore & O_NONBLOCK).toBe(0);
    for (const fd of [r, w, report]) close(fd);
  });

  it('a blocking pipe shared with a child process: both sides read, and the flags never change', async () => {
    // The child reads with the sync module (a blocking read(2) on fd 3, a dup of our read end) while
    // this process waits with posix-ipc/promises on the same open file description. Had O_NONBLOCK
    // been set on it, even for a moment, the child's read would have failed with EAGAIN.
    const [r, w] = pipe();
    const flagsBefore = fcntl(r, F_GETFL);
    const ours = Buffer.alloc(1);
    const mine = read(r, ours);
    expect(await isPending(mine)).toBe(true);
    const childScript = `
      const { read, fcntl, F_GETFL } = require(${pkg});
      console.log('flags ' + fcntl(3, F_GETFL));
      const buf = Buffer.alloc(1);
      const n = read(3, buf);
      console.log('read ' + buf.toString('utf8', 0, n));`;
    const child = spawn(process.execPath, ['-e', childScript], { stdio: ['ignore', 'pipe', 'inherit', r] });
    const stdout = child.stdout!;
    let out = '';
    const lines = () => out.split('\n').filter(Boolean);
    stdout.on('data', (d: Buffer) => { out += d; });
    const waitFor = (pred: () => boolean) => new Promise<void>((res) => {
      const check = () => {
        if (!pred()) return;
        stdout.off('data', check);
        res();
      };
      stdout.on('data', check);
      check();
    });
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    await waitFor(() => lines().length >= 1);
    // Now the child is in a blocking read(2) of fd 3: the kernel says so in /proc/<pid>/syscall.
    expect(await blockedInRead(child.pid!, 3)).toBe(true);
    expect(fcntl(r, F_GETFL)).toBe(flagsBefore);
    writeSync(w, 'a');
    await Promise.race([mine, waitFor(() => lines().length >= 2)]);
    writeSync(w, 'b');
    await mine;
    expect(await exited).toBe(0);
    const childGot = lines()[1]!.slice('read '.length);
    expect([ours.toString(), childGot].sort()).toEqual(['a', 'b']);
    expect(lines()[0]).toBe(`flags ${flagsBefore}`);
    expect(fcntl(r, F_GETFL)).toBe(flagsBefore);
    expect(flagsBefore & O_NONBLOCK).toBe(0);
    close(r);
    close(w);
  });
});
