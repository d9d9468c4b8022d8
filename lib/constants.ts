/**
 * Constants under their C names, with this platform's values as the C headers define them (read
 * from the native side when the addon loads, never hard-coded). A name the platform lacks is
 * `undefined`.
 */
import { addon } from './native';

const c = addon.constants as Record<string, number>;

// I/O channels and pipes
/** open(2)/fcntl(2) access mode: read only. */
export const O_RDONLY: number = c.O_RDONLY!;
/** open(2)/fcntl(2) access mode: write only. */
export const O_WRONLY: number = c.O_WRONLY!;
/** open(2)/fcntl(2) access mode: read and write. */
export const O_RDWR: number = c.O_RDWR!;
/** Non-blocking mode: a call that would wait fails with `EAGAIN` instead (pipe2, open, fcntl F_SETFL). */
export const O_NONBLOCK: number = c.O_NONBLOCK!;
/** Close the descriptor when the process execs (pipe2, open). */
export const O_CLOEXEC: number = c.O_CLOEXEC!;
/** open(2): create the file if it does not exist. */
export const O_CREAT: number = c.O_CREAT!;
/** open(2) with O_CREAT: fail with EEXIST if the file exists. */
export const O_EXCL: number = c.O_EXCL!;
/** open(2): truncate a regular file to length 0. */
export const O_TRUNC: number = c.O_TRUNC!;
/** open(2): every write goes to the end of the file. */
export const O_APPEND: number = c.O_APPEND!;
/** open(2): a terminal does not become the controlling terminal. */
export const O_NOCTTY: number = c.O_NOCTTY!;
/** pipe2(2) on Linux: packet mode, each write is one packet. */
export const O_DIRECT: number = c.O_DIRECT!;
/** Writes of at most this many bytes to a pipe or FIFO are atomic (never interleaved). */
export const PIPE_BUF: number = c.PIPE_BUF!;
/** Descriptor 0. */
export const STDIN_FILENO: number = c.STDIN_FILENO!;
/** Descriptor 1. */
export const STDOUT_FILENO: number = c.STDOUT_FILENO!;
/** Descriptor 2. */
export const STDERR_FILENO: number = c.STDERR_FILENO!;

// fcntl
/** fcntl(2): get the open file's status flags (access mode, O_NONBLOCK, O_APPEND). */
export const F_GETFL: number = c.F_GETFL!;
/** fcntl(2): set the open file's status flags (O_NONBLOCK, O_APPEND). */
export const F_SETFL: number = c.F_SETFL!;
/** fcntl(2): get the descriptor's flags (FD_CLOEXEC). */
export const F_GETFD: number = c.F_GETFD!;
/** fcntl(2): set the descriptor's flags (FD_CLOEXEC). */
export const F_SETFD: number = c.F_SETFD!;
/** The close-on-exec descriptor flag (F_GETFD/F_SETFD). */
export const FD_CLOEXEC: number = c.FD_CLOEXEC!;
/** fcntl(2): duplicate onto the lowest free descriptor >= arg. */
export const F_DUPFD: number = c.F_DUPFD!;
/** fcntl(2): like F_DUPFD, with FD_CLOEXEC on the copy. */
export const F_DUPFD_CLOEXEC: number = c.F_DUPFD_CLOEXEC!;
/** fcntl(2) on Linux: a pipe's capacity in bytes. */
export const F_GETPIPE_SZ: number = c.F_GETPIPE_SZ!;
/** fcntl(2) on Linux: set a pipe's capacity (rounded up to a power-of-two number of pages). */
export const F_SETPIPE_SZ: number = c.F_SETPIPE_SZ!;

// poll
/** poll(2) event: there is data to read (or a connection to accept, or end of file). */
export const POLLIN: number = c.POLLIN!;
/** poll(2) event: urgent data to read (TCP out-of-band data, a pseudo-terminal state change). */
export const POLLPRI: number = c.POLLPRI!;
/** poll(2) event: writing now would not block. */
export const POLLOUT: number = c.POLLOUT!;
/** poll(2) revents only: an error condition (a pipe's write end with no reader left). */
export const POLLERR: number = c.POLLERR!;
/** poll(2) revents only: hang up (a pipe's read end with no writer left, a socket whose peer closed). */
export const POLLHUP: number = c.POLLHUP!;
/** poll(2) revents only: the fd is not an open descriptor. */
export const POLLNVAL: number = c.POLLNVAL!;
/** poll(2) event on Linux: the stream socket's peer closed its writing half. */
export const POLLRDHUP: number = c.POLLRDHUP!;
