import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  accept, bind, close, connect, fcntl, fds, listen, pipe, pipe2, socket, socketpair, write,
  AF_INET, AF_UNIX, F_SETPIPE_SZ, O_CLOEXEC, O_NONBLOCK, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM, SyscallError,
} from 'posix-ipc';

const root = path.resolve(__dirname, '..');

describe('fds() of this process', () => {
  it('shows a pipe\'s two ends: kind, access, shared inode, capacity and bytes queued', () => {
    const [r, w] = pipe();
    fcntl(w, F_SETPIPE_SZ, 8192);
    write(w, 'twelve bytes');
    const list = fds();
    const re = list.find((f) => f.fd === r)!;
    const we = list.find((f) => f.fd === w)!;
    expect(re).toMatchObject({ kind: 'pipe', access: 'r', nonblocking: false, cloexec: false, capacity: 8192, queued: 12 });
    expect(we).toMatchObject({ kind: 'pipe', access: 'w', capacity: 8192, queued: 12 });
    expect(re.inode).toBe(we.inode);
    expect(re.target).toBe(`pipe:[${re.inode}]`);
    close(r);
    close(w);
    expect(fds().some((f) => f.fd === r)).toBe(false);
  });

  it('shows O_NONBLOCK and FD_CLOEXEC as the kernel has them', () => {
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const e = fds().find((f) => f.fd === r)!;
    expect(e.nonblocking).toBe(true);
    expect(e.cloexec).toBe(true);
    close(r);
    close(w);
  });

  it('shows regular files with their path', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'posix-ipc-fds-')), 'f.txt');
    const fd = fs.openSync(file, 'w');
    expect(fds().find((f) => f.fd === fd)).toMatchObject({ kind: 'file', access: 'w', path: file });
    fs.closeSync(fd);
  });

  it('shows an AF_UNIX connection\'s peer, which /proc/net/unix does not have', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posix-ipc-fds-'));
    const file = path.join(dir, 'server.sock');
    const server = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(server, { family: 'AF_UNIX', path: file });
    listen(server, 1);
    const client = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(client, { family: 'AF_UNIX', path: file });
    const [conn] = accept(server);
    const list = fds();
    const byFd = (fd: number) => list.find((f) => f.fd === fd)!;
    expect(byFd(server)).toMatchObject({ domain: 'AF_UNIX', type: 'SOCK_STREAM', state: 'LISTEN', local: { family: 'AF_UNIX', path: file } });
    expect(byFd(server).peer).toBeUndefined(); // ENOTCONN: a listening socket has no peer
    expect(byFd(client)).toMatchObject({ domain: 'AF_UNIX', state: 'CONNECTED', local: { path: '' }, peer: { family: 'AF_UNIX', path: file } });
    expect(byFd(conn)).toMatchObject({ domain: 'AF_UNIX', local: { path: file }, peer: { family: 'AF_UNIX', path: '' } });
    for (const fd of [conn, client, server]) close(fd);
    fs.rmSync(dir, { recursive: true });
  });

  it('asks the socket for its domain and type (SO_DOMAIN, SO_TYPE): socketpairs, abstract names, IP', () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_SEQPACKET, 0);
    const [c, d] = socketpair(AF_UNIX, SOCK_DGRAM, 0);
    const abstract = socket(AF_UNIX, SOCK_DGRAM, 0);
    const name = `\0posix-ipc-fds-${process.pid}`;
    bind(abstract, { family: 'AF_UNIX', path: name });
    const tcp = socket(AF_INET, SOCK_STREAM, 0);
    bind(tcp, { family: 'AF_INET', address: '127.0.0.1', port: 0 });
    listen(tcp, 1);
    const client = socket(AF_INET, SOCK_STREAM, 0);
    const { port } = fds().find((f) => f.fd === tcp)!.local as { port: number };
    connect(client, { family: 'AF_INET', address: '127.0.0.1', port });
    const list = fds();
    const byFd = (fd: number) => list.find((f) => f.fd === fd)!;
    expect(byFd(a)).toMatchObject({ kind: 'socket', domain: 'AF_UNIX', type: 'SOCK_SEQPACKET', peer: { family: 'AF_UNIX', path: '' } });
    expect(byFd(c)).toMatchObject({ domain: 'AF_UNIX', type: 'SOCK_DGRAM', peer: { path: '' } });
    expect(byFd(abstract)).toMatchObject({ domain: 'AF_UNIX', type: 'SOCK_DGRAM', local: { path: name } });
    expect(byFd(abstract).peer).toBeUndefined();
    expect(byFd(client)).toMatchObject({ domain: 'AF_INET', type: 'SOCK_STREAM', peer: { family: 'AF_INET', address: '127.0.0.1', port } });
    for (const fd of [a, b, c, d, abstract, tcp, client]) close(fd);
  });

  it('fails with ENOENT for a process that does not exist', () => {
    let err: unknown;
    try {
      fds(0x3fffffff);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SyscallError);
    expect(err).toMatchObject({ code: 'ENOENT' });
    expect(() => fds(-1)).toThrow(RangeError);
    expect(() => fds('1' as never)).toThrow(TypeError);
  });
});

describe('fds(pid) of another process agrees with lsof -p', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posix-ipc-lsof-'));
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const closed = new Promise((resolve) => child!.once('close', resolve));
      child.kill('SIGKILL');
      await closed; // its stdio pipes are closed by then
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts the same pipes, FIFOs and sockets', async () => {
    if (spawnSync('lsof', ['-v']).error) {
      console.warn('lsof is not installed: skipping the comparison');
      return;
    }
    const fifo = path.join(dir, 'fifo');
    spawnSync('mkfifo', [fifo]);
    const script = `
      const p = require('posix-ipc'); const fs = require('fs'); const net = require('net'); const dgram = require('dgram');
      const a = p.pipe(); const b = p.pipe(); p.write(b[1], 'queued');
      const f = fs.openSync(${JSON.stringify(fifo)}, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
      const tcp = net.createServer().listen(0, '127.0.0.1');
      const unix = net.createServer().listen(${JSON.stringify(path.join(dir, 'sock'))}, () => { net.connect(${JSON.stringify(path.join(dir, 'sock'))}, ready); });
      const udp = dgram.createSocket('udp4'); udp.bind(0, '127.0.0.1');
      let n = 0; const ready = () => { if (++n === 3) process.stdout.write(JSON.stringify({ b, f }) + '\\n'); };
      tcp.on('listening', ready); udp.on('listening', ready);
      process.stdin.on('data', () => {});`;
    child = spawn(process.execPath, ['-e', script], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
    const info = await new Promise<{ b: number[]; f: number }>((resolve) => child!.stdout!.once('data', (d) => resolve(JSON.parse(String(d)))));
    const pid = child.pid!;

    const ours = fds(pid);
    const lsof = spawnSync('lsof', ['-n', '-P', '-p', String(pid), '-a', '-d', '0-65535', '-F', 'ftn'], { encoding: 'utf8' });
    // -F output: one field a line; 'f' starts a descriptor, 't' is its type, 'n' its name.
    const theirs: { fd: number; type: string; name: string }[] = [];
    for (const line of lsof.stdout.split('\n')) {
      if (line.startsWith('f') && /^f\d+$/.test(line)) theirs.push({ fd: Number(line.slice(1)), type: '', name: '' });
      else if (line.startsWith('t') && theirs.length) theirs[theirs.length - 1]!.type = line.slice(1);
      else if (line.startsWith('n') && theirs.length) theirs[theirs.length - 1]!.name = line.slice(1);
    }
    const lsofKind = (t: { type: string; name: string }) =>
      t.type === 'FIFO' ? (t.name === 'pipe' ? 'pipe' : 'fifo') : ['sock', 'unix', 'IPv4', 'IPv6'].includes(t.type) ? 'socket' : 'other';
    const count = (kinds: string[]) => ({
      pipe: kinds.filter((k) => k === 'pipe').length,
      fifo: kinds.filter((k) => k === 'fifo').length,
      socket: kinds.filter((k) => k === 'socket').length,
    });
    const mine = count(ours.map((f) => f.kind));
    expect(mine).toEqual(count(theirs.map(lsofKind)));
    expect(mine.pipe).toBeGreaterThanOrEqual(4);
    expect(mine.fifo).toBe(1);
    expect(mine.socket).toBeGreaterThanOrEqual(3);
    // Descriptor by descriptor, the kinds agree.
    for (const t of theirs) {
      const k = lsofKind(t);
      if (k !== 'other') expect(ours.find((f) => f.fd === t.fd)?.kind, `fd ${t.fd}`).toBe(k);
    }
    // What only fds() shows: the queued bytes and the sockets' addresses.
    expect(ours.find((f) => f.fd === info.b[0])).toMatchObject({ kind: 'pipe', queued: 6, capacity: 65536 });
    expect(ours.find((f) => f.fd === info.f)).toMatchObject({ kind: 'fifo', path: fifo, access: 'rw', nonblocking: true });
    const tcp = ours.find((f) => f.domain === 'AF_INET' && f.type === 'SOCK_STREAM');
    expect(tcp).toMatchObject({ kind: 'socket', state: 'LISTEN', local: { family: 'AF_INET', address: '127.0.0.1' } });
    expect(ours.find((f) => f.domain === 'AF_UNIX' && f.state === 'LISTEN')).toMatchObject({ local: { path: path.join(dir, 'sock') } });
    expect(ours.find((f) => f.domain === 'AF_INET' && f.type === 'SOCK_DGRAM')).toBeDefined();
    // The AF_UNIX client's peer, from getpeername on a pidfd_getfd copy of its descriptor.
    expect(ours.find((f) => f.domain === 'AF_UNIX' && f.peer?.family === 'AF_UNIX' && f.peer.path === path.join(dir, 'sock'))).toBeDefined();
  });
});
