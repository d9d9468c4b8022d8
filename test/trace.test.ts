import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  _exit, close, dup2, execvp, fcntl, kill, mkfifo, open, pipe, pipe2, posix_spawnp, read, trace, tracing, unlink, waitpid, write,
  F_GETFL, F_SETFL, O_CLOEXEC, O_NONBLOCK, O_RDONLY,
  AF_INET, AF_UNIX, SOCK_STREAM, bind, connect, getsockname, listen, socket, socketpair,
} from 'posix-ipc';
import * as promises from 'posix-ipc/promises';
import * as raw from 'posix-ipc/raw';
import { drain, forkChild } from './helpers';

/** Every line of `wanted` appears in `seen`, in the same order (strace also shows Node's own calls). */
function expectInOrder(wanted: string[], seen: string[]): void {
  let at = 0;
  for (const line of wanted) {
    const found = seen.indexOf(line, at);
    expect(found, `strace has no "${line}" after line ${at}:\n${seen.slice(at, at + 30).join('\n')}`).toBeGreaterThanOrEqual(0);
    at = found + 1;
  }
}

function traced(f: () => void): string[] {
  const lines: string[] = [];
  trace((l) => lines.push(l));
  try {
    f();
  } finally {
    trace(false);
  }
  return lines.map((l) => l.replace(/^\[pid \d+\] /, ''));
}

describe('trace', () => {
  it('prints each call as strace does: decoded flags, quoted bytes, results and errors', () => {
    let fds: number[] = [];
    const lines = traced(() => {
      const [r, w] = pipe();
      fds = [r, w];
      write(w, 'hello\n');
      read(r, Buffer.alloc(64));
      fcntl(r, F_SETFL, O_NONBLOCK);
      fcntl(r, F_GETFL);
      try {
        read(r, Buffer.alloc(8));
      } catch {
        /* EAGAIN */
      }
      close(r);
      close(w);
      try {
        close(w);
      } catch {
        /* EBADF */
      }
    });
    const [r, w] = fds;
    expect(lines).toEqual([
      `pipe([${r}, ${w}]) = 0`,
      `write(${w}, "hello\\n", 6) = 6`,
      `read(${r}, "hello\\n", 64) = 6`,
      `fcntl(${r}, F_SETFL, O_RDONLY|O_NONBLOCK) = 0`,
      `fcntl(${r}, F_GETFL) = 0x800 (flags O_RDONLY|O_NONBLOCK)`,
      `read(${r}, 0x0, 8) = -1 EAGAIN (Resource temporarily unavailable)`,
      `close(${r}) = 0`,
      `close(${w}) = 0`,
      `close(${w}) = -1 EBADF (Bad file descriptor)`,
    ]);
  });

  it('prefixes each line with the calling process id', () => {
    const lines: string[] = [];
    trace((l) => lines.push(l));
    const [r, w] = pipe2(O_CLOEXEC);
    trace(false);
    close(r);
    close(w);
    expect(lines).toEqual([`[pid ${process.pid}] pipe2([${r}, ${w}], O_CLOEXEC) = 0`]);
  });

  it('traces posix-ipc/raw calls too, and escapes bytes like strace', () => {
    const lines = traced(() => {
      const [r, w] = raw.pipe() as [number, number];
      raw.write(w, Buffer.from([0, 1, 0x22, 0x5c, 0xff]));
      raw.close(r);
      raw.close(w);
    });
    expect(lines[1]).toMatch(/^write\(\d+, "\\0\\1\\"\\\\\\377", 5\) = 5$/);
  });

  it('long buffers are cut at 32 bytes with ...', () => {
    const lines = traced(() => {
      const [r, w] = pipe();
      write(w, 'x'.repeat(40));
      close(r);
      close(w);
    });
    expect(lines[1]).toMatch(/^write\(\d+, "x{32}"\.\.\., 40\) = 40$/);
  });

  it('off, the calls go straight to the addon again', () => {
    expect(tracing()).toBe(false);
    const lines: string[] = [];
    trace((l) => lines.push(l));
    expect(tracing()).toBe(true);
    expect(trace(false)).toBe(true);
    const [r, w] = pipe();
    close(r);
    close(w);
    expect(lines).toEqual([]);
  });

  it('prints the process calls as strace would: fork, waitpid\'s status, execvp and _exit before they happen', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posix-ipc-trace-'));
    const fifo = path.join(dir, 'fifo');
    const [r, w] = pipe();
    trace(w); // a descriptor: the forked children's lines arrive too
    const a = forkChild(() => _exit(3));
    const b = forkChild(() => execvp('true', ['true']));
    waitpid(a);
    waitpid(b);
    const sh = posix_spawnp('sh', ['sh', '-c', 'kill -PIPE $$'], { dup2: [[2, 2]], close: [r] });
    waitpid(sh);
    try {
      posix_spawnp('no-such-program-posix-ipc', ['x']);
    } catch {
      /* ENOENT */
    }
    mkfifo(fifo, 0o600);
    const fd = open(fifo, O_RDONLY | O_NONBLOCK);
    dup2(fd, 99);
    close(99);
    close(fd);
    unlink(fifo);
    kill(process.pid, 0);
    trace(false);
    close(w);
    const lines = drain(r).trim().split('\n');
    close(r);
    fs.rmSync(dir, { recursive: true, force: true });
    const of = (pid: number) => lines.filter((l) => l.startsWith(`[pid ${pid}] `)).map((l) => l.replace(/^\[pid \d+\] /, ''));
    expect(of(process.pid)).toEqual([
      `fork() = ${a}`,
      `fork() = ${b}`,
      `waitpid(${a}, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0) = ${a}`,
      `waitpid(${b}, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0) = ${b}`,
      `posix_spawnp("sh", ["sh", "-c", "kill -PIPE $$"], {dup2(2, 2), close(${r})}) = ${sh}`,
      `waitpid(${sh}, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGPIPE}], 0) = ${sh}`,
      'posix_spawnp("no-such-program-posix-ipc", ["x"]) = -1 ENOENT (No such file or directory)',
      `mkfifo(${JSON.stringify(fifo)}, 0600) = 0`,
      `open(${JSON.stringify(fifo)}, O_RDONLY|O_NONBLOCK) = ${fd}`,
      `dup2(${fd}, 99) = 99`,
      'close(99) = 0',
      `close(${fd}) = 0`,
      `unlink(${JSON.stringify(fifo)}) = 0`,
      `kill(${process.pid}, 0) = 0`,
    ]);
    // In each child: fork() returned 0 (its pid and parent's are looked up), then the call that
    // does not return is printed before it happens, with "= ?" as strace prints exit_group.
    expect(of(a)).toEqual(['fork() = 0', `getpid() = ${a}`, `getppid() = ${process.pid}`, '_exit(3) = ?']);
    expect(of(b)).toEqual(['fork() = 0', `getpid() = ${b}`, `getppid() = ${process.pid}`, 'execvp("true", ["true"]) = ?']);
  });

  it('traces posix-ipc/promises calls: one line when settled at once, unfinished and resumed when they wait', async () => {
    const lines: string[] = [];
    trace((l) => lines.push(l.replace(/^\[pid \d+\] /, '')));
    const [x, y] = socketpair(AF_UNIX, SOCK_STREAM);
    const listener = socket(AF_INET, SOCK_STREAM);
    let client = -1;
    try {
      const buf = Buffer.alloc(16);
      const waiting = promises.recv(x, buf);
      await promises.send(y, 'hello');
      expect(await waiting).toBe(5);
      await promises.send(y, 'again');
      expect(await promises.recv(x, buf)).toBe(5);
      const ac = new AbortController();
      const aborted = promises.recv(x, buf, { signal: ac.signal });
      ac.abort();
      await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
      const closed = promises.recv(y, buf);
      close(y);
      await expect(closed).rejects.toMatchObject({ code: 'EBADF' });
      bind(listener, { family: 'AF_INET', address: '127.0.0.1', port: 0 });
      listen(listener, 1);
      const port = (getsockname(listener) as { port: number }).port;
      const accepting = promises.accept(listener);
      client = socket(AF_INET, SOCK_STREAM);
      connect(client, { family: 'AF_INET', address: '127.0.0.1', port });
      const [conn] = await accepting;
      close(conn);
    } finally {
      trace(false);
      close(x);
      close(listener);
      if (client >= 0) close(client);
    }
    const at = (prefix: string) => lines.filter((l) => l.startsWith(prefix));
    expect(lines.slice(2, 6)).toEqual([
      `recv(${x}, <unfinished ...>`,
      `send(${y}, "hello", 5, 0) = 5`,
      `<... recv resumed>"hello", 16, 0) = 5`,
      `send(${y}, "again", 5, 0) = 5`,
    ]);
    expect(lines[6]).toBe(`recv(${x}, "again", 16, 0) = 5`);
    // An abort consumes nothing: the call ends as cancelled; a close while waiting ends it with EBADF.
    expect(lines.slice(7, 9)).toEqual([`recv(${x}, <unfinished ...>`, `<... recv resumed>0x0, 16, 0) = -1 ECANCELED (Operation canceled)`]);
    expect(at('<... recv resumed>0x0, 16, 0) = -1 EBADF')).toHaveLength(1);
    expect(at(`accept(${listener}, <unfinished ...>`)).toHaveLength(1);
    expect(at('<... accept resumed>')[0]).toMatch(/^<\.\.\. accept resumed>\{AF_INET, 127\.0\.0\.1:\d+\}\) = \d+$/);
  });

  it('POSIX_IPC_TRACE=1 traces posix-ipc/promises alone too', () => {
    const script = `require('posix-ipc/promises').poll([], 0).then((n) => process.exit(n));`;
    const res = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, POSIX_IPC_TRACE: '1' }, cwd: path.resolve(__dirname, '..') });
    expect(res.status).toBe(0);
    expect(res.stderr).toBe(`[pid ${res.pid}] poll([], 0, 0) = 0 (Timeout)\n`);
  });

  it('POSIX_IPC_TRACE=1 traces to stderr from the start', () => {
    const script = `const p = require('posix-ipc'); const [r, w] = p.pipe(); p.close(r); p.close(w);`;
    const res = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, POSIX_IPC_TRACE: '1' }, cwd: path.resolve(__dirname, '..') });
    expect(res.status).toBe(0);
    expect(res.stderr).toMatch(new RegExp(`^\\[pid ${res.pid}\\] pipe\\(\\[(\\d+), (\\d+)\\]\\) = 0\\n\\[pid ${res.pid}\\] close\\(\\1\\) = 0\\n\\[pid ${res.pid}\\] close\\(\\2\\) = 0\\n$`));
  });

  it('trace(fd) writes to a descriptor; bad sinks are refused', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'posix-ipc-trace-')), 'trace.log');
    const fd = fs.openSync(file, 'w');
    trace(fd);
    const [r, w] = pipe();
    trace(false);
    fs.closeSync(fd);
    close(r);
    close(w);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^\[pid \d+\] pipe\(\[\d+, \d+\]\) = 0\n$/);
    expect(() => trace(-1)).toThrow(RangeError);
    expect(() => trace('yes' as never)).toThrow(TypeError);
  });

  it('agrees with strace: same calls, same fds, same results, same order', () => {
    const strace = spawnSync('strace', ['-V'], { encoding: 'utf8' });
    if (strace.error) {
      console.warn('strace is not installed: skipping the comparison (apt-get install strace)');
      return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posix-ipc-strace-'));
    const out = path.join(dir, 'strace.out');
    const script = `
      const p = require('posix-ipc');
      const [r, w] = p.pipe();
      p.write(w, 'ping');
      const b = Buffer.alloc(16); p.read(r, b);
      p.fcntl(r, p.F_SETFL, p.O_NONBLOCK);
      try { p.read(r, b); } catch {}
      p.close(w); p.close(r);
      try { p.close(w); } catch {}`;
    const res = spawnSync('strace', ['-f', '-qq', '-e', 'trace=pipe,pipe2,read,write,close,fcntl', '-e', 'signal=none', '-o', out, process.execPath, '-e', script],
      { encoding: 'utf8', env: { ...process.env, POSIX_IPC_TRACE: '1' }, cwd: path.resolve(__dirname, '..') });
    expect(res.status).toBe(0);
    const ours = res.stderr.trim().split('\n').map((l) => l.replace(/^\[pid (\d+)\] /, '$1 '));
    // strace: "PID call(args) = result"; glibc's pipe() is the pipe2 system call.
    const theirs = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => l.replace(/\s+/g, ' '));
    const normalise = (l: string) => l.replace(/ pipe\((\[\d+, \d+\])\)/, ' pipe2($1, 0)').replace(/read\((\d+), 0x0,/, 'read($1, ADDR,');
    const wanted = ours.map(normalise);
    const seen = theirs.map((l) => l.replace(/read\((\d+), 0x[0-9a-f]+,/, 'read($1, ADDR,'));
    expectInOrder(wanted, seen);
    expect(wanted.length).toBe(8);
  });

  it('agrees with strace for fork and sockets: each process\'s calls, fds and results in the same order', () => {
    if (spawnSync('strace', ['-V'], { encoding: 'utf8' }).error) {
      console.warn('strace is not installed: skipping the comparison (apt-get install strace)');
      return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posix-ipc-strace-'));
    // The parent serves, a forked child is the client; the child says it is done through a pipe.
    const script = `
      const p = require('posix-ipc');
      const ip = (port) => ({ family: 'AF_INET', address: '127.0.0.1', port });
      const b = Buffer.alloc(16);
      const [r, w] = p.pipe();
      const l = p.socket(p.AF_INET, p.SOCK_STREAM, 0);
      p.setsockopt(l, p.SOL_SOCKET, p.SO_REUSEADDR, 1);
      p.bind(l, ip(0));
      p.listen(l, 5);
      const where = p.getsockname(l);
      const pid = p.fork();
      if (pid === 0) {
        p.close(r);
        p.close(l);
        const c = p.socket(p.AF_INET, p.SOCK_STREAM, 0);
        p.connect(c, where);
        p.getpeername(c);
        p.send(c, 'hello\\0', 6, 0);
        p.recv(c, b, 16, p.MSG_PEEK);
        p.recv(c, b, 16, 0);
        p.recv(c, b, 16, 0);
        p.getsockopt(c, p.SOL_SOCKET, p.SO_TYPE);
        try { p.connect(c, where); } catch {}
        p.write(w, 'done');
        p.close(c);
        p.close(w);
        p._exit(0);
      }
      p.close(w);
      const [s] = p.accept(l);
      p.recv(s, b, 16, 0);
      try { p.recv(s, b, 16, p.MSG_DONTWAIT); } catch {}
      p.send(s, 'hello back\\0', 11, 0);
      p.shutdown(s, p.SHUT_WR);
      p.read(r, b);
      p.read(r, b);
      p.waitpid(pid);
      const u = p.socket(p.AF_UNIX, p.SOCK_DGRAM, 0);
      p.bind(u, { family: 'AF_UNIX', path: '' });
      p.sendto(u, 'dgram', undefined, 0, p.getsockname(u));
      p.recvfrom(u, b, 16, 0);
      const [x, y] = p.socketpair(p.AF_UNIX, p.SOCK_STREAM, 0);
      p.write(x, 'pair');
      p.poll([{ fd: y, events: p.POLLIN }, { fd: s, events: p.POLLIN }], 0);
      const refused = p.socket(p.AF_INET, p.SOCK_STREAM, 0);
      try { p.connect(refused, ip(1)); } catch {}
      for (const fd of [r, l, s, u, x, y, refused]) p.close(fd);
      try { p.close(l); } catch {}`;
    const calls = 'pipe,pipe2,clone,clone3,fork,vfork,wait4,exit_group,getpid,getppid,read,write,close,' +
      'socket,socketpair,bind,listen,accept,accept4,connect,sendto,recvfrom,shutdown,getsockname,getpeername,setsockopt,getsockopt,poll,ppoll';
    // -ff: one file per process (and thread), so no call is split into "unfinished" and "resumed".
    const res = spawnSync('strace', ['-ff', '-qq', '-e', `trace=${calls}`, '-e', 'signal=none', '-o', path.join(dir, 'st'), process.execPath, '-e', script],
      { encoding: 'utf8', env: { ...process.env, POSIX_IPC_TRACE: '1' }, cwd: path.resolve(__dirname, '..') });
    expect(res.stderr).not.toMatch(/Error|SyscallError/);
    expect(res.status).toBe(0);

    // What strace writes differently from posix-ipc's trace, and only that: glibc's fork is the
    // clone system call, which returns 0 in the child without a line of its own; _exit is
    // exit_group; waitpid is wait4 with no rusage; send/recv are sendto/recvfrom with a NULL
    // address; pipe is pipe2; strace spells out the sockaddr and the address and option lengths,
    // names protocol 0 of AF_INET IPPROTO_IP, shows the buffer's address when nothing was read, and
    // poll may be ppoll, accept accept4.
    const ours = (line: string) => line
      .replace(/^pipe\((\[\d+, \d+\])\)/, 'pipe2($1, 0)')
      .replace(/^_exit\((\d+)\) = \?$/, 'exit_group($1) = ?')
      .replace(/^send\((.*)\) = /, 'sendto($1, NULL, 0) = ')
      .replace(/^recv\((.*)\) = /, 'recvfrom($1, NULL, NULL) = ')
      .replace(/^(read|recv(?:from)?)\((\d+), 0x0,/, '$1($2, ADDR,');
    const theirs = (line: string) => line
      .replace(/^clone3?\((?!.*CLONE_THREAD).*\) = (\d+)$/, 'fork() = $1')
      .replace(/^wait4\((.*), NULL\) = /, 'waitpid($1) = ')
      .replace(/\{sa_family=AF_INET, sin_port=htons\((\d+)\), sin_addr=inet_addr\("([\d.]+)"\)\}/g, '{AF_INET, $2:$1}')
      .replace(/\{sa_family=AF_UNIX, sun_path=(@?"[^"]*")\}/g, '{AF_UNIX, $1}')
      .replace(/\{sa_family=AF_UNIX\}/g, '{AF_UNIX}')
      .replace(/(\{AF_[A-Z0-9]+[^}]*\}), (?:\d+|\[\d+ => \d+\])\) = /, '$1) = ')
      .replace(/^setsockopt\((.*), \[(-?\d+)\], \d+\) = /, 'setsockopt($1, $2) = ')
      .replace(/^getsockopt\((.*), (\[-?\d+\]), \[\d+\]\) = /, 'getsockopt($1, $2) = ')
      .replace(/^socket\((AF_INET6?, SOCK_[A-Z]+), IPPROTO_IP\)/, 'socket($1, 0)')
      .replace(/^accept4\((.*), 0\) = /, 'accept($1) = ')
      .replace(/^ppoll\((.*), \{tv_sec=0, tv_nsec=0\}, NULL, \d+\) = /, 'poll($1, 0) = ')
      .replace(/^(read|recv(?:from)?)\((\d+), 0x[0-9a-f]+,/, '$1($2, ADDR,');

    const byPid = new Map<number, string[]>();
    for (const line of res.stderr.trim().split('\n')) {
      const m = /^\[pid (\d+)\] (.*)$/.exec(line);
      expect(m, line).not.toBeNull();
      if (m![2] === 'fork() = 0') continue;
      const list = byPid.get(Number(m![1])) ?? [];
      list.push(ours(m![2]!));
      byPid.set(Number(m![1]), list);
    }
    const [parent, child] = [...byPid.keys()];
    expect(byPid.size).toBe(2);
    expect(byPid.get(parent!)).toContain(`fork() = ${child}`);
    for (const [pid, wanted] of byPid) {
      const seen = fs.readFileSync(path.join(dir, `st.${pid}`), 'utf8').trim().split('\n').map((l) => theirs(l.replace(/\s+=\s+/, ' = ')));
      expectInOrder(wanted, seen);
    }
    const errors = (pid: number) => byPid.get(pid)!.filter((l) => / = -1 E/.test(l)).map((l) => l.replace(/^(\w+).* = -1 (\w+).*$/, '$1 $2'));
    expect(byPid.get(parent!)).toHaveLength(34);
    expect(errors(parent!)).toEqual(['recvfrom EAGAIN', 'connect ECONNREFUSED', 'close EBADF']);
    expect(byPid.get(child!)).toHaveLength(17);
    expect(errors(child!)).toEqual(['connect EISCONN']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
