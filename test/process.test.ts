import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  close, dup2, execvp, fcntl, fork, getpid, getppid, kill, pipe, pipe2, posix_spawnp, read, waitpid, write, _exit,
  F_GETFD, F_GETFL, FD_CLOEXEC, O_CLOEXEC, O_NONBLOCK, SIGKILL, SIGTERM, SyscallError, WCONTINUED, WNOHANG, WUNTRACED,
} from 'posix-ipc';
import * as raw from 'posix-ipc/raw';
import { drain, exitCode, forkChild, openFds, syscallError, waitChild } from './helpers';

const pkg = require.resolve('posix-ipc');

/** Runs a script in a fresh node whose stdout/stderr are pipes; `p` is posix-ipc. */
function script(code: string, opts: { stdout?: number | 'pipe' } = {}) {
  return spawnSync(process.execPath, ['-e', `const p = require(${JSON.stringify(pkg)});\n${code}`], {
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', opts.stdout ?? 'pipe', 'pipe'],
  });
}

/** The VmFlags "dc" (MADV_DONTFORK) ranges of this process. */
function dontforkRanges(): Set<string> {
  const out = new Set<string>();
  let cur = '';
  for (const line of fs.readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const m = /^([0-9a-f]+-[0-9a-f]+) /.exec(line);
    if (m) cur = m[1]!;
    else if (line.startsWith('VmFlags:') && / dc\b/.test(line)) out.add(cur);
  }
  return out;
}

/** Children of this process that ended and were not reaped. */
function zombies(): number[] {
  const kids = fs.readdirSync('/proc/self/task').flatMap((tid) =>
    fs.readFileSync(`/proc/self/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  return kids.filter((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
    } catch {
      return false;
    }
  });
}

describe('fork', () => {
  it('returns 0 in the child and the child\'s pid in the parent; getpid/getppid agree', () => {
    const [r, w] = pipe();
    const parent = getpid();
    const ids = new Int32Array(3);
    const pid = forkChild(() => {
      ids[0] = getpid();
      ids[1] = getppid();
      ids[2] = process.pid; // Node's view agrees in the child
      write(w, ids);
    });
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(parent);
    close(w);
    const got = new Int32Array(3);
    expect(read(r, got)).toBe(12);
    close(r);
    expect([...got]).toEqual([pid, parent, pid]);
    expect(exitCode(pid)).toBe(0);
  });

  it('the child runs JavaScript on a copy of the heap: objects made before the fork are there', () => {
    const big = Array.from({ length: 20_000 }, (_, i) => ({ i, s: `item ${i}` }));
    const [r, w] = pipe();
    const pid = forkChild(() => {
      let sum = 0;
      for (let i = 0; i < big.length; i++) sum += big[i]!.i; // reads, allocates nothing
      write(w, `${sum} ${big[19_999]!.s}`);
    });
    close(w);
    expect(drain(r)).toBe(`${(19_999 * 20_000) / 2} item 19999`);
    close(r);
    expect(exitCode(pid)).toBe(0);
  });

  it('puts MADV_DONTFORK back on the parent\'s heap after the fork', () => {
    const before = dontforkRanges();
    expect(before.size).toBeGreaterThan(0);
    const pid = forkChild(() => 0);
    const after = dontforkRanges();
    expect(exitCode(pid)).toBe(0);
    // Every range that had the flag and still exists has it again (V8 may have mapped or
    // released pages meanwhile, so compare only the ones present both times by address).
    const smaps = fs.readFileSync('/proc/self/smaps', 'utf8');
    const stillThere = [...before].filter((r) => smaps.includes(`${r} `));
    expect(stillThere.length).toBeGreaterThan(0);
    for (const r of stillThere) expect(after.has(r), r).toBe(true);
  });

  it('_exit(n) gives the parent { kind: "exited", code: n }, keeping the low 8 bits', () => {
    expect(exitCode(forkChild(() => _exit(42)))).toBe(42);
    expect(exitCode(forkChild(() => _exit(256 + 7)))).toBe(7);
  });

  it('process.exit(3) in a forked child gives { kind: "exited", code: 3 }', () => {
    const pid = fork();
    if (pid === 0) {
      try {
        process.exit(3);
      } finally {
        _exit(99); // not reached: process.exit is _exit(3) in the child
      }
    }
    const st = waitChild(pid);
    expect(st).toMatchObject({ pid, kind: 'exited', code: 3 });
    expect(process.exit).not.toBe(undefined);
  });

  it('process.exit() in a forked child uses process.exitCode', () => {
    const pid = fork();
    if (pid === 0) {
      try {
        process.exitCode = 4;
        process.exit();
      } finally {
        _exit(99);
      }
    }
    expect(waitChild(pid)).toMatchObject({ kind: 'exited', code: 4 });
  });

  it('in a script: uncaught exception → stack on stderr and exit 1; falling off the end → exitCode; await ends the child', () => {
    const r = script(`
      const out = [];
      // In the child run() returns true and the script ends there, as a child would fall off its end.
      function run(child) { const pid = p.fork(); if (pid === 0) { child(); return true; } out.push(p.waitpid(pid)); return false; }
      if (!run(() => { throw new Error('boom in the child'); }) &&
          !run(() => { process.exitCode = 5; }) &&
          !run(() => { (async () => { await null; p.write(1, 'after await\\n'); p._exit(9); })(); })) {
        console.log(JSON.stringify(out.map((s) => [s.kind, s.code])));
      }
    `);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('after await');
    expect(JSON.parse(r.stdout)).toEqual([['exited', 1], ['exited', 5], ['exited', 0]]);
    expect(r.stderr).toMatch(/Error: boom in the child\n\s+at /); // as Node prints it
    expect(r.stderr).not.toMatch(/Segmentation|core dumped/);
  });

  it('console.log in a child reaches a piped stdout and a file stdout; write(1) always does', () => {
    const code = `
      const pid = p.fork();
      if (pid === 0) { try { console.log('console.log from the child'); p.write(1, 'write from the child\\n'); } finally { p._exit(0); } }
      p.waitpid(pid);
      console.log('parent done');`;
    const piped = script(code);
    expect(piped.stdout).toBe('console.log from the child\nwrite from the child\nparent done\n');
    const file = path.join(os.tmpdir(), `posix-ipc-stdout-${process.pid}.txt`);
    const fd = fs.openSync(file, 'w');
    try {
      expect(script(code, { stdout: fd }).status).toBe(0);
      expect(fs.readFileSync(file, 'utf8')).toBe('console.log from the child\nwrite from the child\nparent done\n');
    } finally {
      fs.closeSync(fd);
      fs.unlinkSync(file);
    }
  });

  it('is refused in a worker thread with a TypeError', async () => {
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       const p = require(${JSON.stringify(pkg)});
       try { p.fork(); parentPort.postMessage('forked'); }
       catch (e) { parentPort.postMessage([e.constructor.name, e.code, e.message]); }`,
      { eval: true },
    );
    const msg = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(msg).toEqual(['TypeError', 'ERR_WORKER_UNSUPPORTED_OPERATION', expect.stringContaining('worker threads')]);
  });

  it('raw.fork returns the pid / 0', () => {
    const pid = raw.fork();
    if (pid === 0) _exit(0);
    expect(pid).toBeGreaterThan(0);
    expect(exitCode(pid as number)).toBe(0);
  });
});

describe('waitpid', () => {
  it('WNOHANG: null while the child runs; a signal death is { kind: "signaled", signal }', () => {
    const [r, w] = pipe();
    const pid = forkChild(() => {
      close(w);
      read(r, Buffer.alloc(1)); // blocks until the parent closes its write end
    });
    close(r);
    expect(waitpid(pid, WNOHANG)).toBeNull();
    kill(pid, SIGTERM);
    const st = waitChild(pid);
    expect(st).toEqual({ pid, status: SIGTERM, kind: 'signaled', signal: 'SIGTERM', coreDumped: false });
    close(w);
  });

  it('WUNTRACED/WCONTINUED report stops and continues', () => {
    const [r, w] = pipe();
    const pid = forkChild(() => {
      close(w);
      read(r, Buffer.alloc(1));
    });
    close(r);
    kill(pid, 'SIGSTOP');
    expect(waitpid(pid, WUNTRACED)).toMatchObject({ pid, kind: 'stopped', signal: 'SIGSTOP' });
    kill(pid, 'SIGCONT');
    expect(waitpid(pid, WCONTINUED)).toEqual({ pid, status: 0xffff, kind: 'continued' });
    kill(pid, SIGKILL);
    expect(waitChild(pid)).toMatchObject({ kind: 'signaled', signal: 'SIGKILL' });
    close(w);
  });

  it('fails with ECHILD for a pid that is not a child, and with no children at all', () => {
    const e = syscallError(() => waitpid(1));
    expect(e).toBeInstanceOf(SyscallError);
    expect(e).toMatchObject({ code: 'ECHILD', syscall: 'waitpid' });
    const [r, w] = pipe();
    const pid = forkChild(() => {
      try {
        waitpid(); // a fresh process: no children
        write(w, 'no error');
      } catch (err) {
        write(w, `${(err as SyscallError).code} ${(err as SyscallError).syscall}`);
      }
    });
    close(w);
    expect(drain(r)).toBe('ECHILD waitpid');
    close(r);
    expect(exitCode(pid)).toBe(0);
    expect(raw.waitpid(1)).toBe(-1);
    expect(raw.errno()).toBe(10);
  });

  it('EINVAL for unknown option bits', () => {
    expect(syscallError(() => waitpid(-1, 0x100))).toMatchObject({ code: 'EINVAL', syscall: 'waitpid' });
  });

  it('wrong arguments are TypeError/RangeError', () => {
    expect(() => waitpid('1' as never)).toThrow(TypeError);
    expect(() => waitpid(1.5)).toThrow(RangeError);
    expect(() => waitpid(-1, -1)).toThrow(RangeError);
    expect(() => waitpid(-1, 'x' as never)).toThrow(TypeError);
  });
});

describe('kill', () => {
  it('takes a number or a name; signal 0 checks the pid exists', () => {
    kill(getpid(), 0);
    const [r, w] = pipe();
    const pid = forkChild(() => {
      read(r, Buffer.alloc(1)); // waits: the write end stays open until it is killed
    });
    kill(pid, 0);
    kill(pid, 'SIGKILL');
    expect(waitChild(pid)).toMatchObject({ kind: 'signaled', signal: 'SIGKILL' });
    close(r);
    close(w);
  });

  it('ESRCH for no such process, EINVAL for a bad signal number', () => {
    expect(syscallError(() => kill(0x3fffffff, 0))).toMatchObject({ code: 'ESRCH', syscall: 'kill' });
    expect(syscallError(() => kill(getpid(), 1000))).toMatchObject({ code: 'EINVAL', syscall: 'kill' });
    expect(raw.kill(0x3fffffff, 0)).toBe(-1);
    expect(raw.errno()).toBe(3);
  });

  it('an unknown name is ERR_UNKNOWN_SIGNAL; wrong types are TypeError/RangeError', () => {
    expect(() => kill(getpid(), 'SIGNOPE' as never)).toThrow(expect.objectContaining({ name: 'TypeError', code: 'ERR_UNKNOWN_SIGNAL' }));
    expect(() => kill(getpid(), undefined as never)).toThrow(TypeError);
    expect(() => kill('1' as never, 0)).toThrow(TypeError);
    expect(() => kill(getpid(), 1.5)).toThrow(RangeError);
  });
});

describe('execvp', () => {
  it('replaces the child; the program writes to an inherited stdout and stderr', () => {
    const r = script(`
      const pid = p.fork();
      if (pid === 0) { try { p.execvp('sh', ['sh', '-c', 'echo to stdout; echo to stderr >&2; exit 6']); } finally { p._exit(127); } }
      const st = p.waitpid(pid);
      p.write(1, 'exit ' + st.code + '\\n');`);
    expect(r.stdout).toBe('to stdout\nexit 6\n');
    expect(r.stderr).toBe('to stderr\n');
  });

  it('gives the program what a shell does: no FD_CLOEXEC/O_NONBLOCK on 0-2, default signals, empty mask', () => {
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const pid = forkChild(() => {
      dup2(w, 1); // fd 1: the pipe, O_NONBLOCK (on the open file)
      fcntl(1, 2 /* F_SETFD */, FD_CLOEXEC); // and close-on-exec, as Node leaves fds 0-2
      execvp('sh', ['sh', '-c', "grep -E '^Sig(Blk|Ign)' /proc/self/status; grep '^flags' /proc/self/fdinfo/1"]);
    });
    close(w);
    fcntl(r, 4 /* F_SETFL */, 0);
    const out = drain(r);
    close(r);
    expect(exitCode(pid)).toBe(0);
    expect(out).toContain('SigBlk:\t0000000000000000\n');
    expect(out).toContain('SigIgn:\t0000000000000000\n'); // Node ignores SIGPIPE and SIGXFSZ
    const flags = parseInt(/flags:\s+([0-7]+)/.exec(out)![1]!, 8);
    expect(flags & O_NONBLOCK).toBe(0);
  });

  it('a failed exec throws ENOENT and leaves the process as it was', () => {
    const status = () => fs.readFileSync('/proc/self/status', 'utf8').match(/^Sig(Blk|Ign|Cgt):.*$/gm);
    const fdFlags = () => [0, 1, 2].map((fd) => { try { return [fcntl(fd, F_GETFD), fcntl(fd, F_GETFL)]; } catch { return null; } });
    const before = [status(), fdFlags()];
    const fds = openFds();
    const e = syscallError(() => execvp('posix-ipc-no-such-program', ['x']));
    expect(e).toBeInstanceOf(SyscallError);
    expect(e).toMatchObject({ code: 'ENOENT', syscall: 'execvp', path: 'posix-ipc-no-such-program' });
    expect([status(), fdFlags()]).toEqual(before);
    expect(openFds()).toEqual(fds);
    expect(raw.execvp('posix-ipc-no-such-program', ['x'])).toBe(-1);
    expect(raw.errno()).toBe(2);
  });

  it('wrong arguments are TypeError/RangeError before any call', () => {
    const fds = openFds();
    expect(() => execvp(1 as never, ['x'])).toThrow(TypeError);
    expect(() => execvp('ls', 'ls' as never)).toThrow(TypeError);
    expect(() => execvp('ls', ['ls', 1 as never])).toThrow(TypeError);
    expect(() => execvp('ls', [])).toThrow(RangeError);
    expect(() => execvp('l\0s', ['ls'])).toThrow(expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' }));
    expect(() => execvp('ls', ['ls', 'a\0b'])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
    expect(openFds()).toEqual(fds);
  });
});

describe('posix_spawnp', () => {
  it('starts a program with dup2/close actions; its output comes through the pipe', () => {
    const fds = openFds();
    const [r, w] = pipe();
    const pid = posix_spawnp('sh', ['sh', '-c', 'echo out; echo err >&2; exit 3'], { dup2: [[w, 1], [w, 2]], close: [r, w] });
    close(w);
    expect(drain(r)).toBe('out\nerr\n');
    close(r);
    expect(waitChild(pid)).toMatchObject({ pid, kind: 'exited', code: 3 });
    expect(openFds()).toEqual(fds);
  });

  it('chdir, setsid and env', () => {
    const [r, w] = pipe();
    const [inR, inW] = pipe();
    const pid = posix_spawnp('sh', ['sh', '-c', 'pwd; echo "$GREETING"; read line'], {
      dup2: [[w, 1], [inR, 0]],
      close: [r, w, inR, inW],
      chdir: '/tmp',
      setsid: true,
      env: { GREETING: 'hello', PATH: process.env.PATH! },
    });
    close(w);
    close(inR);
    // /proc/<pid>/stat after the command name: state ppid pgrp session ...
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [, ppid, pgrp, session] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    expect([Number(ppid), Number(pgrp), Number(session)]).toEqual([getpid(), pid, pid]);
    close(inW); // `read line` gets end of file
    expect(drain(r)).toBe('/tmp\nhello\n');
    close(r);
    expect(exitCode(pid)).toBe(1);
  });

  it('the program gets default signals: yes | head -1 ends with yes killed by SIGPIPE', () => {
    const [r, w] = pipe();
    const [r2, w2] = pipe();
    const yes = posix_spawnp('yes', ['yes'], { dup2: [[w, 1]], close: [r, w, r2, w2] });
    const head = posix_spawnp('head', ['head', '-1'], { dup2: [[r, 0], [w2, 1]], close: [r, w, r2, w2] });
    close(r);
    close(w);
    close(w2);
    expect(drain(r2)).toBe('y\n');
    close(r2);
    expect(waitChild(head)).toMatchObject({ kind: 'exited', code: 0 });
    expect(waitChild(yes)).toMatchObject({ kind: 'signaled', signal: 'SIGPIPE' });
  });

  it('a missing program is ENOENT thrown in the parent; no fd left open, no child left', () => {
    const fds = openFds();
    const e = syscallError(() => posix_spawnp('posix-ipc-no-such-program', ['x']));
    expect(e).toBeInstanceOf(SyscallError);
    expect(e).toMatchObject({ code: 'ENOENT', syscall: 'posix_spawnp', path: 'posix-ipc-no-such-program' });
    expect(openFds()).toEqual(fds);
    expect(zombies()).toEqual([]);
    expect(raw.posix_spawnp('posix-ipc-no-such-program', ['x'])).toBe(-1);
    expect(raw.errno()).toBe(2);
  });

  it('a failing action is thrown with its fd or path', () => {
    const fds = openFds();
    expect(syscallError(() => posix_spawnp('true', ['true'], { dup2: [[9999, 1]] }))).toMatchObject({ code: 'EBADF', syscall: 'posix_spawnp', fd: 9999 });
    expect(syscallError(() => posix_spawnp('true', ['true'], { chdir: '/nonexistent/posix-ipc' }))).toMatchObject({ code: 'ENOENT', path: '/nonexistent/posix-ipc' });
    expect(syscallError(() => posix_spawnp('/etc/passwd', ['passwd']))).toMatchObject({ code: 'EACCES', path: '/etc/passwd' });
    expect(openFds()).toEqual(fds);
  });

  it('wrong arguments are TypeError/RangeError before any call', () => {
    const fds = openFds();
    expect(() => posix_spawnp('true', [])).toThrow(RangeError);
    expect(() => posix_spawnp('true', ['true'], 'x' as never)).toThrow(TypeError);
    expect(() => posix_spawnp('true', ['true'], { dup: [[1, 2]] } as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
    expect(() => posix_spawnp('true', ['true'], { dup2: [1, 2] as never })).toThrow(TypeError);
    expect(() => posix_spawnp('true', ['true'], { dup2: [[1, 1.5]] })).toThrow(RangeError);
    expect(() => posix_spawnp('true', ['true'], { close: ['1' as never] })).toThrow(TypeError);
    expect(() => posix_spawnp('true', ['true'], { chdir: 'a\0b' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
    expect(() => posix_spawnp('true', ['true'], { setsid: 1 as never })).toThrow(TypeError);
    expect(() => posix_spawnp('true', ['true'], { env: { A: 1 as never } })).toThrow(TypeError);
    expect(() => posix_spawnp('true', ['true'], { env: { 'A=B': 'c' } })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
    expect(() => posix_spawnp('true', ['true'], { env: [] as never })).toThrow(TypeError);
    expect(openFds()).toEqual(fds);
  });

  it('clears O_NONBLOCK on the program\'s stdio (on the shared open file, as libuv does)', () => {
    const [r, w] = pipe2(O_NONBLOCK);
    const pid = posix_spawnp('sh', ['sh', '-c', "grep '^flags' /proc/self/fdinfo/1"], { dup2: [[w, 1]], close: [r, w] });
    close(w);
    fcntl(r, 4 /* F_SETFL */, 0);
    const out = drain(r);
    close(r);
    expect(exitCode(pid)).toBe(0);
    expect(parseInt(/flags:\s+([0-7]+)/.exec(out)![1]!, 8) & O_NONBLOCK).toBe(0);
  });
});
