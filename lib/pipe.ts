/**
 * 2. Pipes: `pipe`, `pipe2` — a one-way byte queue in the kernel, with a read end and a write end.
 */
import { fail } from './errors';
import { calls, pair } from './native';
import * as v from './validate';

/**
 * Creates a pipe and returns its two descriptors: `[readEnd, writeEnd]`, as `fd[0]` and `fd[1]` on
 * the slide. Both are blocking and inherited by children (no `FD_CLOEXEC`), exactly as in C.
 *
 * See pipe(2). Errors: `EMFILE` (this process has too many descriptors open), `ENFILE`.
 *
 * @example
 * const [r, w] = pipe();
 * write(w, 'Message in a pipe.\n');
 * const buf = Buffer.alloc(1024);
 * const n = read(r, buf);
 * console.log(`Rcvd: ${buf.subarray(0, n)}`);
 * close(r); close(w);
 */
export function pipe(): [readEnd: number, writeEnd: number] {
  const rc = calls.current.pipe(pair);
  return rc < 0 ? fail(rc, 'pipe') : [pair[0]!, pair[1]!];
}

/**
 * Creates a pipe like {@link pipe}, with `flags`: `O_NONBLOCK` (reads and writes fail with `EAGAIN`
 * instead of waiting) and/or `O_CLOEXEC` (the descriptors close on exec). `O_DIRECT` gives a
 * packet-mode pipe on Linux.
 *
 * See pipe2(2). Errors: `EINVAL` (unknown flags), `EMFILE`, `ENFILE`.
 *
 * @example
 * const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
 * read(r, Buffer.alloc(1));   // throws SyscallError EAGAIN: nothing written yet
 */
export function pipe2(flags: number): [readEnd: number, writeEnd: number] {
  v.flags(flags);
  const rc = calls.current.pipe2(pair, flags);
  return rc < 0 ? fail(rc, 'pipe2') : [pair[0]!, pair[1]!];
}
