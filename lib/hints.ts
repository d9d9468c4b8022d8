/**
 * Didactic hints: one line added to a {@link SyscallError}'s message for the classic mistakes of
 * the IPC lectures. The hint is also on the error as `hint`, so a test or a grader can show it.
 */
import type { ErrnoCode, ErrorContext } from './errors';

const unixSyscalls = new Set(['connect', 'sendto']);

/** The hint for an error, or `undefined` when the mistake is not a classic one. */
export function hintFor(code: ErrnoCode, syscall: string, ctx?: ErrorContext): string | undefined {
  switch (code) {
    case 'ECONNREFUSED':
      return 'nothing listens at that address: is the server running, and has it called listen() yet?';
    case 'EADDRINUSE':
      return 'another socket holds this address: another process, or an old connection in TIME_WAIT; ' +
        'setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1) before bind() lets a server rebind, and an AF_UNIX path must be unlink()ed first';
    case 'EPIPE':
      return 'the other end is closed: every reader of this pipe or socket is gone (Node ignores SIGPIPE, so write() reports EPIPE instead of killing the process)';
    case 'EAGAIN':
      return 'the descriptor is non-blocking and the call would have waited; O_NONBLOCK belongs to the open file description, ' +
        'so a dup(), a forked child or the process that passed the fd may have set it (check fcntl(fd, F_GETFL))';
    case 'ENOENT':
      if (ctx?.path !== undefined && unixSyscalls.has(syscall)) {
        return 'no socket file at that path: has the server called bind() yet, and is the path the same on both sides?';
      }
      return undefined;
    case 'EBADF':
      return 'that descriptor is not open in this process: closed already (twice?), never opened, or opened in another process ' +
        '(descriptors are per process); or it is open for the other direction (a pipe\'s read end cannot be written)';
    case 'ECONNRESET':
      return 'the peer closed the connection with data still unread, or died';
    case 'ENOTCONN':
      return 'the socket is not connected: a client calls connect(), a server calls accept() and uses the descriptor it returns';
    case 'EINVAL':
      if (syscall === 'accept') return 'accept() needs a socket on which listen() was called';
      if (syscall === 'listen') return 'listen() needs a bound stream or seqpacket socket';
      return undefined;
    case 'EMFILE':
      return 'this process has too many descriptors open (ulimit -n): is something not closed?';
    case 'ENXIO':
      if (syscall === 'open') return 'a FIFO opened O_WRONLY | O_NONBLOCK needs a reader that already has it open';
      return undefined;
    case 'ECHILD':
      return 'no child to wait for: all were already reaped, or this process has none';
    case 'ENAMETOOLONG':
      if (syscall === 'bind' || syscall === 'connect' || syscall === 'sendto') {
        return 'an AF_UNIX path must fit sun_path (107 bytes on Linux): use a shorter path, e.g. in /tmp';
      }
      return undefined;
    default:
      return undefined;
  }
}
