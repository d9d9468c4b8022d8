// Helpers shared by the test files.
import * as fs from 'node:fs';
import { expect, it } from 'vitest';
import { SyscallError } from 'posix-ipc';
import { _exit, fork, kill, read, waitpid, write as writeFd, WNOHANG, type WaitStatus } from 'posix-ipc';

/** The descriptors this process has open, from /proc/self/fd. */
export function openFds(): number[] {
  return fs
    .readdirSync('/proc/self/fd')
    .map(Number)
    .filter((n) => Number.isInteger(n))
    .filter((n) => {
      try {
        fs.readlinkSync(`/proc/self/fd/${n}`);
        return true;
      } catch {
        return false; // the descriptor readdir itself used
      }
    })
    .sort((a, b) => a - b);
}

/** The open-file flags the kernel reports for a descriptor (/proc/self/fdinfo, octal). */
export function fdinfoFlags(fd: number): number {
  const text = fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
  const m = /^flags:\s+([0-7]+)/m.exec(text);
  if (!m) throw new Error(`no flags for fd ${fd}`);
  return parseInt(m[1]!, 8);
}

/** Asserts a call throws a SyscallError with this code, syscall and (optionally) fd. */
export function syscallError(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (e) {
    return e as Record<string, unknown>;
  }
  throw new Error('expected the call to throw');
}

/** A wrong-argument case: its name, the call, and the error class it must give. */
export type RefusedCase = [name: string, call: () => unknown, kind: typeof TypeError | typeof RangeError];

/**
 * One test per case: the call fails with `kind` carrying Node's ERR_INVALID_ARG_TYPE or
 * ERR_OUT_OF_RANGE code, not a SyscallError, and opens no descriptor. `how` says whether the call
 * throws (the sync modules) or returns a promise that rejects (posix-ipc/promises).
 */
export function refusedArguments(cases: RefusedCase[], how: 'throws' | 'rejects' = 'throws'): void {
  for (const [name, call, kind] of cases) {
    it(`${name} ${how === 'throws' ? 'throws' : 'rejects with'} ${kind.name}`, async () => {
      const before = openFds();
      let err: unknown;
      if (how === 'throws') {
        try {
          call();
        } catch (e) {
          err = e;
        }
      } else {
        const p = call();
        expect(p).toBeInstanceOf(Promise);
        err = await (p as Promise<unknown>).then(() => undefined, (e: unknown) => e);
      }
      expect(err).toBeInstanceOf(kind);
      expect(err).not.toBeInstanceOf(SyscallError);
      expect((err as { code: string }).code).toMatch(/^ERR_(INVALID_ARG_TYPE|OUT_OF_RANGE)$/);
      expect(openFds()).toEqual(before);
    });
  }
}
// --- forked children (processes, FIFOs, redirection) ---------------------------------------------
// A forked child must never get back to vitest: its event loop would read the runner's IPC
// channel. forkChild ends it with _exit whatever fn does; waitChild never waits forever.

/**
 * Forks; the child runs `fn` and ends with `_exit(fn's number, or 0)`, or `_exit(1)` (after
 * printing the error on fd 2) if it throws. Returns the child's pid in the parent.
 */
export function forkChild(fn: () => number | void): number {
  const pid = fork();
  if (pid !== 0) return pid;
  let code = 1;
  try {
    const r = fn();
    code = typeof r === 'number' ? r : 0;
  } catch (e) {
    try {
      writeFd(2, `forked child: ${(e as Error)?.stack ?? String(e)}\n`);
    } catch {
      // nothing more to do: the status says it failed
    }
  } finally {
    _exit(code);
  }
}

const nap = new Int32Array(new SharedArrayBuffer(4));

/**
 * Waits for the child `pid`. A child still running after `timeoutMs` is killed with SIGKILL and
 * the wait throws: a hang fails the test instead of the whole run.
 */
export function waitChild(pid: number, timeoutMs = 30_000): WaitStatus {
  const deadline = Date.now() + timeoutMs;
  let pause = 0.02;
  for (;;) {
    const st = waitpid(pid, WNOHANG);
    if (st) return st;
    if (Date.now() > deadline) {
      kill(pid, 'SIGKILL');
      waitpid(pid);
      throw new Error(`child ${pid} hung: killed after ${timeoutMs} ms`);
    }
    Atomics.wait(nap, 0, 0, pause);
    pause = Math.min(pause * 2, 5);
  }
}

/** Waits for the child `pid` (as waitChild) and returns its exit code; a signal death throws. */
export function exitCode(pid: number, timeoutMs?: number): number {
  const st = waitChild(pid, timeoutMs);
  if (st.kind !== 'exited') throw new Error(`child ${pid} did not exit: ${JSON.stringify(st)}`);
  return st.code;
}

/** Everything readable from fd until end of file, as UTF-8. */
export function drain(fd: number): string {
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(65536);
  for (let n; (n = read(fd, buf)) > 0; ) chunks.push(Buffer.from(buf.subarray(0, n)));
  return Buffer.concat(chunks).toString('utf8');
}
