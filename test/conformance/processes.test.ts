// ../shared/CONFORMANCE.md, "Processes and redirection": one test per line, named after it.
// (13, inheritable descriptors, is in pipes.test.ts with the pipes it is about.)
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import {
  close, dup2, execvp, fcntl, fork, getpid, getppid, kill, pipe, read, waitpid, write, _exit, F_GETFD, SIGKILL,
  WNOHANG, SyscallError,
} from 'posix-ipc';
import { drain, exitCode, forkChild, waitChild } from '../helpers';

describe('conformance: processes and redirection', () => {
  it("8. fork returns 0 in the child and the child's pid in the parent; the child sees the parent's fds", () => {
    const [r, w] = pipe();
    const [rr, rw] = pipe();
    const me = getpid();
    const pid = fork();
    if (pid === 0) {
      try {
        // Every descriptor of the parent is here: the pipe ends made before the fork.
        const ok = fcntl(r, F_GETFD) >= 0 && fcntl(rr, F_GETFD) >= 0 && getppid() === me;
        write(w, ok ? `child ${getpid()}` : 'missing fds');
      } finally {
        _exit(0);
      }
    }
    expect(pid).toBeGreaterThan(0);
    close(w);
    expect(drain(r)).toBe(`child ${pid}`);
    for (const fd of [r, rr, rw]) close(fd);
    expect(exitCode(pid)).toBe(0);
  });

  it('9. waitpid: _exit(n) is exited/n, a signal is signaled/signal, WNOHANG on a running child is null, no children is ECHILD', () => {
    expect(waitChild(forkChild(() => _exit(7)))).toMatchObject({ kind: 'exited', code: 7 });
    const [r, w] = pipe();
    const pid = forkChild(() => {
      read(r, Buffer.alloc(1)); // runs until killed
    });
    expect(waitpid(pid, WNOHANG)).toBeNull();
    kill(pid, SIGKILL);
    expect(waitChild(pid)).toMatchObject({ pid, kind: 'signaled', signal: 'SIGKILL', coreDumped: false });
    close(r);
    close(w);
    const [er, ew] = pipe();
    const lonely = forkChild(() => {
      try {
        waitpid(); // a new process has no children
      } catch (e) {
        if (e instanceof SyscallError) write(ew, e.code);
      }
    });
    close(ew);
    expect(drain(er)).toBe('ECHILD');
    close(er);
    expect(exitCode(lonely)).toBe(0);
  });

  it("10. dup2(a, b) makes b refer to a's open file; dup2(a, a) returns a; dup2 onto 1 redirects an exec'd program", () => {
    const [r, w] = pipe();
    const [bRead, b] = pipe();
    close(bRead); // b's own pipe: only its number matters here
    expect(dup2(w, b)).toBe(b);
    write(b, 'via b');
    const buf = Buffer.alloc(8);
    expect(buf.toString('utf8', 0, read(r, buf))).toBe('via b');
    expect(dup2(w, w)).toBe(w);
    close(b);
    const pid = forkChild(() => {
      dup2(w, 1);
      close(r);
      close(w);
      execvp('echo', ['echo', 'printed by echo']);
    });
    close(w);
    expect(drain(r)).toBe('printed by echo\n');
    close(r);
    expect(exitCode(pid)).toBe(0);
  });

  it('11. ls | wc -l from pipe, fork, dup2, execvp, waitpid prints what the shell prints; yes | head -1 ends', () => {
    const shell = spawnSync('sh', ['-c', 'ls / | wc -l'], { encoding: 'utf8' }).stdout;
    const [out, outW] = pipe(); // wc's stdout, to compare
    const [r, w] = pipe();
    const ls = forkChild(() => {
      dup2(w, 1);
      close(r);
      close(w);
      close(out);
      close(outW);
      execvp('ls', ['ls', '/']);
    });
    const wc = forkChild(() => {
      dup2(r, 0);
      dup2(outW, 1);
      close(r);
      close(w);
      close(out);
      close(outW);
      execvp('wc', ['wc', '-l']);
    });
    close(r);
    close(w);
    close(outW);
    expect(drain(out)).toBe(shell);
    close(out);
    expect(waitChild(ls)).toMatchObject({ kind: 'exited', code: 0 });
    expect(waitChild(wc)).toMatchObject({ kind: 'exited', code: 0 });

    const [yr, yw] = pipe();
    const [hr, hw] = pipe();
    const yes = forkChild(() => {
      dup2(yw, 1);
      for (const fd of [yr, yw, hr, hw]) close(fd);
      execvp('yes', ['yes']);
    });
    const head = forkChild(() => {
      dup2(yr, 0);
      dup2(hw, 1);
      for (const fd of [yr, yw, hr, hw]) close(fd);
      execvp('head', ['head', '-1']);
    });
    for (const fd of [yr, yw, hw]) close(fd);
    expect(drain(hr)).toBe('y\n');
    close(hr);
    expect(waitChild(head)).toMatchObject({ kind: 'exited', code: 0 });
    expect(waitChild(yes)).toMatchObject({ kind: 'signaled', signal: 'SIGPIPE' }); // as in a shell
  });

  it('12. execvp of a program that does not exist fails in the child with ENOENT', () => {
    const [r, w] = pipe();
    const pid = forkChild(() => {
      try {
        execvp('posix-ipc-no-such-program', ['posix-ipc-no-such-program']);
      } catch (e) {
        const err = e as SyscallError;
        write(w, `${err.code} ${err.syscall} ${err.path}`);
        return 127;
      }
    });
    close(w);
    expect(drain(r)).toBe('ENOENT execvp posix-ipc-no-such-program');
    close(r);
    expect(exitCode(pid)).toBe(127);
  });
});
