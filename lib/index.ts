/**
 * posix-ipc: the real POSIX IPC system calls for TypeScript, synchronous and exactly as blocking as
 * in C. A failed call throws {@link SyscallError}; `posix-ipc/raw` has the same calls C-style.
 *
 * The exports follow the lectures' order: I/O channels, pipes, processes, named pipes, sockets...
 * @packageDocumentation
 */
export { read, write, close, fcntl } from './io';
export { pipe, pipe2 } from './pipe';
export { fork, _exit, waitpid, execvp, posix_spawnp, getpid, getppid, kill } from './process';
export type { WaitStatus, SpawnActions, SignalName } from './process';
export { mkfifo, open, unlink } from './fifo';
export { dup, dup2 } from './redirect';
export {
  socket, socketpair, bind, listen, accept, connect, send, recv, sendto, recvfrom, shutdown,
  getsockname, getpeername, setsockopt, getsockopt,
} from './socket';
export { getaddrinfo, inet_pton, inet_ntop, htons, ntohs, htonl, ntohl, gai_strerror, AddrInfoError } from './address';
export type { SockAddr, AddrInfo, AddrInfoHints, EaiCode } from './address';
export { poll } from './poll';
export type { PollFd } from './poll';
export { fds } from './fds';
export type { FdInfo, FdKind, FdAddress } from './fds';
export { trace, tracing } from './trace';
export type { TraceSink } from './trace';
export { SyscallError, errnoName, strerror, check } from './errors';
export type { ErrnoCode, ErrorContext } from './errors';
export * from './constants';
