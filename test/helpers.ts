// Helpers shared by the test files.
import * as fs from 'node:fs';
import { expect, it } from 'vitest';
import { SyscallError } from 'posix-ipc';

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
