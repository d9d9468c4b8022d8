// Faults: the peer dies, a signal arrives mid-call, the descriptor table fills up, another thread
// closes a descriptor a call waits on. The survivor sees the kernel's answer (EOF, EPIPE,
// ECONNRESET, EMFILE, EBADF) and never hangs or crashes. The socket and thread scenarios run in a
// child process (test/faults/*.js) with a timeout: a hang is a failure, not a stuck test run.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { close, pipe, read, write } from 'posix-ipc';

const root = path.resolve(__dirname, '..');

describe('faults', () => {
  it('a full pipe whose reader is killed: the blocked write returns what fit, the next fails with EPIPE', async () => {
    const [r, w] = pipe();
    // The reader never reads; it is killed 300 ms after it starts.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => process.kill(process.pid, "SIGKILL"), 300)'], { stdio: [r, 'ignore', 'ignore'] });
    await new Promise((resolve) => child.once('spawn', resolve));
    close(r); // the child holds the only read end now
    const big = Buffer.alloc(1 << 20, 1);
    const n = write(w, big); // blocks on the full pipe until the reader dies
    expect(n).toBe(65536);
    expect(() => write(w, big)).toThrow(expect.objectContaining({ code: 'EPIPE', syscall: 'write' }));
    close(w);
    const status = await new Promise((resolve) => child.once('exit', (_code, sig) => resolve(sig)));
    expect(status).toBe('SIGKILL');
  });

  it('a writer killed mid-transfer: the reader gets the bytes sent, then EOF', async () => {
    const [r, w] = pipe();
    const child = spawn(process.execPath, ['-e', 'require("fs").writeSync(1, "x".repeat(1000)); process.kill(process.pid, "SIGKILL")'], { stdio: ['ignore', w, 'ignore'] });
    await new Promise((resolve) => child.once('spawn', resolve));
    close(w);
    const buf = Buffer.alloc(4096);
    let total = 0;
    for (let n; (n = read(r, buf)) > 0; ) total += n; // returns 0 once the killed writer's end is gone
    expect(total).toBe(1000);
    close(r);
    await new Promise((resolve) => child.once('exit', resolve));
  });

  it('a signal delivered while read blocks: the call completes with the data', () => {
    // The child blocks in read() on a pipe; its parent signals it (a handler is installed, so the
    // signal interrupts the call), then writes. The read must complete with the data, not EINTR.
    const script = `
      const p = require('posix-ipc');
      const { spawn } = require('child_process');
      const [r, w] = p.pipe();
      let signals = 0;
      process.on('SIGUSR2', () => { signals++; });
      const helper = spawn('sh', ['-c', 'sleep 0.3; kill -USR2 ' + process.pid + '; sleep 0.3; kill -USR2 ' + process.pid + '; sleep 0.3; printf late >&3'], { stdio: ['ignore', 'ignore', 'ignore', w] });
      p.close(w);
      const buf = Buffer.alloc(16);
      const n = p.read(r, buf);
      console.log(JSON.stringify({ n, text: buf.toString('utf8', 0, n) }));
      setImmediate(() => console.log(JSON.stringify({ signals })));`;
    const res = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', timeout: 20_000 });
    expect(res.status).toBe(0);
    const [first, second] = res.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(first).toEqual({ n: 4, text: 'late' });
    expect(second.signals).toBe(2); // both signals were delivered while read() waited
  });

  it('EMFILE at the descriptor limit, and the process recovers after closing', () => {
    const script = `
      const p = require('posix-ipc');
      const held = [];
      let code;
      try { for (;;) held.push(...p.pipe()); } catch (e) { code = e.code; }
      const count = held.length;
      for (const fd of held.splice(0, 8)) p.close(fd);
      const again = p.pipe();
      console.log(JSON.stringify({ code, count, again: again.length }));`;
    // The limit is lowered in a shell that then execs Node: never in the test runner itself.
    const res = spawnSync('sh', ['-c', 'ulimit -n 100 && exec "$0" -e "$1"', process.execPath, script], { cwd: root, encoding: 'utf8' });
    expect(res.status).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.code).toBe('EMFILE');
    expect(out.count).toBeGreaterThan(40);
    expect(out.again).toBe(2);
  });

  // A survivor script under a timeout: exits 0 and prints one JSON line, or the test fails.
  function survivor(script: string, args: string[], limitFds?: number): Record<string, unknown> {
    const file = path.join(__dirname, 'faults', script);
    const res = limitFds
      ? spawnSync('sh', ['-c', `ulimit -n ${limitFds} && exec "$0" "$@"`, process.execPath, file, ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 })
      : spawnSync(process.execPath, [file, ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(res.signal, `${script} ${args.join(' ')} was killed (hung?): ${res.stderr}`).toBeNull();
    expect(res.status, res.stderr).toBe(0);
    return JSON.parse(res.stdout.trim().split('\n').pop()!);
  }

  for (const transport of ['tcp', 'unix']) {
    describe(`${transport === 'tcp' ? 'TCP loopback' : 'AF_UNIX stream'}: the peer killed with SIGKILL mid-transfer`, () => {
      it('a blocking recv gets the bytes sent, then end of file', () => {
        const r = survivor('killed-peer.js', [transport, 'recv']);
        expect(r).toMatchObject({ outcome: 'EOF', peerSignal: 'SIGKILL' });
        expect(r.bytes).toBeGreaterThan(0);
      });

      it('with bytes the peer never read: the peer resets, recv fails with ECONNRESET', () => {
        const r = survivor('killed-peer.js', [transport, 'recv-unread']);
        expect(r).toMatchObject({ outcome: 'ECONNRESET', peerSignal: 'SIGKILL' });
        expect(r.bytes).toBeGreaterThan(0);
      });

      it('a send blocked on full buffers fails with EPIPE or ECONNRESET', () => {
        const r = survivor('killed-peer.js', [transport, 'send']);
        expect(r.peerSignal).toBe('SIGKILL');
        expect(['EPIPE', 'ECONNRESET']).toContain(r.outcome);
        expect(r.bytes).toBeGreaterThan(0);
      });

      it('posix-ipc/promises recv waiting: resolves 0 at end of file', () => {
        const r = survivor('killed-peer.js', [transport, 'promise-recv']);
        expect(r).toMatchObject({ outcome: 'EOF', peerSignal: 'SIGKILL' });
      });

      it('posix-ipc/promises send waiting on full buffers: rejects with EPIPE or ECONNRESET', () => {
        const r = survivor('killed-peer.js', [transport, 'promise-send']);
        expect(r.peerSignal).toBe('SIGKILL');
        expect(['EPIPE', 'ECONNRESET']).toContain(r.outcome);
      });
    });
  }

  describe('a descriptor closed by another thread while a promise waits on it', () => {
    it('a worker_threads worker closes 200 descriptors the main thread waits on: every read rejects with EBADF', () => {
      expect(survivor('thread-close.js', ['worker-closes', '200']).outcomes).toEqual({ EBADF: 200 });
    });

    it('the main thread closes 200 descriptors a worker waits on: every read rejects with EBADF', () => {
      expect(survivor('thread-close.js', ['main-closes', '200']).outcomes).toEqual({ EBADF: 200 });
    });

    it('a worker closes a descriptor a waiting poll lists: poll resolves, the entry says POLLNVAL', () => {
      expect(survivor('thread-close.js', ['worker-closes-poll']).outcomes).toEqual({ 'poll 1 revents POLLNVAL': 1 });
    });
  });

  it('EMFILE with sockets: socket, socketpair, accept, a waiting promise call fail; all recover after a close', () => {
    const r = survivor('emfile-sockets.js', [], 64);
    expect(r).toMatchObject({
      socket: 'EMFILE', socketpair: 'EMFILE', accept: 'EMFILE', pipe: 'EMFILE',
      // A promise call that has to wait needs a descriptor for its readiness set.
      promiseRead: 'EMFILE', promisePoll: 'EMFILE',
      afterClose: 'hi', // the connection queued during EMFILE is accepted once there is room
      promiseReadAfter: 1,
    });
    expect(r.held).toBeGreaterThan(20);
  });
});
