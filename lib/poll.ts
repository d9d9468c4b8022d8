/**
 * 13. Multiplexing: `poll` — wait until one of several descriptors is ready, instead of blocking in
 * one `read` or `accept` while another descriptor has something to say.
 */
import { fail } from './errors';
import { calls } from './native';
import * as v from './validate';

/**
 * One entry of poll's array, C's `struct pollfd`: the descriptor, the events to wait for
 * (`POLLIN | POLLOUT | ...`), and `revents`, which {@link poll} sets to what happened.
 */
export interface PollFd {
  fd: number;
  events: number;
  revents?: number;
}

/**
 * A struct pollfd array in JavaScript memory: `fd` through an Int32Array (`i32[2 * i]`) and
 * `events`/`revents` through a Uint16Array over the same bytes (`u16[4 * i + 2]`, `u16[4 * i + 3]`),
 * the layout native/sys/poll.h checks at compile time. The kernel reads and writes it in place.
 * @internal
 */
export interface PollBuffer {
  i32: Int32Array;
  u16: Uint16Array;
}

/** A struct pollfd array with room for `n` entries. @internal */
export function pollBuffer(n: number): PollBuffer {
  const i32 = new Int32Array(2 * Math.max(n, 1));
  return { i32, u16: new Uint16Array(i32.buffer) };
}

/**
 * Validates `fds` and writes it into `into` (which must have room): every entry an object with an
 * int32 `fd` and `events` in [0, 0xffff], else TypeError/RangeError before any system call.
 * @internal
 */
export function packPollFds(fds: unknown, into: PollBuffer): void {
  const { i32, u16 } = into;
  const list = fds as PollFd[];
  for (let i = 0; i < list.length; i++) {
    const entry: unknown = list[i];
    if (typeof entry !== 'object' || entry === null) throw v.typeError(`fds[${i}]`, 'of type object', entry);
    const { fd, events } = entry as PollFd;
    // Fast paths first: the names are only built for an error.
    i32[2 * i] = typeof fd === 'number' && (fd | 0) === fd ? fd : v.fd(fd, `fds[${i}].fd`);
    u16[4 * i + 2] = typeof events === 'number' && (events & 0xffff) === events ? events : v.int(events, `fds[${i}].events`, 0, 0xffff);
    u16[4 * i + 3] = 0;
  }
}

/** Copies each entry's revents from `from` into `fds`. @internal */
export function unpackRevents(fds: PollFd[], from: PollBuffer): void {
  const { u16 } = from;
  for (let i = 0; i < fds.length; i++) fds[i]!.revents = u16[4 * i + 3]!;
}

/** `fds` must be an array; the checks on its entries are in {@link packPollFds}. @internal */
export function pollArray(fds: unknown): PollFd[] {
  if (!Array.isArray(fds)) throw v.typeError('fds', 'an instance of Array', fds);
  return fds as PollFd[];
}

let scratch = pollBuffer(16);

/**
 * Waits until at least one descriptor in `fds` is ready for the events its entry asks for, or
 * `timeout` milliseconds pass (`-1`, the default, waits for ever; `0` only looks). Sets each entry's
 * `revents` (`0` when nothing happened) and returns how many entries have a nonzero `revents`:
 * `0` means the timeout ran out.
 *
 * `revents` can carry `POLLHUP` (the peer closed: a pipe with no writer left), `POLLERR` (a pipe with
 * no reader left) and `POLLNVAL` (not an open descriptor) even when `events` did not ask for them.
 * An entry with a negative `fd` is ignored (its `revents` is 0), as in C. Interrupted by a signal, it
 * waits again for what remains of the timeout (`posix-ipc/raw` reports `EINTR` instead).
 *
 * See poll(2). Errors: `EINVAL` (more entries than the `RLIMIT_NOFILE` limit), `ENOMEM`.
 *
 * @example
 * const fds = [{ fd: fromClient, events: POLLIN }, { fd: fromServer, events: POLLIN }];
 * if (poll(fds, 5000) === 0) console.log('5 s and nothing to read');
 * for (const p of fds) if (p.revents! & (POLLIN | POLLHUP)) n = read(p.fd, buf);
 */
export function poll(fds: PollFd[], timeout = -1): number {
  const list = pollArray(fds);
  v.int(timeout, 'timeout');
  if (list.length > scratch.i32.length / 2) scratch = pollBuffer(2 ** Math.ceil(Math.log2(list.length)));
  packPollFds(list, scratch);
  const rc = calls.current.poll(scratch.i32, list.length, timeout);
  if (rc < 0) fail(rc, 'poll');
  unpackRevents(list, scratch);
  return rc;
}
