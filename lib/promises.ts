/**
 * posix-ipc/promises: the calls that can wait, returning promises. The same names, arguments and
 * errors as `posix-ipc`, plus a last `{ signal?: AbortSignal }`; while a call waits, the event loop
 * runs on, so a server and its clients can live in one script.
 *
 * - A waiting call keeps the process alive, as a pending `net` socket does.
 * - No thread waits for it: the descriptor goes into a readiness set (epoll) that the event loop
 *   watches; when it is ready the call is made without waiting, and if another reader was faster
 *   it waits again. Calls waiting on one descriptor are served in the order they were made.
 * - The descriptor's `O_NONBLOCK` flag is never changed: it belongs to the open file description,
 *   which a dup or a forked child shares, and their blocking calls stay blocking.
 * - Aborting rejects with an {@link AbortError} and consumes nothing: the bytes stay for the next
 *   reader. An already aborted signal rejects before any system call.
 * - Closing the descriptor with posix-ipc's `close` rejects the calls waiting on it with `EBADF`,
 *   whichever thread (main or `worker_threads`) closes it.
 * - Every failure is a rejection, wrong arguments included (TypeError/RangeError before any
 *   system call), as in Node's own promise APIs.
 *
 * The socket calls (accept, connect, send, recv, sendto, recvfrom), waitpid, open and getaddrinfo
 * join as their synchronous versions land.
 *
 * @example
 * import { pipe } from 'posix-ipc';
 * import { read, write } from 'posix-ipc/promises';
 * const [r, w] = pipe();
 * const pending = read(r, Buffer.alloc(64));   // waits without blocking the event loop
 * setTimeout(() => write(w, 'later'), 100);
 * console.log(await pending);                   // 5
 * @packageDocumentation
 */
import { SyscallError, type ErrorContext } from './errors';
import { addon } from './native';
import { pollArray, pollBuffer, packPollFds, unpackRevents, type PollFd } from './poll';
import * as v from './validate';

export type { CallOptions } from './validate';
export type { PollFd } from './poll';

/**
 * The rejection of a call whose AbortSignal fired: Node's own AbortError shape (`name`
 * `'AbortError'`, `code` `'ABORT_ERR'`), with the signal's `reason` as `cause`.
 */
export class AbortError extends Error {
  readonly code = 'ABORT_ERR';

  constructor(message = 'The operation was aborted', options?: { cause?: unknown }) {
    super(message, options);
  }

  override get name(): string {
    return 'AbortError';
  }
}

const native = addon.promises;
const ECANCELED = -addon.errnos.ECANCELED!;
let lastId = 0;

function aborted(signal: AbortSignal): Promise<never> {
  return Promise.reject(new AbortError(undefined, { cause: signal.reason }));
}

/** The number cancel() will name the call by: never 0 (no signal), unique among waiting calls. */
function nextId(): number {
  lastId = lastId >= 0xffffffff ? 1 : lastId + 1;
  return lastId;
}

/**
 * Turns a native call's result (a number if it settled at once, else a promise of one) into the
 * call's promise: `>= 0` resolves, `-errno` rejects with SyscallError, and the signal, if any,
 * cancels the waiting call.
 */
function settle(r: number | Promise<number>, id: number, signal: AbortSignal | undefined, syscall: string, ctx?: ErrorContext): Promise<number> {
  if (typeof r === 'number') return r < 0 ? Promise.reject(new SyscallError(r, syscall, ctx)) : Promise.resolve(r);
  if (signal === undefined) {
    return r.then((rc) => {
      if (rc < 0) throw new SyscallError(rc, syscall, ctx);
      return rc;
    });
  }
  return new Promise<number>((resolve, reject) => {
    const onAbort = () => {
      if (native.cancel(id)) reject(new AbortError(undefined, { cause: signal.reason }));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    void r.then((rc) => {
      signal.removeEventListener('abort', onAbort);
      if (rc >= 0) resolve(rc);
      else if (rc !== ECANCELED) reject(new SyscallError(rc, syscall, ctx));
    });
  });
}

/**
 * Runs a validated call: an aborted signal rejects before any system call; otherwise `call(id)`
 * makes it, `id` naming it for cancel() when the signal fires later.
 */
function run(options: unknown, syscall: string, ctx: ErrorContext | undefined, call: (id: number) => number | Promise<number>): Promise<number> {
  const signal = v.signal(options);
  if (signal?.aborted) return aborted(signal);
  const id = signal ? nextId() : 0;
  return settle(call(id), id, signal, syscall, ctx);
}

/** Whether an optional middle argument was left out and the options came in its place. */
function isOptions(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

/**
 * Reads up to `count` bytes (default: the whole buffer) from `fd` into `buf`, waiting without
 * blocking the event loop until there is something to read. Resolves with how many were read;
 * `0` is end of file (on a pipe: every write end is closed). `buf` must not be used until then.
 *
 * Also `read(fd, buf, { signal })`.
 *
 * See read(2). Rejects with: `EBADF` (not open for reading, or closed with posix-ipc's `close`
 * while waiting), `EISDIR`, `EINVAL`; an {@link AbortError}, having read nothing.
 *
 * @example
 * const [r, w] = pipe();
 * const n = read(r, buf);            // pending: nothing written yet
 * await write(w, 'ping');
 * console.log(await n);              // 4
 */
export function read(fd: number, buf: ArrayBufferView, count?: number, options?: v.CallOptions): Promise<number>;
export function read(fd: number, buf: ArrayBufferView, options?: v.CallOptions): Promise<number>;
export function read(fd: number, buf: ArrayBufferView, count?: number | v.CallOptions, options?: v.CallOptions): Promise<number> {
  try {
    v.fd(fd);
    v.view(buf, 'buf');
    if (isOptions(count)) [count, options] = [undefined, count as v.CallOptions];
    const n = v.count(buf, count);
    return run(options, 'read', { fd }, (id) => native.read(fd, buf, n, id));
  } catch (e) {
    return Promise.reject(e);
  }
}

/**
 * Writes up to `count` bytes of `data` (default: all of it; a string as UTF-8) to `fd`, waiting
 * without blocking the event loop while the pipe or socket is full. Resolves with how many bytes
 * were written: as soon as some are, which for more than `PIPE_BUF` bytes on a pipe may be fewer
 * than asked (write the rest with another call). Up to `PIPE_BUF` bytes go in whole. `data` must
 * not change until it resolves.
 *
 * Also `write(fd, data, { signal })`.
 *
 * See write(2). Rejects with: `EPIPE` (no reader left), `EBADF`; an {@link AbortError}, having
 * written nothing.
 *
 * @example
 * let sent = 0;
 * while (sent < data.length) sent += await write(w, data.subarray(sent));
 */
export function write(fd: number, data: ArrayBufferView | string, count?: number, options?: v.CallOptions): Promise<number>;
export function write(fd: number, data: ArrayBufferView | string, options?: v.CallOptions): Promise<number>;
export function write(fd: number, data: ArrayBufferView | string, count?: number | v.CallOptions, options?: v.CallOptions): Promise<number> {
  try {
    v.fd(fd);
    const buf = v.data(data, 'data');
    if (isOptions(count)) [count, options] = [undefined, count as v.CallOptions];
    const n = v.count(buf, count);
    return run(options, 'write', { fd }, (id) => native.write(fd, buf, n, id));
  } catch (e) {
    return Promise.reject(e);
  }
}

/**
 * Waits, without blocking the event loop, until a descriptor in `fds` is ready for the events its
 * entry asks for, or `timeout` ms pass (`-1`, the default: no limit). Resolves with how many
 * entries are ready (`0`: the timeout ran out) and then sets every entry's `revents`, as the sync
 * `poll` does.
 *
 * Also `poll(fds, { signal })`.
 *
 * See poll(2). Rejects with: `EINVAL`, `ENOMEM`; an {@link AbortError} (the entries are left as
 * they were).
 *
 * @example
 * const fds = [{ fd: a, events: POLLIN }, { fd: b, events: POLLIN }];
 * if (await poll(fds, 5000) === 0) console.log('nothing for 5 s');
 */
export function poll(fds: PollFd[], timeout?: number, options?: v.CallOptions): Promise<number>;
export function poll(fds: PollFd[], options?: v.CallOptions): Promise<number>;
export function poll(fds: PollFd[], timeout?: number | v.CallOptions, options?: v.CallOptions): Promise<number> {
  try {
    const list = pollArray(fds);
    if (isOptions(timeout)) [timeout, options] = [undefined, timeout as v.CallOptions];
    const t = timeout === undefined ? -1 : v.int(timeout, 'timeout');
    const buf = pollBuffer(list.length);
    packPollFds(list, buf);
    return run(options, 'poll', undefined, (id) => native.poll(buf.i32, list.length, t, id)).then((n) => {
      unpackRevents(list, buf);
      return n;
    });
  } catch (e) {
    return Promise.reject(e);
  }
}

export { SyscallError } from './errors';
export * from './constants';
