/**
 * 11. Redirection: `dup`, `dup2` — two entries of the descriptor table naming one open file. This
 * is how a shell sends a program's output into a file or a pipe: `dup2(fd, 1)` before the exec.
 */
import { fail } from './errors';
import { calls } from './native';
import * as v from './validate';

/**
 * Returns a new descriptor, the lowest free one, naming the same open file as `fd`: both share
 * the file offset and status flags (`O_NONBLOCK`). The copy is inheritable (no `FD_CLOEXEC`). A
 * pipe's write end copied this way must be closed too before its reader sees end of file.
 *
 * See dup(2). Errors: `EBADF` (fd not open), `EMFILE`.
 *
 * @example
 * const saved = dup(1);   // keep the terminal
 * dup2(fd, 1);            // stdout now goes to fd
 * dup2(saved, 1);         // and back
 * close(saved);
 */
export function dup(fd: number): number {
  v.fd(fd);
  const rc = calls.current.dup(fd);
  return rc < 0 ? fail(rc, 'dup', { fd }) : rc;
}

/**
 * Makes `newfd` name the open file `oldfd` names, closing what `newfd` named before (silently, as
 * in C), and returns `newfd`. `newfd` never has `FD_CLOEXEC` afterwards, so it survives an exec:
 * `dup2(w, 1)` then `execvp(...)` is the shell's `>` and `|`. `dup2(fd, fd)` only checks that `fd`
 * is open and returns it.
 *
 * See dup2(2). Errors: `EBADF` (`oldfd` not open, or `newfd` out of range), `EBUSY` (Linux: `newfd`
 * being opened by another thread). `EINTR` is retried (reported by posix-ipc/raw).
 *
 * @example
 * const [r, w] = pipe();
 * if (fork() === 0) {
 *   dup2(w, 1);            // stdout is the pipe's write end
 *   close(r); close(w);
 *   execvp('ls', ['ls']);
 * }
 */
export function dup2(oldfd: number, newfd: number): number {
  v.fd(oldfd, 'oldfd');
  v.fd(newfd, 'newfd');
  const rc = calls.current.dup2(oldfd, newfd);
  return rc < 0 ? fail(rc, 'dup2', { fd: oldfd }) : rc;
}
