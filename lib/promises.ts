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
 * - A call made with `MSG_DONTWAIT`, `WNOHANG` or `O_NONBLOCK` does not wait, as in C.
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
import {
  addrInfoList, AddrInfoError, badAddressError, encode, encoded as e, encodedContext, encodedTextValid, lookupArgs, slotAddress,
  type AddrInfo, type AddrInfoHints, type SockAddr,
} from './address';
import { SyscallError, type ErrorContext } from './errors';
import { modeOf } from './fifo';
import { addon, tables, type AddressSlot } from './native';
import { pollArray, pollBuffer, packPollFds, unpackRevents, type PollFd } from './poll';
import { waitStatus, type WaitStatus } from './process';
import * as v from './validate';
import './trace'; // POSIX_IPC_TRACE=1 traces promise calls too

export type { CallOptions } from './validate';
export type { PollFd } from './poll';
export type { AddrInfo, AddrInfoHints, SockAddr } from './address';
export type { WaitStatus } from './process';
export { AddrInfoError } from './address';

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
  lastId = lastId >= 0x7fffffff ? 1 : lastId + 1;
  return lastId;
}

// The calls whose native side rejects by itself when no AbortSignal is given (the last argument
// is then -code): a waiting call's promise is the native one, with no then() in between.
const REJECTS = ['', 'read', 'write', 'recv', 'send'];
const READ = -1;
const WRITE = -2;
const RECV = -3;
const SEND = -4;
native.rejectWith((rc, code, fd) => new SyscallError(rc, REJECTS[code] ?? 'unknown', { fd }));

/**
 * The promise of a call made with `-code` and no signal: a number if it settled at once, else the
 * native promise, which resolves with the result or rejects with its SyscallError.
 */
function direct(r: number | Promise<number>, syscall: string, fd: number): Promise<number> {
  if (typeof r !== 'number') return r;
  return r < 0 ? Promise.reject(new SyscallError(r, syscall, { fd })) : Promise.resolve(r);
}

/** What an outcome function returns for the settlement of a call its signal cancelled. */
const CANCELLED = Symbol('cancelled');

/**
 * The call's promise from the native one: `outcome(value)` gives the result (or throws), and the
 * signal, if any, cancels the waiting call: the call's promise then rejects with AbortError at
 * once, and the native settlement that follows (outcome says CANCELLED) is dropped. If the native
 * side says the call could not be cancelled (it settles with what it already did), it resolves.
 */
function waitFor<T, R>(r: Promise<T>, id: number, signal: AbortSignal, outcome: (value: T) => R | typeof CANCELLED): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const onAbort = () => {
      if (native.cancel(id)) reject(new AbortError(undefined, { cause: signal.reason }));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    void r.then((value) => {
      signal.removeEventListener('abort', onAbort);
      try {
        const out = outcome(value);
        if (out !== CANCELLED) resolve(out);
      } catch (err) {
        reject(err);
      }
    });
  });
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
  return waitFor(r, id, signal, (rc) => {
    if (rc >= 0) return rc;
    if (rc === ECANCELED) return CANCELLED;
    throw new SyscallError(rc, syscall, ctx);
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

/**
 * run() for a call given the address in `encoded` (parameter `name`): its errors carry that
 * address, and an IP text the native encoder refuses is a TypeError, also when the signal is
 * already aborted (no system call is made either way).
 */
function runAddressed(options: unknown, syscall: string, fd: number, name: string, call: (id: number) => number | Promise<number>): Promise<number> {
  const ctx = encodedContext(fd); // now: `encoded` belongs to the next call once this one waits
  const signal = v.signal(options);
  if (signal?.aborted) {
    if (!encodedTextValid()) throw badAddressError(name);
    return aborted(signal);
  }
  const id = signal ? nextId() : 0;
  const r = call(id);
  if (r === addon.badAddress) throw badAddressError(name);
  return settle(r, id, signal, syscall, ctx);
}

/** Whether an optional middle argument was left out and the options came in its place. */
function isOptions(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

/**
 * A socket call's `(len?, flags?, options?)` on `buf`, the options possibly in place of len or of
 * flags: [len, flags, options], checked.
 */
function lenFlagsOptions(buf: ArrayBufferView, len: unknown, flags: unknown, options: unknown): [number, number, unknown] {
  if (isOptions(len)) [len, flags, options] = [undefined, undefined, len];
  else if (isOptions(flags)) [flags, options] = [undefined, flags];
  return [v.count(buf, len, 'len'), flags === undefined ? 0 : v.flags(flags), options];
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
    if (options === undefined) return direct(tables.promises.read(fd, buf, n, READ), 'read', fd);
    return run(options, 'read', { fd }, (id) => tables.promises.read(fd, buf, n, id));
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
    if (options === undefined) return direct(tables.promises.write(fd, buf, n, WRITE), 'write', fd);
    return run(options, 'write', { fd }, (id) => tables.promises.write(fd, buf, n, id));
  } catch (e) {
    return Promise.reject(e);
  }
}

/**
 * Waits, without blocking the event loop, for a child to change state, and reports it as the sync
 * `waitpid` does ({@link WaitStatus}): `pid` -1 (the default) for any child, a pid for that one;
 * `options` 0 or an OR of `WNOHANG` (do not wait: resolves with `null` when no child has changed
 * state), `WUNTRACED`, `WCONTINUED`. The child is reaped, as in C.
 *
 * How it waits: for one child (pid > 0, no WUNTRACED/WCONTINUED), on a pidfd (pidfd_open(2))
 * that becomes readable when the child ends. Otherwise (any child, a process group, stops and
 * continues, or a kernel without pidfds) it is woken by SIGCHLD: while such a call waits, libuv's
 * SIGCHLD handler is installed (as when `child_process` runs), so a blocking call of this thread
 * that is not restarted after a signal can see `EINTR` (posix-ipc retries it; posix-ipc/raw
 * reports it); a timer looks again at most every second in case a signal came before the handler.
 *
 * Also `waitpid(pid, { signal })` and `waitpid({ signal })`.
 *
 * See waitpid(2). Rejects with: `ECHILD` (no such child, or no children at all), `EINVAL`; an
 * {@link AbortError}, having reaped nothing.
 *
 * @example
 * const pid = fork();
 * if (pid === 0) _exit(3);                    // the child
 * const st = await waitpid(pid);                // the event loop runs meanwhile
 * if (st?.kind === 'exited') console.log(st.code);   // 3
 */
export function waitpid(pid?: number, options?: number, opts?: v.CallOptions): Promise<WaitStatus | null>;
export function waitpid(pid: number, options?: v.CallOptions): Promise<WaitStatus | null>;
export function waitpid(options?: v.CallOptions): Promise<WaitStatus | null>;
export function waitpid(pid?: unknown, options?: unknown, opts?: unknown): Promise<WaitStatus | null> {
  try {
    if (isOptions(pid)) [pid, options, opts] = [undefined, undefined, pid];
    else if (isOptions(options)) [options, opts] = [undefined, options];
    const p = pid === undefined ? -1 : v.int(pid, 'pid');
    const o = options === undefined ? 0 : v.flags(options, 'options');
    const out = new Int32Array(4);
    return run(opts, 'waitpid', undefined, (id) => tables.promises.waitpid(p, o, out, id)).then((rc) => waitStatus(rc, out));
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * Opens the file at `path` as the sync `open` does (`flags`, `mode` default `0o666`) and resolves
 * with the new descriptor, blocking and inheritable unless the flags say otherwise. On a FIFO it
 * waits, without blocking the event loop, for the other side as C's open does: `O_RDONLY` until a
 * writer opens it, `O_WRONLY` until a reader does. With `O_NONBLOCK` it does not wait (a writer's
 * open then rejects with `ENXIO` while no reader is there), as in C.
 *
 * How it waits: the file is opened with `O_NONBLOCK`, which is cleared again on the new open file
 * description (nothing else shares it yet). A FIFO's reader then holds its end open while it waits
 * (a writer's open finds a reader, as with a C reader blocked in open), until tee(2) says a writer
 * is there. No event says that a reader or a writer came, so the call looks again after 1, 2, 4 ...
 * up to 20 ms, and at once when another open of this thread succeeds: both ends opened in one
 * script meet without waiting for the timer.
 *
 * Also `open(path, flags, { signal })`.
 *
 * See open(2). Rejects with: `ENOENT`, `EACCES`, `EEXIST` (`O_CREAT | O_EXCL`), `ENXIO` (a FIFO
 * opened `O_WRONLY | O_NONBLOCK` with no reader; a socket file), `EISDIR`, `EMFILE`; an
 * {@link AbortError}, with nothing left open.
 *
 * @example
 * mkfifo('/tmp/my_fifo');
 * const [r, w] = await Promise.all([open('/tmp/my_fifo', O_RDONLY), open('/tmp/my_fifo', O_WRONLY)]);
 */
export function open(path: string, flags: number, mode?: number, options?: v.CallOptions): Promise<number>;
export function open(path: string, flags: number, options?: v.CallOptions): Promise<number>;
export function open(path: string, flags: number, mode?: unknown, options?: unknown): Promise<number> {
  try {
    v.path(path);
    v.flags(flags);
    if (isOptions(mode)) [mode, options] = [undefined, mode];
    const m = modeOf(mode);
    return run(options, 'open', { path }, (id) => tables.promises.open(path, flags, m, id));
  } catch (err) {
    return Promise.reject(err);
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
    return run(options, 'poll', undefined, (id) => tables.promises.poll(buf.i32, list.length, t, id)).then((n) => {
      unpackRevents(list, buf);
      return n;
    });
  } catch (e) {
    return Promise.reject(e);
  }
}

/**
 * Takes the next connection from a listening socket's queue, waiting without blocking the event
 * loop until there is one. Resolves with `[fd, peer]`: the connection's new descriptor (blocking
 * and inheritable, as accept(2) makes it) and the client's address.
 *
 * Aborting leaves the connection in the backlog for the next accept. The call is made once
 * poll(2) says a connection is queued, because accept(2) has no per-call non-blocking flag: if
 * another process (or a worker thread) accepts that connection in between, on a blocking listener
 * the call blocks the event loop until the next one comes, the one race of this module (a
 * listener created with `SOCK_NONBLOCK` has none: the call just waits again).
 *
 * Also `accept(fd, { signal })`.
 *
 * See accept(2). Rejects with: `EINVAL` (not listening), `ENOTSOCK`, `EOPNOTSUPP` (a datagram
 * socket), `EMFILE`, `EBADF` (also: closed with posix-ipc's `close` while waiting); an
 * {@link AbortError}, the connection left queued.
 *
 * @example
 * const server = socket(AF_INET, SOCK_STREAM);
 * bind(server, { family: 'AF_INET', address: '127.0.0.1', port: 2021 });
 * listen(server);
 * for (;;) {
 *   const [client, peer] = await accept(server);   // the event loop runs meanwhile
 *   serve(client);                                 // not awaited: the next accept waits at once
 * }
 */
export function accept(fd: number, options?: v.CallOptions): Promise<[fd: number, peer: SockAddr]> {
  try {
    v.fd(fd);
    const slot: AddressSlot = [null, new Uint32Array(4)];
    return run(options, 'accept', { fd }, (id) => tables.promises.accept(fd, slot, id)).then((conn) => [conn, slotAddress(slot)!]);
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * Connects a socket to a server's address, waiting without blocking the event loop until the
 * connection is up: a TCP handshake, an AF_UNIX listener's backlog that is full. A datagram socket
 * only records the address, at once. Resolves with nothing; the socket is then connected as after
 * a blocking connect (a second connect says `EISCONN`). It waits even on a socket created with
 * `SOCK_NONBLOCK` (where the sync connect says `EINPROGRESS`).
 *
 * How it avoids blocking, since connect(2) has no per-call flag: TCP by
 * `sendto(fd, NULL, 0, MSG_FASTOPEN | MSG_DONTWAIT)`, TCP's own non-blocking connect (the SYN asks
 * for a Fast Open cookie and carries no data); other stream sockets by a connect(2) with
 * `O_NONBLOCK` set for that one call and cleared again, only on a socket that is neither connected
 * nor listening (no other holder of it has a call that could notice: recv, send and accept on such
 * a socket fail at once). An AF_UNIX listener's full backlog has no readiness event: the connect
 * is tried again after 1, 2, 4 ... up to 20 ms until there is room (at once when a promise
 * `accept` of this thread takes a connection).
 *
 * Aborting a connection under way abandons it (connect to `AF_UNSPEC`): the socket is unconnected
 * again and can connect anew; a server whose kernel already completed the handshake sees a reset.
 *
 * Also `connect(fd, address, { signal })`.
 *
 * See connect(2). Rejects with: `ECONNREFUSED` (nothing listens there), `ENOENT` (no AF_UNIX
 * socket file), `ETIMEDOUT`, `ENETUNREACH`, `EHOSTUNREACH`, `EISCONN`, `EALREADY` (a connect was
 * already under way), `EADDRNOTAVAIL`, `EAFNOSUPPORT`, `ENAMETOOLONG`, `EPROTOTYPE`, `ENOTSOCK`,
 * `EBADF` (also: closed with posix-ipc's `close` while waiting); an {@link AbortError}. A
 * malformed address is a TypeError/RangeError.
 *
 * @example
 * const fd = socket(AF_INET, SOCK_STREAM);
 * await connect(fd, { family: 'AF_INET', address: '127.0.0.1', port: 2021 });
 */
export function connect(fd: number, address: SockAddr, options?: v.CallOptions): Promise<void> {
  try {
    v.fd(fd);
    encode(address, 'address');
    return runAddressed(options, 'connect', fd, 'address', (id) => tables.promises.connect(fd, e.family, e.text, e.port, e.flowinfo, e.scopeid, id)).then(() => undefined);
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * Sends up to `len` bytes of `data` (default: all of it; a string as UTF-8) on a connected socket,
 * waiting without blocking the event loop while its send buffer is full. Resolves with how many
 * bytes were sent: on a stream as soon as some are, possibly fewer than asked (send the rest with
 * another call); a datagram goes whole. `flags` are send(2)'s (`MSG_NOSIGNAL`, `MSG_MORE`...);
 * with `MSG_DONTWAIT` the call does not wait and rejects with `EAGAIN` instead. `data` must not
 * change until it resolves.
 *
 * Also `send(fd, data, { signal })` and `send(fd, data, len, { signal })`.
 *
 * See send(2). Rejects with: `EPIPE`, `ECONNRESET`, `ENOTCONN`, `EDESTADDRREQ`, `EMSGSIZE`,
 * `ENOTSOCK`, `EBADF` (also: closed with posix-ipc's `close` while waiting); an
 * {@link AbortError}, having sent nothing.
 *
 * @example
 * let sent = 0;
 * while (sent < reply.length) sent += await send(client, reply.subarray(sent));
 */
export function send(fd: number, data: ArrayBufferView | string, len?: number, flags?: number, options?: v.CallOptions): Promise<number>;
export function send(fd: number, data: ArrayBufferView | string, len?: number, options?: v.CallOptions): Promise<number>;
export function send(fd: number, data: ArrayBufferView | string, options?: v.CallOptions): Promise<number>;
export function send(fd: number, data: ArrayBufferView | string, len?: unknown, flags?: unknown, options?: unknown): Promise<number> {
  try {
    v.fd(fd);
    const buf = v.data(data, 'data');
    const [n, f, opts] = lenFlagsOptions(buf, len, flags, options);
    if (opts === undefined) return direct(tables.promises.send(fd, buf, n, f, SEND), 'send', fd);
    return run(opts, 'send', { fd }, (id) => tables.promises.send(fd, buf, n, f, id));
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * Receives up to `len` bytes (default: the whole buffer) into `buf`, waiting without blocking the
 * event loop until some arrive. Resolves with how many; `0` means the peer has shut down (end of
 * stream). `buf` must not be used until then. `flags` are recv(2)'s:
 *
 * - `MSG_PEEK`: looks without taking.
 * - `MSG_WAITALL` on a stream: resolves once `len` bytes have come (fewer only at end of stream
 *   or on an error, as in C). The bytes are taken as they arrive, as the kernel's own MSG_WAITALL
 *   does (a socket may never hold `len` bytes at once), so an abort after some were taken
 *   resolves with their count instead of rejecting, as C's recv returns what it has when a signal
 *   interrupts it. With `MSG_PEEK` nothing is taken: the call resolves once `len` bytes are
 *   queued, looking again every 1 to 20 ms while some but too few are. Datagrams ignore the flag.
 * - `MSG_DONTWAIT`: the call does not wait; it rejects with `EAGAIN` when nothing is there.
 *
 * Also `recv(fd, buf, { signal })` and `recv(fd, buf, len, { signal })`.
 *
 * See recv(2). Rejects with: `ECONNRESET`, `ENOTCONN`, `ENOTSOCK`, `EBADF` (also: closed with
 * posix-ipc's `close` while waiting); an {@link AbortError}, having taken nothing: the bytes stay
 * for the next reader.
 *
 * @example
 * const msg = Buffer.alloc(1024);
 * const n = await recv(client, msg);
 * if (n === 0) console.log('the client hung up');
 */
export function recv(fd: number, buf: ArrayBufferView, len?: number, flags?: number, options?: v.CallOptions): Promise<number>;
export function recv(fd: number, buf: ArrayBufferView, len?: number, options?: v.CallOptions): Promise<number>;
export function recv(fd: number, buf: ArrayBufferView, options?: v.CallOptions): Promise<number>;
export function recv(fd: number, buf: ArrayBufferView, len?: unknown, flags?: unknown, options?: unknown): Promise<number> {
  try {
    v.fd(fd);
    v.view(buf, 'buf');
    const [n, f, opts] = lenFlagsOptions(buf, len, flags, options);
    if (opts === undefined) return direct(tables.promises.recv(fd, buf, n, f, RECV), 'recv', fd);
    return run(opts, 'recv', { fd }, (id) => tables.promises.recv(fd, buf, n, f, id));
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * Sends a message to an address, the datagram call, waiting without blocking the event loop while
 * there is no room for it. Two forms, as the sync call: `sendto(fd, data, dest)` and
 * `sendto(fd, data, len, flags, dest)`. Resolves with the bytes sent (a datagram goes whole).
 *
 * An AF_UNIX datagram to a receiver whose queue is full has no readiness event (the sender's
 * socket stays writable): the call is tried again after 1, 2, 4 ... up to 20 ms until it fits
 * (at once when a promise `recv` or `recvfrom` of this thread takes a message).
 * With `MSG_DONTWAIT` it does not wait and rejects with `EAGAIN`.
 *
 * Also `sendto(fd, data, dest, { signal })` and `sendto(fd, data, len, flags, dest, { signal })`.
 *
 * See sendto(2). Rejects with: `EMSGSIZE`, `ECONNREFUSED` (an AF_UNIX address where nobody is
 * bound), `ENOENT`, `EACCES`, `EISCONN`, `EPIPE`, `ENAMETOOLONG`, `ENOTSOCK`, `EBADF` (also:
 * closed with posix-ipc's `close` while waiting); an {@link AbortError}, having sent nothing. A
 * malformed address is a TypeError/RangeError.
 *
 * @example
 * await sendto(fd, 'ping', { family: 'AF_INET', address: '127.0.0.1', port: 9000 });
 */
export function sendto(fd: number, data: ArrayBufferView | string, dest: SockAddr, options?: v.CallOptions): Promise<number>;
export function sendto(fd: number, data: ArrayBufferView | string, len: number | undefined, flags: number, dest: SockAddr, options?: v.CallOptions): Promise<number>;
export function sendto(fd: number, data: ArrayBufferView | string, lenOrDest: unknown, flagsOrOptions?: unknown, dest?: unknown, options?: unknown): Promise<number> {
  try {
    v.fd(fd);
    const buf = v.data(data, 'data');
    let n: number;
    let f = 0;
    if (typeof lenOrDest === 'object' && lenOrDest !== null) {
      n = buf.byteLength;
      encode(lenOrDest, 'dest');
      options = flagsOrOptions;
    } else {
      n = v.count(buf, lenOrDest, 'len');
      f = flagsOrOptions === undefined ? 0 : v.flags(flagsOrOptions);
      encode(dest, 'dest');
    }
    return runAddressed(options, 'sendto', fd, 'dest', (id) => tables.promises.sendto(fd, buf, n, f, e.family, e.text, e.port, e.flowinfo, e.scopeid, id));
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * Receives a message and says who sent it, waiting without blocking the event loop until one
 * arrives. Resolves with `[n, src]`: `src` is the sender's address, or null when the kernel
 * reports none (a connected stream; an AF_UNIX sender that never bound a name). `flags` as for
 * {@link recv}.
 *
 * Also `recvfrom(fd, buf, { signal })` and `recvfrom(fd, buf, len, { signal })`.
 *
 * See recvfrom(2). Rejects as {@link recv} does; an {@link AbortError}, having taken nothing.
 *
 * @example
 * const buf = Buffer.alloc(1024);
 * for (;;) {
 *   const [n, src] = await recvfrom(fd, buf);
 *   await sendto(fd, buf.subarray(0, n), src!);   // echo it back
 * }
 */
export function recvfrom(fd: number, buf: ArrayBufferView, len?: number, flags?: number, options?: v.CallOptions): Promise<[n: number, src: SockAddr | null]>;
export function recvfrom(fd: number, buf: ArrayBufferView, len?: number, options?: v.CallOptions): Promise<[n: number, src: SockAddr | null]>;
export function recvfrom(fd: number, buf: ArrayBufferView, options?: v.CallOptions): Promise<[n: number, src: SockAddr | null]>;
export function recvfrom(fd: number, buf: ArrayBufferView, len?: unknown, flags?: unknown, options?: unknown): Promise<[n: number, src: SockAddr | null]> {
  try {
    v.fd(fd);
    v.view(buf, 'buf');
    const [n, f, opts] = lenFlagsOptions(buf, len, flags, options);
    const slot: AddressSlot = [null, new Uint32Array(4), buf];
    return run(opts, 'recvfrom', { fd }, (id) => tables.promises.recvfrom(fd, slot, n, f, id)).then((got) => [got, slotAddress(slot)]);
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * Turns a host and a service into socket addresses, as the sync {@link getaddrinfo} does, on
 * Node's threadpool (as `dns.lookup` does) so the event loop runs on while DNS answers. Resolves
 * with the list; rejects with {@link AddrInfoError} (`EAI_NONAME`, `EAI_AGAIN`...).
 *
 * Aborting rejects at once, but a lookup a threadpool thread has already started runs to its end
 * there (getaddrinfo(3) cannot be interrupted; its result is dropped), and keeps the process alive
 * until it does, as `dns.lookup` would.
 *
 * Also `getaddrinfo(node, service, { signal })`: an object with a `signal` property in the hints'
 * place is the options (hints have no such field).
 *
 * See getaddrinfo(3).
 *
 * @example
 * const [server] = await getaddrinfo('localhost', '2021', { socktype: SOCK_STREAM });
 * const fd = socket(server.family, server.socktype, server.protocol);
 * await connect(fd, server.address);
 */
export function getaddrinfo(node: string | null, service: string | null, hints?: AddrInfoHints, options?: v.CallOptions): Promise<AddrInfo[]>;
export function getaddrinfo(node: string | null, service: string | null, options?: v.CallOptions): Promise<AddrInfo[]>;
export function getaddrinfo(node: string | null, service: string | null, hints?: unknown, options?: unknown): Promise<AddrInfo[]> {
  try {
    if (options === undefined && isOptions(hints) && 'signal' in (hints as object)) [hints, options] = [undefined, hints];
    const args = lookupArgs(node, service, hints as AddrInfoHints | undefined);
    const signal = v.signal(options);
    if (signal?.aborted) return aborted(signal);
    const id = signal ? nextId() : 0;
    const errOut = new Int32Array(1);
    const failure = (code: number) => new AddrInfoError(code, node ?? null, service ?? null, errOut[0]);
    const r = native.getaddrinfo(...args, errOut, id);
    if (typeof r === 'number') return Promise.reject(failure(r));
    const outcome = (res: Awaited<typeof r>) => {
      if (typeof res !== 'number') return addrInfoList(res);
      if (res === ECANCELED) return CANCELLED;
      throw failure(res);
    };
    return signal ? waitFor(r, id, signal, outcome) : (r.then(outcome) as Promise<AddrInfo[]>);
  } catch (err) {
    return Promise.reject(err);
  }
}

export { SyscallError } from './errors';
export * from './constants';
