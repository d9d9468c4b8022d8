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
export { SyscallError, errnoName, strerror, check } from './errors';
export type { ErrnoCode, ErrorContext } from './errors';
export * from './constants';
