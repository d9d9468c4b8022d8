/**
 * 1. I/O channels: `read`, `write`, `close` — the calls every descriptor answers to, whether it
 * names a file, a pipe, a FIFO or a socket.
 */
import { fail } from './errors';
import { addon, calls } from './native';
import * as v from './validate';

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
  v.view(buf, 'buf');
  const n = v.count(buf, count);
  const rc = calls.current.read(fd, buf, n);
  return rc < 0 ? fail(rc, 'read', { fd }) : rc;
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
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : v.view(data, 'data');
  const n = v.count(buf, count);
  const rc = calls.current.write(fd, buf, n);
  return rc < 0 ? fail(rc, 'write', { fd }) : rc;
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
