// Helpers shared by the test files.
import * as fs from 'node:fs';

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
