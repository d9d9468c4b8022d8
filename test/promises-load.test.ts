// posix-ipc/promises under load and across the process's life: a server and 100 clients in one
// script over TCP, AF_UNIX streams and AF_UNIX datagrams; 1,000 socket calls waiting at once
// while fs and the threadpool go on; process exit and worker termination while calls wait.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  bind, close, getsockname, listen, send as sendSync, socket, socketpair, type SockAddr, AF_INET, AF_UNIX, SOCK_STREAM,
} from 'posix-ipc';
import { accept, connect, recv } from 'posix-ipc/promises';
import { isPending, pkg, promisesPkg, runScript } from './promises-helpers';
import { socketPath } from './socket-helpers';

const examples = path.resolve(__dirname, '..', 'build-examples');

describe('promises: one script, a server and 100 clients', () => {
  for (const transport of ['tcp', 'unix', 'dgram']) {
    it(`${transport}: every client gets back every byte it sent`, () => {
      const r = spawnSync(process.execPath, [path.join(examples, 'promises-server-clients.js'), transport, '100'], { encoding: 'utf8', timeout: 120_000 });
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(new RegExp(`^${transport}: 100 of 100 clients got back every byte they sent \\(\\d+ bytes echoed\\)\\n$`));
      expect(r.status).toBe(0);
    }, 150_000);
  }
});

describe('promises: 1,000 socket calls waiting at once', () => {
  it('accepts on 500 listeners and recvs on 500 sockets: fs and the threadpool run meanwhile, then all complete', async () => {
    const listeners: { fd: number; address: SockAddr }[] = [];
    for (let i = 0; i < 500; i++) {
      const unix = i % 2 === 1;
      const fd = socket(unix ? AF_UNIX : AF_INET, SOCK_STREAM);
      bind(fd, unix ? { family: 'AF_UNIX', path: socketPath('m') } : { family: 'AF_INET', address: '127.0.0.1', port: 0 });
      listen(fd);
      listeners.push({ fd, address: getsockname(fd) });
    }
    const pairs = Array.from({ length: 500 }, () => socketpair(AF_UNIX, SOCK_STREAM));
    let settled = 0;
    const count = <T>(p: Promise<T>) => p.finally(() => settled++);
    const accepts = listeners.map((l) => count(accept(l.fd)));
    const bufs = pairs.map(() => Buffer.alloc(8));
    const recvs = pairs.map(([, b], i) => count(recv(b, bufs[i]!)));
    expect(await isPending(recvs[499]!)).toBe(true);
    expect(await isPending(accepts[499]!)).toBe(true);
    // Not delayed by them: no thread waits for any of the 1,000 calls.
    const text = await fs.promises.readFile(__filename, 'utf8');
    await new Promise<void>((res, rej) => crypto.pbkdf2('pw', 'salt', 1000, 32, 'sha256', (e) => (e ? rej(e) : res())));
    expect(text).toContain('1,000 socket calls');
    expect(settled).toBe(0);
    // Now the clients come and the bytes arrive.
    const clients = listeners.map((l) => {
      const fd = socket(l.address.family === 'AF_UNIX' ? AF_UNIX : AF_INET, SOCK_STREAM);
      return { fd, connected: connect(fd, l.address) };
    });
    pairs.forEach(([a], i) => sendSync(a, `#${i}`));
    await Promise.all(clients.map((c) => c.connected));
    const conns = await Promise.all(accepts);
    const counts = await Promise.all(recvs);
    expect(conns.every(([fd, peer], i) => fd >= 0 && peer.family === listeners[i]!.address.family)).toBe(true);
    expect(counts.every((n, i) => n === `#${i}`.length && bufs[i]!.toString('utf8', 0, n) === `#${i}`)).toBe(true);
    for (const [fd] of conns) close(fd);
    for (const c of clients) close(c.fd);
    for (const l of listeners) close(l.fd);
    for (const [a, b] of pairs) {
      close(a);
      close(b);
    }
  }, 60_000);
});

describe('promises (sockets): the process', () => {
  it('a waiting accept keeps the process alive; it ends once nothing waits', async () => {
    const script = `
      const { socket, bind, listen, getsockname, close, AF_INET, SOCK_STREAM } = require(${pkg});
      const { accept } = require(${promisesPkg});
      process.on('beforeExit', () => console.log('beforeExit'));
      const l = socket(AF_INET, SOCK_STREAM);
      bind(l, { family: 'AF_INET', address: '127.0.0.1', port: 0 });
      listen(l);
      accept(l).then(([fd]) => { console.log('accepted'); close(fd); close(l); });
      console.log('port ' + getsockname(l).port);`;
    const driver = `
      const { socket, connect, close, AF_INET, SOCK_STREAM } = require(${pkg});
      const c = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(script)}], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      c.stdout.on('data', (d) => {
        out += d;
        const m = /^port (\\d+)\\n$/.exec(out);
        if (m) setTimeout(() => { const fd = socket(AF_INET, SOCK_STREAM); connect(fd, { family: 'AF_INET', address: '127.0.0.1', port: Number(m[1]) }); close(fd); }, 300);
      });
      c.on('exit', (code, signal) => console.log(JSON.stringify({ out: out.replace(/^port \\d+/, 'port'), code, signal })));`;
    const r = runScript(driver);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ out: 'port\naccepted\nbeforeExit\n', code: 0, signal: null });
  });

  it('a connect waiting for room in a full AF_UNIX backlog completes once the server accepts; an aborted one leaves nothing holding the process', () => {
    const script = `
      const { socket, bind, listen, close, AF_UNIX, SOCK_STREAM } = require(${pkg});
      const { connect, accept } = require(${promisesPkg});
      const path = require('node:path').join(require('node:os').tmpdir(), 'pipc-alive-' + process.pid);
      const l = socket(AF_UNIX, SOCK_STREAM);
      bind(l, { family: 'AF_UNIX', path });
      listen(l, 0);
      const a = socket(AF_UNIX, SOCK_STREAM), b = socket(AF_UNIX, SOCK_STREAM), c = socket(AF_UNIX, SOCK_STREAM);
      (async () => {
        await connect(a, { family: 'AF_UNIX', path });
        const ac = new AbortController();
        const aborted = connect(c, { family: 'AF_UNIX', path }, { signal: ac.signal }).catch((e) => console.log('c: ' + e.name));
        const waiting = connect(b, { family: 'AF_UNIX', path }).then(() => console.log('b: connected'));
        ac.abort();
        await aborted;
        setTimeout(async () => { const [s1] = await accept(l); await waiting; const [s2] = await accept(l); for (const fd of [s1, s2, a, b, c, l]) close(fd); require('node:fs').unlinkSync(path); }, 300);
      })();`;
    const r = runScript(script);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('c: AbortError\nb: connected\n');
    expect(r.status).toBe(0);
  });

  /**
   * Script lines that leave socket calls of every kind waiting (two accepts, recvs, a connect
   * waiting for room in a full AF_UNIX backlog, a sendto to a full AF_UNIX datagram receiver) and
   * `lookups` getaddrinfo calls in flight, in directory `dir` (a variable of the script); `ipc` and
   * `P` are the sync and promise modules.
   */
  const waitingCalls = (lookups: number) => `
      const { socket, socketpair, bind, listen, sendto: sendtoSync, AF_INET, AF_UNIX, SOCK_STREAM, SOCK_DGRAM, MSG_DONTWAIT, MSG_WAITALL } = ipc;
      const l = socket(AF_INET, SOCK_STREAM);
      bind(l, { family: 'AF_INET', address: '127.0.0.1', port: 0 });
      listen(l);
      P.accept(l); P.accept(l);
      const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
      P.recv(b, Buffer.alloc(8)); P.recv(a, Buffer.alloc(8), 8, MSG_WAITALL);
      const u = socket(AF_UNIX, SOCK_STREAM);
      bind(u, { family: 'AF_UNIX', path: dir + '/l' }); listen(u, 0);
      P.connect(socket(AF_UNIX, SOCK_STREAM), { family: 'AF_UNIX', path: dir + '/l' }).then(() => P.connect(socket(AF_UNIX, SOCK_STREAM), { family: 'AF_UNIX', path: dir + '/l' }));
      const d = socket(AF_UNIX, SOCK_DGRAM), s = socket(AF_UNIX, SOCK_DGRAM);
      bind(d, { family: 'AF_UNIX', path: dir + '/d' });
      try { for (;;) sendtoSync(s, 'x', undefined, MSG_DONTWAIT, { family: 'AF_UNIX', path: dir + '/d' }); } catch {}
      P.sendto(s, 'y', { family: 'AF_UNIX', path: dir + '/d' });
      for (let i = 0; i < ${lookups}; i++) P.getaddrinfo('localhost', String(i));`;

  it('process.exit while socket calls and lookups wait: the exit status is kept, no crash', () => {
    const script = `
      const ipc = require(${pkg});
      const P = require(${promisesPkg});
      const dir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'pipc-exit-'));
      process.on('exit', () => require('node:fs').rmSync(dir, { recursive: true, force: true }));
      ${waitingCalls(20)}
      setTimeout(() => process.exit(7), 50);`;
    const r = runScript(script);
    expect(r.stderr).toBe('');
    expect([r.status, r.signal]).toEqual([7, null]);
  });

  it('a worker terminated while its socket calls and lookups wait: cleaned up, the main thread goes on', () => {
    const worker = `
      const { parentPort } = require('node:worker_threads');
      const ipc = require(${pkg});
      const P = require(${promisesPkg});
      const dir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'pipc-worker-'));
      ${waitingCalls(50)}
      setTimeout(() => parentPort.postMessage(dir), 30);`;
    const script = `
      const { Worker } = require('node:worker_threads');
      const { socketpair, close, send, AF_UNIX, SOCK_STREAM } = require(${pkg});
      const { recv, getaddrinfo } = require(${promisesPkg});
      const worker = new Worker(${JSON.stringify(worker)}, { eval: true });
      worker.on('message', async (dir) => {
        await worker.terminate();
        require('node:fs').rmSync(dir, { recursive: true, force: true });
        const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
        const p = recv(b, Buffer.alloc(8));
        setTimeout(() => send(a, 'main'), 20);
        console.log('main recv', await p, (await getaddrinfo('127.0.0.1', '1')).length > 0);
        close(a); close(b);
      });
      worker.on('error', (e) => { console.error(e); process.exitCode = 1; });`;
    const r = runScript(script);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('main recv 4 true\n');
    expect(r.status).toBe(0);
  });
});
