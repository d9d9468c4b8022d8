/**
 * 4. Named pipes: `mkfifo`, `open`, `unlink` — a pipe with a name in the file system, so that
 * processes that share no descriptor (unrelated processes) can meet at it.
 */
import { fail } from './errors';
import { calls } from './native';
import * as v from './validate';

/** open's and mkfifo's mode: default 0o666, else 0..0o7777. @internal */
export function modeOf(mode: unknown): number {
  return mode === undefined ? 0o666 : v.int(mode, 'mode', 0, 0o7777);
}

/**
 * Creates a FIFO (a named pipe) at `path` with permissions `mode` (default `0o666`, filtered by
 * the umask as in C). It holds no data itself: processes `open` it, one to read and one to write,
 * and bytes flow between them as through a pipe.
 *
 * See mkfifo(3). Errors: `EEXIST` (something is at `path` already), `ENOENT` (no such directory),
 * `EACCES`, `ENAMETOOLONG`.
 *
 * @example
 * mkfifo('/tmp/my_fifo', 0o644);   // ls -l: prw-r--r-- ... my_fifo
 */
export function mkfifo(path: string, mode?: number): void {
  v.path(path);
  const m = modeOf(mode);
  const rc = calls.current.mkfifo(path, m);
  if (rc < 0) fail(rc, 'mkfifo', { path });
}

/**
 * Opens the file at `path` and returns a new descriptor. `flags` is one of `O_RDONLY`, `O_WRONLY`,
 * `O_RDWR`, ORed with `O_NONBLOCK`, `O_CLOEXEC`, `O_CREAT` (with `mode`, default `0o666`, filtered by
 * the umask), `O_EXCL`, `O_TRUNC`, `O_APPEND`. The descriptor is blocking and inheritable unless
 * the flags say otherwise, as in C.
 *
 * On a FIFO, opening waits for the other side: `O_RDONLY` until a writer opens it, `O_WRONLY` until
 * a reader does — the rendezvous. With `O_NONBLOCK`, a reader's open returns at once and a writer's
 * fails with `ENXIO` while no reader is there. A sync `open` blocks this thread as long as C's would.
 *
 * See open(2). Errors: `ENOENT`, `EACCES`, `EEXIST` (`O_CREAT | O_EXCL`), `ENXIO` (FIFO, `O_WRONLY |
 * O_NONBLOCK`, no reader), `EISDIR`, `EMFILE`. `EINTR` is retried (reported by posix-ipc/raw).
 *
 * @example
 * const fd = open('/tmp/my_fifo', O_WRONLY);   // waits until a reader opens the FIFO
 * write(fd, 'hello through the FIFO\n');
 * close(fd);
 */
export function open(path: string, flags: number, mode?: number): number {
  v.path(path);
  v.flags(flags);
  const m = modeOf(mode);
  const rc = calls.current.open(path, flags, m);
  return rc < 0 ? fail(rc, 'open', { path }) : rc;
}

/**
 * Removes the name `path` from the file system. A FIFO (or file) that is still open stays usable
 * through its descriptors until the last one is closed; new processes can no longer `open` it.
 *
 * See unlink(2). Errors: `ENOENT`, `EACCES`, `EISDIR` (a directory), `EBUSY`.
 *
 * @example
 * unlink('/tmp/my_fifo');
 */
export function unlink(path: string): void {
  v.path(path);
  const rc = calls.current.unlink(path);
  if (rc < 0) fail(rc, 'unlink', { path });
}
