/**
 * 1. I/O channels: `read`, `write`, `close` — the calls every descriptor answers to, whether it
 * names a file, a pipe, a FIFO or a socket.
 */
import { fail } from './errors';
import { addon, calls, type NativeCalls } from './native';
import * as v from './validate';

// The fast path of read and write, and of send and recv (lib/socket.ts), in native/napi/fastpath.h:
// taken when the calls go through the addon's own table (not posix-ipc/raw's, not a tracing table)
// and move at least one byte. The arguments and the result travel through a block of native
// memory, and the view's address is bound once: the call itself passes no JavaScript value and
// creates none.
//
// The last view given to read or recv, and the last given to write or send, stay referenced here
// (that keeps their memory where the bound address says) until another view takes their place. A
// count > 0, checked against the view's current length as the engine measures it (v.byteLength,
// never the view's own properties), proves its ArrayBuffer is not detached; a count past the bound
// size (a resizable ArrayBuffer that grew) binds again.
//
// Kept small on purpose: TurboFan inlines read and write into their callers only while the
// bytecode of everything it inlines stays under its budget (920 bytes in V8 11), so the rare paths
// (binding, strings, errors) are functions of their own.
const fast = addon.fast;
export const fastTable: NativeCalls | null = fast ? addon : null;
const block = fast ? fast.block : new ArrayBuffer(24);
const blockInt = new Int32Array(block, 0, 2); // [fd, result]
const blockCount = new Float64Array(block, 8, 1); // [count]
const blockFlags = new Int32Array(block, 16, 1); // [flags]
const bound = { inView: null as ArrayBufferView | null, inSize: 0, outView: null as ArrayBufferView | null, outSize: 0 };

function bindIn(buf: ArrayBufferView): void {
  bound.inSize = fast!.bindIn(buf);
  bound.inView = buf;
}

function bindOut(buf: ArrayBufferView): void {
  bound.outSize = fast!.bindOut(buf);
  bound.outView = buf;
}

// fail() for a call on `fd`, out of line: the context object is made only when the call failed.
function failed(rc: number, syscall: string, fd: number): never {
  return fail(rc, syscall, { fd });
}

// A string is a new Buffer each time: binding it would cost more than it saves.
function writeString(fd: number, data: string, count: number | undefined): number {
  const bytes = Buffer.from(data, 'utf8');
  const rc = calls.current.write(fd, bytes, v.count(bytes, count));
  return rc < 0 ? fail(rc, 'write', { fd }) : rc;
}

// Four near-copies on purpose: with the common part in a helper, read() no longer fit TurboFan's
// inlining budget and a write + read pair took 720-760 instructions instead of 580-650 (callgrind,
// before v.byteLength used the engine's getters).
function fastRead(fd: number, buf: ArrayBufferView, n: number): number {
  if (buf !== bound.inView || n > bound.inSize) bindIn(buf);
  blockInt[0] = fd;
  blockCount[0] = n;
  fast!.read();
  return blockInt[1]!;
}

function fastWrite(fd: number, buf: ArrayBufferView, n: number): number {
  if (buf !== bound.outView || n > bound.outSize) bindOut(buf);
  blockInt[0] = fd;
  blockCount[0] = n;
  fast!.write();
  return blockInt[1]!;
}

/** recv(2) through the fast path (lib/socket.ts checks `fastTable` and `n > 0` first). */
export function fastRecv(fd: number, buf: ArrayBufferView, n: number, flags: number): number {
  if (buf !== bound.inView || n > bound.inSize) bindIn(buf);
  blockInt[0] = fd;
  blockCount[0] = n;
  blockFlags[0] = flags;
  fast!.recv();
  return blockInt[1]!;
}

/** send(2) through the fast path (lib/socket.ts checks `fastTable` and `n > 0` first). */
export function fastSend(fd: number, buf: ArrayBufferView, n: number, flags: number): number {
  if (buf !== bound.outView || n > bound.outSize) bindOut(buf);
  blockInt[0] = fd;
  blockCount[0] = n;
  blockFlags[0] = flags;
  fast!.send();
  return blockInt[1]!;
}

/**
 * Reads up to `count` bytes (default: the whole buffer) from `fd` into `buf`. Returns how many
 * were read; `0` means end of file — on a pipe, every write end is closed. On a blocking
 * descriptor with nothing to read it waits, exactly as read(2) does in C.
 *
 * See read(2). Errors: `EAGAIN` (non-blocking and nothing to read), `EBADF`, `EISDIR`, `EINVAL`.
 *
 * @example
 * const buf = Buffer.alloc(1024);
 * const n = read(fds[0], buf);          // blocks until the writer writes or closes
 * console.log(buf.subarray(0, n).toString());
 */
export function read(fd: number, buf: ArrayBufferView, count?: number): number {
  v.fd(fd);
  const n = v.count(v.view(buf, 'buf'), count);
  const table = calls.current;
  const rc = n > 0 && table === fastTable ? fastRead(fd, buf, n) : table.read(fd, buf, n);
  return rc < 0 ? failed(rc, 'read', fd) : rc;
}

/**
 * Writes up to `count` bytes of `data` (default: all of it) to `fd`; a string is written as its
 * UTF-8 bytes. Returns how many were written, which on a pipe or socket may be fewer than asked
 * (a partial write); a blocking descriptor waits while the pipe or socket buffer is full.
 *
 * Node ignores SIGPIPE, so writing to a pipe or socket nobody reads fails with `EPIPE` and the
 * process lives on.
 *
 * See write(2). Errors: `EPIPE` (no reader left), `EAGAIN` (non-blocking and full), `EBADF`.
 *
 * @example
 * write(fds[1], 'Message in a pipe.\n');
 */
export function write(fd: number, data: ArrayBufferView | string, count?: number): number {
  v.fd(fd);
  if (typeof data === 'string') return writeString(fd, data, count);
  const n = v.count(v.view(data, 'data'), count);
  const table = calls.current;
  const rc = n > 0 && table === fastTable ? fastWrite(fd, data, n) : table.write(fd, data, n);
  return rc < 0 ? failed(rc, 'write', fd) : rc;
}

const waiting = addon.promises.watched;

/**
 * Closes `fd`. The open file (pipe, socket...) goes away when its last descriptor, in every
 * process, is closed: that is when a pipe's reader sees end of file.
 *
 * Calls of `posix-ipc/promises` waiting on `fd` reject with `EBADF` first, in this thread and in
 * any other (`worker_threads`).
 *
 * See close(2). Errors: `EBADF` (not open — including `close(-1)`). Never retried on EINTR: on Linux
 * the descriptor is released even then.
 *
 * @example
 * close(fds[1]);   // the reader now gets 0 from read() once the pipe is drained
 */
export function close(fd: number): void {
  v.fd(fd);
  // Calls of posix-ipc/promises waiting on fd fail with EBADF, and it leaves their readiness set
  // while it is still open (other threads' calls hear of it from the native close). With none
  // waiting in any thread, this costs one array read.
  if (waiting[0] !== 0) addon.promises.closing(fd);
  const rc = calls.current.close(fd);
  if (rc < 0) fail(rc, 'close', { fd });
}

const fcntlCommands = (() => {
  const c = addon.constants;
  return new Set([c.F_GETFL, c.F_SETFL, c.F_GETFD, c.F_SETFD, c.F_DUPFD, c.F_DUPFD_CLOEXEC, c.F_GETPIPE_SZ, c.F_SETPIPE_SZ].filter((x) => x !== undefined));
})();

/**
 * Reads or changes a descriptor's flags. `cmd` is one of:
 * - `F_GETFL` / `F_SETFL`: the open file's status flags (`O_NONBLOCK`, `O_APPEND`; the access mode
 *   is read-only). These belong to the open file description, so a dup or a forked child shares them.
 * - `F_GETFD` / `F_SETFD`: the descriptor's own flags (`FD_CLOEXEC`).
 * - `F_DUPFD` / `F_DUPFD_CLOEXEC`: a copy on the lowest free descriptor >= `arg`.
 * - `F_GETPIPE_SZ` / `F_SETPIPE_SZ` (Linux): a pipe's capacity in bytes.
 *
 * Commands whose argument is a pointer (locks, owners) are not offered: a RangeError.
 *
 * See fcntl(2). Errors: `EBADF`, `EINVAL` (bad flags), `EBUSY` (a pipe holds more than the new size),
 * `EPERM` (`F_SETPIPE_SZ` over /proc/sys/fs/pipe-max-size without privilege).
 *
 * @example
 * const flags = fcntl(fd, F_GETFL);
 * fcntl(fd, F_SETFL, flags | O_NONBLOCK);      // read() now fails with EAGAIN instead of waiting
 * (fcntl(fd, F_GETFD) & FD_CLOEXEC) !== 0;     // closes on exec?
 */
export function fcntl(fd: number, cmd: number, arg?: number): number {
  v.fd(fd);
  v.int(cmd, 'cmd');
  if (!fcntlCommands.has(cmd)) throw v.rangeError('cmd', 'one of F_GETFL, F_SETFL, F_GETFD, F_SETFD, F_DUPFD, F_DUPFD_CLOEXEC, F_GETPIPE_SZ, F_SETPIPE_SZ', cmd);
  const a = arg === undefined ? 0 : v.int(arg, 'arg');
  const rc = calls.current.fcntl(fd, cmd, a);
  return rc < 0 ? fail(rc, 'fcntl', { fd }) : rc;
}
