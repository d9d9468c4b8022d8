// Helpers shared by the socket tests: loopback servers on free ports, socket paths in the temp
// directory, and a poll that works before posix-ipc has its own.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ipc from 'posix-ipc';
import {
  accept, bind, close, connect, getsockname, listen, socket, AF_INET, SOCK_STREAM, type SockAddr,
} from 'posix-ipc';

/** A listening TCP socket on 127.0.0.1 with a port the kernel picked, and its address. */
export function tcpListener(backlog = 16, type = SOCK_STREAM): { fd: number; address: SockAddr & { port: number } } {
  const fd = socket(AF_INET, type);
  bind(fd, { family: 'AF_INET', address: '127.0.0.1', port: 0 });
  listen(fd, backlog);
  return { fd, address: getsockname(fd) as SockAddr & { port: number } };
}

/** A connected TCP pair on loopback: [client, server side], plus the listener (closed). */
export function tcpPair(): [client: number, server: number] {
  const l = tcpListener();
  const c = socket(AF_INET, SOCK_STREAM);
  connect(c, l.address);
  const [s] = accept(l.fd);
  close(l.fd);
  return [c, s];
}

/** A port nothing listens on: bound (so no one else gets it) but not listening. Close `fd` after. */
export function refusedPort(): { fd: number; port: number } {
  const fd = socket(AF_INET, SOCK_STREAM);
  bind(fd, { family: 'AF_INET', address: '127.0.0.1', port: 0 });
  return { fd, port: (getsockname(fd) as { port: number }).port };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipc-'));
let serial = 0;

/** A fresh path for an AF_UNIX socket file in a private temp directory (removed at exit). */
export function socketPath(name = 's'): string {
  return path.join(dir, `${name}${serial++}`);
}
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * poll(2) on one descriptor: the revents. Uses posix-ipc's poll where it exists, otherwise asks a
 * python3 child that inherits the descriptor (the same open file, so the same readiness).
 */
export function pollFd(fd: number, events: 'in' | 'out', timeoutMs = 5000): { readable: boolean; writable: boolean } {
  const own = (ipc as unknown as { poll?: (fds: { fd: number; events: number; revents?: number }[], t: number) => number }).poll;
  const c = ipc as unknown as Record<string, number>;
  if (typeof own === 'function' && c.POLLIN !== undefined) {
    const entry = { fd, events: events === 'in' ? c.POLLIN! : c.POLLOUT!, revents: 0 };
    own([entry], timeoutMs);
    return { readable: (entry.revents & c.POLLIN!) !== 0, writable: (entry.revents & c.POLLOUT!) !== 0 };
  }
  const script = `
import select
p = select.poll()
p.register(3, select.POLLIN if ${JSON.stringify(events)} == 'in' else select.POLLOUT)
r = p.poll(${timeoutMs})
ev = r[0][1] if r else 0
print(int(bool(ev & select.POLLIN)), int(bool(ev & select.POLLOUT)))`;
  const r = spawnSync('python3', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe', fd], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 poll failed: ${r.stderr}`);
  const [inp, out] = r.stdout.trim().split(' ').map(Number);
  return { readable: inp === 1, writable: out === 1 };
}

/** A program running in the background, whose output can be waited for. */
export interface Running {
  child: ChildProcess;
  /** Resolves with the first match of `re` in the output so far or to come; rejects if the program ends first. */
  waitFor(re: RegExp, stream?: 'stdout' | 'stderr'): Promise<RegExpMatchArray>;
  /** Resolves when the program has ended. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/**
 * Starts a program (a posix-ipc example, a C twin, python3) with its output captured, and `input`
 * on its stdin. The test process keeps running: the program is a real peer in another process.
 */
export function start(cmd: string, args: string[], input = ''): Running {
  const child = spawn(cmd, args, { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  const waiters: (() => void)[] = [];
  let ended = false;
  const wake = () => waiters.splice(0).forEach((w) => w());
  child.stdout!.on('data', (d) => { out.stdout += d; wake(); });
  child.stderr!.on('data', (d) => { out.stderr += d; wake(); });
  if (input) {
    child.stdin!.on('error', () => {}); // a program that ends before reading its input: its output says so
    child.stdin!.end(input);
  }
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => {
      ended = true;
      wake();
      resolve({ code, signal, ...out });
    });
  });
  function waitFor(re: RegExp, stream: 'stdout' | 'stderr' = 'stdout'): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = re.exec(out[stream]);
        if (m) resolve(m);
        else if (ended) reject(new Error(`${cmd} ${args.join(' ')} ended without printing ${re}:\n${out.stdout}${out.stderr}`));
        else waiters.push(check);
      };
      check();
    });
  }
  return { child, waitFor, done };
}

/** The command that runs a compiled example of examples/. */
export function example(name: string): [string, string[]] {
  return [process.execPath, [path.resolve(__dirname, '..', 'build-examples', `${name}.js`)]];
}
