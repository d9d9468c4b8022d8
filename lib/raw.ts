/**
 * posix-ipc/raw: the same calls, C-style. A failed call returns `-1` and sets {@link errno} instead
 * of throwing, and EINTR is reported rather than retried — for students comparing their script with
 * the C on the slide. A call that returns nothing in `posix-ipc` returns `0` here.
 *
 * Wrong arguments still throw TypeError/RangeError: in C they would not compile.
 *
 * @example
 * import { close, errno, perror } from 'posix-ipc/raw';
 * if (close(999) === -1) perror('close');   // prints "close: Bad file descriptor"
 * @packageDocumentation
 */
import * as io from './io';
import * as pipes from './pipe';
import * as sockets from './socket';
import * as addresses from './address';
import * as polls from './poll';
import * as proc from './process';
import * as fifo from './fifo';
import * as redirect from './redirect';
import { SyscallError, strerror as text } from './errors';
import { int, typeError } from './validate';
import { addon, calls, tables } from './native';
import './trace'; // POSIX_IPC_TRACE=1 traces raw calls too

let lastErrno = 0;

/** The C-style result of a call: its `posix-ipc` result (or `0` for none), or `-1` on failure. */
export type RawResult<R> = ([R] extends [void] ? 0 : R) | -1;
/** A `posix-ipc` function turned C-style. */
export type RawFn<F> = F extends (...args: infer A) => infer R ? (...args: A) => RawResult<R> : never;

/**
 * Wraps a `posix-ipc` call: runs it on the native table that reports EINTR and turns its
 * SyscallError into `-1` and errno. Argument errors (TypeError/RangeError) pass through.
 * @internal
 */
export function c<F extends (...args: never[]) => unknown>(f: F): RawFn<F> {
  const wrapped = (...args: Parameters<F>) => {
    const table = calls.current;
    calls.current = tables.raw;
    try {
      const r = f(...args);
      return r === undefined ? 0 : r;
    } catch (e) {
      if (e instanceof SyscallError) {
        lastErrno = -e.errno;
        return -1;
      }
      throw e;
    } finally {
      calls.current = table;
    }
  };
  Object.defineProperty(wrapped, 'name', { value: f.name });
  return wrapped as unknown as RawFn<F>;
}

/** The errno of the last call that failed, as C's `errno` (a positive number: `EBADF` is 9). */
export function errno(): number {
  return lastErrno;
}

/** The system's text for an errno value: `strerror(9)` → `'Bad file descriptor'`. See strerror(3). */
export function strerror(errnum: number): string {
  return text(int(errnum, 'errnum'));
}

/**
 * Prints `msg: <text of errno>` to standard error (fd 2, unbuffered, as C's perror(3) does).
 * With no message, only the text.
 */
export function perror(msg?: string): void {
  if (msg !== undefined && typeof msg !== 'string') throw typeError('msg', 'of type string', msg);
  const line = `${msg ? `${msg}: ` : ''}${text(lastErrno)}\n`;
  const buf = Buffer.from(line, 'utf8');
  addon.write(2, buf, buf.length);
}

/** See {@link io.read}; returns -1 and sets errno on failure. */
export const read = c(io.read);
/** See {@link io.write}; returns -1 and sets errno on failure. */
export const write = c(io.write);
/** See {@link io.close}; returns 0, or -1 and sets errno. */
export const close = c(io.close);
/** See {@link io.fcntl}; returns the result, or -1 and sets errno. */
export const fcntl = c(io.fcntl);
/** See {@link pipes.pipe}; returns the pair, or -1 and sets errno. */
export const pipe = c(pipes.pipe);
/** See {@link pipes.pipe2}; returns the pair, or -1 and sets errno. */
export const pipe2 = c(pipes.pipe2);
/** See {@link polls.poll}; returns the ready count, or -1 and sets errno (EINTR included). */
export const poll = c(polls.poll);

/** See {@link sockets.socket}; returns the descriptor, or -1 and sets errno. */
export const socket = c(sockets.socket);
/** See {@link sockets.socketpair}; returns the pair, or -1 and sets errno. */
export const socketpair = c(sockets.socketpair);
/** See {@link sockets.bind}; returns 0, or -1 and sets errno. */
export const bind = c(sockets.bind);
/** See {@link sockets.listen}; returns 0, or -1 and sets errno. */
export const listen = c(sockets.listen);
/** See {@link sockets.accept}; returns `[fd, peer]`, or -1 and sets errno (EINTR included). */
export const accept = c(sockets.accept);
/** See {@link sockets.connect}; returns 0, or -1 and sets errno (EINTR included: the connection then goes on in the kernel). */
export const connect = c(sockets.connect);
/** See {@link sockets.send}; returns the bytes sent, or -1 and sets errno. */
export const send = c(sockets.send);
/** See {@link sockets.recv}; returns the bytes received (0: end of stream), or -1 and sets errno. */
export const recv = c(sockets.recv);
/** See {@link sockets.sendto}; returns the bytes sent, or -1 and sets errno. */
export const sendto = c(sockets.sendto) as {
  (fd: number, data: ArrayBufferView | string, dest: addresses.SockAddr): number;
  (fd: number, data: ArrayBufferView | string, len: number | undefined, flags: number, dest: addresses.SockAddr): number;
};
/** See {@link sockets.recvfrom}; returns `[n, src]`, or -1 and sets errno. */
export const recvfrom = c(sockets.recvfrom);
/** See {@link sockets.shutdown}; returns 0, or -1 and sets errno. */
export const shutdown = c(sockets.shutdown);
/** See {@link sockets.getsockname}; returns the address, or -1 and sets errno. */
export const getsockname = c(sockets.getsockname);
/** See {@link sockets.getpeername}; returns the address, or -1 and sets errno. */
export const getpeername = c(sockets.getpeername);
/** See {@link sockets.setsockopt}; returns 0, or -1 and sets errno. */
export const setsockopt = c(sockets.setsockopt);
/** See {@link sockets.getsockopt}; returns the value, or -1 and sets errno. */
export const getsockopt = c(sockets.getsockopt);
/** See {@link addresses.inet_pton}; returns the bytes, or -1 and sets errno (EAFNOSUPPORT). */
export const inet_pton = c(addresses.inet_pton);
/** See {@link addresses.inet_ntop}; returns the text, or -1 and sets errno (EAFNOSUPPORT). */
export const inet_ntop = c(addresses.inet_ntop);

const lookup = c(addresses.lookup);

/**
 * getaddrinfo(3), C-style: the results, or (as C returns it) the `EAI_*` code, a non-zero number
 * to give {@link gai_strerror}. For `EAI_SYSTEM` errno() says which system error it was. See
 * {@link addresses.getaddrinfo}.
 *
 * @example
 * const r = getaddrinfo('nosuch.invalid', '80');
 * if (typeof r === 'number') console.log(gai_strerror(r));
 */
export function getaddrinfo(node: string | null, service: string | null, hints?: addresses.AddrInfoHints): addresses.AddrInfo[] | number {
  const r = lookup(node, service, hints);
  if (typeof r === 'number' && addresses.lookupErrno() !== 0) lastErrno = addresses.lookupErrno();
  return r as addresses.AddrInfo[] | number;
}

export { htons, ntohs, htonl, ntohl, gai_strerror } from './address';
/** See {@link proc.fork}: 0 in the child, the pid in the parent, or -1 and sets errno. */
export const fork = c(proc.fork);
/** See {@link proc._exit}: never returns. */
export const _exit = proc._exit;
/** See {@link proc.waitpid}: the status (`null` with WNOHANG and nothing yet), or -1 and sets errno. */
export const waitpid = c(proc.waitpid);
/** See {@link proc.execvp}: returns only on failure, -1 with errno set. */
export const execvp = c(proc.execvp) as (file: string, argv: string[]) => -1;
/** See {@link proc.posix_spawnp}: the pid, or -1 and sets errno. */
export const posix_spawnp = c(proc.posix_spawnp);
/** See {@link proc.getpid}. */
export const getpid = proc.getpid;
/** See {@link proc.getppid}. */
export const getppid = proc.getppid;
/** See {@link proc.kill}: 0, or -1 and sets errno. */
export const kill = c(proc.kill);
/** See {@link fifo.mkfifo}: 0, or -1 and sets errno. */
export const mkfifo = c(fifo.mkfifo);
/** See {@link fifo.open}: the descriptor, or -1 and sets errno. */
export const open = c(fifo.open);
/** See {@link fifo.unlink}: 0, or -1 and sets errno. */
export const unlink = c(fifo.unlink);
/** See {@link redirect.dup}: the new descriptor, or -1 and sets errno. */
export const dup = c(redirect.dup);
/** See {@link redirect.dup2}: newfd, or -1 and sets errno. */
export const dup2 = c(redirect.dup2);

export type { WaitStatus, SpawnActions, SignalName } from './process';
export * from './constants';
