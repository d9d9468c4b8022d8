/**
 * 3. Processes: `fork`, `_exit`, `waitpid`, `execvp`, `posix_spawnp`, `getpid`, `getppid`, `kill`.
 *
 * `fork()` really forks this Node process. Its child is a copy with one thread (the one that
 * called fork), so it lives by a contract: it makes synchronous posix-ipc calls and leaves through
 * `_exit()` or `execvp()`. See {@link fork}. To start another program, `posix_spawnp()` needs no
 * such care: no JavaScript runs in its child.
 */
import * as os from 'node:os';
import * as util from 'node:util';
import * as v8 from 'node:v8';
import { isMainThread } from 'node:worker_threads';
import { fail } from './errors';
import { addon, calls } from './native';
import * as v from './validate';

/**
 * A signal's name as Node names it: the same strings as `NodeJS.Signals`, so the two are
 * interchangeable (declared here so that the types need no @types/node).
 */
export type SignalName =
  | 'SIGABRT' | 'SIGALRM' | 'SIGBUS' | 'SIGCHLD' | 'SIGCONT' | 'SIGFPE' | 'SIGHUP' | 'SIGILL'
  | 'SIGINT' | 'SIGIO' | 'SIGIOT' | 'SIGKILL' | 'SIGPIPE' | 'SIGPOLL' | 'SIGPROF' | 'SIGPWR'
  | 'SIGQUIT' | 'SIGSEGV' | 'SIGSTKFLT' | 'SIGSTOP' | 'SIGSYS' | 'SIGTERM' | 'SIGTRAP' | 'SIGTSTP'
  | 'SIGTTIN' | 'SIGTTOU' | 'SIGUNUSED' | 'SIGURG' | 'SIGUSR1' | 'SIGUSR2' | 'SIGVTALRM'
  | 'SIGWINCH' | 'SIGXCPU' | 'SIGXFSZ' | 'SIGBREAK' | 'SIGLOST' | 'SIGINFO';

/**
 * What `waitpid` reports about a child: its `pid`, the raw `status` word (as C's `int status`),
 * and that status taken apart as the W* macros do (`WIFEXITED`/`WEXITSTATUS`, `WIFSIGNALED`/
 * `WTERMSIG`/`WCOREDUMP`, `WIFSTOPPED`/`WSTOPSIG`, `WIFCONTINUED`).
 */
export type WaitStatus = { pid: number; status: number } & (
  | { kind: 'exited'; code: number }
  | { kind: 'signaled'; signal: SignalName; coreDumped: boolean }
  | { kind: 'stopped'; signal: SignalName }
  | { kind: 'continued' }
);

/**
 * What `posix_spawnp` does in the child before the exec, in this order: the `dup2` pairs, the
 * `close`s, `chdir`, `setsid`; `env` replaces the environment (default: this process's).
 */
export interface SpawnActions {
  /** `[from, to]` pairs: `dup2(from, to)` in the child. `[fd, fd]` means "inherit fd": its FD_CLOEXEC is cleared. */
  dup2?: [from: number, to: number][];
  /** Descriptors to close in the child (one that is not open is no error, as in glibc). */
  close?: number[];
  /** The child's working directory. */
  chdir?: string;
  /** Run the program in a new session (setsid(2)): no controlling terminal, its own process group. */
  setsid?: boolean;
  /** The whole environment of the program (`undefined` values are left out). */
  env?: Record<string, string>;
}

// --- signal names ---------------------------------------------------------------------------

const signalNames = new Map<number, SignalName>();
for (const [name, n] of Object.entries(os.constants.signals)) {
  if (!signalNames.has(n)) signalNames.set(n, name as SignalName); // SIGABRT before SIGIOT
}

/** A signal number's name (`9` → `'SIGKILL'`); one Node has no name for (real-time) is `'SIG<n>'`. */
function signalName(n: number): SignalName {
  return signalNames.get(n) ?? (`SIG${n}` as SignalName);
}

function signalNumber(signal: unknown): number {
  if (typeof signal === 'number') return v.int(signal, 'signal');
  if (typeof signal !== 'string') throw v.typeError('signal', 'of type number or string', signal);
  const n = (os.constants.signals as Record<string, number>)[signal];
  if (n === undefined) {
    const e = new TypeError(`Unknown signal: ${signal}`);
    (e as TypeError & { code: string }).code = 'ERR_UNKNOWN_SIGNAL';
    throw e;
  }
  return n;
}

// --- fork and the forked child ----------------------------------------------------------------

let isForkedChild = false;

function exitStatus(): number {
  return Number(process.exitCode ?? 0) | 0;
}

// In a forked child, process.exit(): _exit at once. Node's own exit would run the parent's 'exit'
// listeners and then tear down threads that do not exist in the child (a SIGSEGV that loses the
// status).
function childExit(code?: number | string | null): never {
  if (code !== undefined && code !== null) process.exitCode = code; // Node validates it
  return _exit(exitStatus());
}

// In a forked child, an uncaught exception: printed as Node prints it, then _exit(1).
function childUncaught(err: unknown): void {
  const text = err instanceof Error && err.stack ? err.stack : `Uncaught ${util.inspect(err)}`;
  const buf = Buffer.from(`${text}\n`, 'utf8');
  addon.write(2, buf, buf.length);
  _exit(1);
}

// In a forked child, the first time its synchronous code is done (it fell off the end of the
// script, awaited, or returned from the callback it ran in): _exit before the event loop runs.
function childReturned(): void {
  _exit(exitStatus());
}

// V8 flags for the child, read by V8 each time it would start the work: no optimizing compiles
// or on-stack replacement (a hot loop would queue a compile job); scavenges, array-buffer
// sweeping, compaction and pointer updates on the calling thread. Each of those posts a job to
// Node's worker threads, and posting in the child waits forever on a queue whose threads (and
// lock holders) are gone. Measured, a child looping 3,000 times over write+read of fresh strings
// while its parent allocated heavily: 72 hangs in 200 forks without these flags, 1 in 300 with
// them (what is left: starting a marking cycle, whose flags cannot change once V8 runs — changing
// them trips V8's own checks). A child that allocates nothing: 0 in 8,000 (test/fork-stress).
const childFlags =
  '--no-opt --no-use-osr --no-parallel-scavenge --no-concurrent-array-buffer-sweeping ' +
  '--no-parallel-compaction --no-parallel-pointer-update';

// Everything the child needs was made at load time: arming it allocates (almost) nothing.
function armForkedChild(): void {
  if (!isForkedChild) v8.setFlagsFromString(childFlags); // first: before anything allocates
  // Node keeps process.pid and process.ppid as plain values: make them this process's.
  Object.defineProperty(process, 'pid', { value: calls.current.getpid() });
  Object.defineProperty(process, 'ppid', { value: calls.current.getppid() });
  if (isForkedChild) return; // a grandchild: armed already, and its guard is still queued
  isForkedChild = true;
  process.exit = childExit as typeof process.exit;
  if (process.hasUncaughtExceptionCaptureCallback()) process.prependListener('uncaughtException', childUncaught);
  else process.setUncaughtExceptionCaptureCallback(childUncaught);
  queueMicrotask(childReturned);
}

// The first use of some Node internals allocates a lot at once (setting the capture callback
// loads Node's diagnostic-report binding), and in a child an allocation burst can start a garbage
// collection that needs helper threads. So the child's own first steps are taken once in the
// parent, at its first fork, and leave nothing behind.
let warmedUp = false;
function warmUp(): void {
  warmedUp = true;
  queueMicrotask(beforeFork);
  if (!process.hasUncaughtExceptionCaptureCallback()) {
    process.setUncaughtExceptionCaptureCallback(beforeFork);
    process.setUncaughtExceptionCaptureCallback(null);
  }
  exitStatus();
}

// Called by the native fork just before fork(2): entering a function lets V8 serve a pending
// interrupt (a GC its helper threads asked for) in the parent, not in the child.
function beforeFork(): void {}

function workerError(): TypeError {
  const e = new TypeError(
    'fork() is not supported in worker threads: the child would hold this thread alone, without the ' +
      "main thread that runs Node's event loop. Fork from the main thread, or use posix_spawnp().",
  );
  (e as TypeError & { code: string }).code = 'ERR_WORKER_UNSUPPORTED_OPERATION';
  return e;
}

/**
 * Creates a child process, a copy of this one: returns `0` in the child and the child's pid in
 * the parent. The child has copies of every descriptor (pipes, sockets, files), sharing their
 * open files with the parent.
 *
 * **The child contract.** Only the thread that called `fork()` exists in the child: V8's and
 * Node's other threads (garbage collection helpers, the compiler, libuv's pool) do not, and locks
 * they held stay held. So the child:
 * - makes synchronous posix-ipc calls (`read`, `write`, `close`, `dup2`, `execvp`...) and leaves
 *   through `_exit(status)` or `execvp(...)` — preferably in a `try`/`finally`;
 * - must not await, use timers, start I/O through Node's `fs`/`net`/`child_process`, allocate
 *   heavily (a garbage collection that needs a helper thread waits forever), or go back to the
 *   event loop. Write output with `write(1, ...)`: `_exit` flushes nothing, and what Node still
 *   buffers for `console.log` is lost (on Linux, `console.log` to a file or a pipe with room writes
 *   at once, so it usually arrives; `write(1, ...)` always does).
 *
 * In the child, `process.pid` and `process.ppid` are the child's. The usual mistakes end the
 * child instead of hanging or crashing it: in the child,
 * `process.exit(n)` is `_exit(n)` (no 'exit' listeners run); an uncaught exception prints its
 * stack and is `_exit(1)`; and as soon as the child's synchronous code is done — it fell off the
 * end of the script, awaited, or returned into the code that called it — it ends with
 * `_exit(process.exitCode ?? 0)` before the event loop could run in it.
 *
 * How: Node's V8 heap is `MADV_DONTFORK` (a child would lose it and crash on its first
 * JavaScript); for the fork those ranges are made copyable and in the parent they get the flag
 * back, so `child_process` stays fast. The fork happens at a moment when V8's and Node's other
 * threads are asleep, checked afterwards (a thread caught mid-task would be a ghost the child waits
 * for forever; such a child is discarded and the fork retried). The child gets its own event loop
 * descriptors (`uv_loop_fork`), so it cannot take the parent's events. A fork costs more as the heap grows
 * (README: "Processes"); to run another program, {@link posix_spawnp} costs little at any size.
 *
 * In a worker thread `fork()` throws a TypeError (`ERR_WORKER_UNSUPPORTED_OPERATION`).
 *
 * See fork(2). Errors: `EAGAIN` (process limit), `ENOMEM`.
 *
 * @example
 * const [r, w] = pipe();
 * const pid = fork();
 * if (pid === 0) {                        // the child
 *   try {
 *     close(w);                           // close the write end
 *     const buf = Buffer.alloc(1024);
 *     const n = read(r, buf);
 *     write(1, `Child Rcvd: ${buf.subarray(0, n)}\n`);
 *   } finally {
 *     _exit(0);
 *   }
 * }
 * close(r);                               // the parent: close the read end
 * write(w, 'Message in a pipe.\n');
 * close(w);
 * waitpid(pid);
 */
export function fork(): number {
  if (!isMainThread) throw workerError();
  if (!warmedUp) warmUp();
  const rc = calls.current.fork(beforeFork);
  if (rc === 0) armForkedChild();
  return rc < 0 ? fail(rc, 'fork') : rc;
}

/**
 * Ends the process at once with `status` (its low 8 bits reach the parent's `waitpid`). Nothing
 * is flushed and no 'exit' listener runs: output Node still buffers is lost. The way out of a
 * forked child.
 *
 * See _exit(2). Never fails.
 *
 * @example
 * if (fork() === 0) {
 *   try { write(1, 'child here\n'); } finally { _exit(0); }
 * }
 */
export function _exit(status: number): never {
  v.int(status, 'status');
  calls.current._exit(status);
  throw new Error('_exit returned'); // unreachable
}

const waitOut = new Int32Array(4);

/**
 * Waits for a child to change state and reports it (see {@link WaitStatus}): `pid` -1 (the
 * default) waits for any child, a pid for that one. `options` is 0 or an OR of `WNOHANG` (do not
 * wait: `null` when no child has changed state), `WUNTRACED` (report stops), `WCONTINUED`.
 *
 * Reaping is yours: a child that ended stays a zombie until waited for. `waitpid(-1)` can also
 * reap children started by Node's `child_process`, which then never learns they ended: pass the
 * pid when both are in use.
 *
 * See waitpid(2). Errors: `ECHILD` (no such child, or no children at all), `EINVAL` (bad
 * options). `EINTR` is retried (reported by posix-ipc/raw).
 *
 * @example
 * const st = waitpid(pid);
 * if (st?.kind === 'exited') console.log(`child ${st.pid} exited with ${st.code}`);
 * if (st?.kind === 'signaled') console.log(`child ${st.pid} was killed by ${st.signal}`);
 */
export function waitpid(pid: number = -1, options: number = 0): WaitStatus | null {
  v.int(pid, 'pid');
  v.flags(options, 'options');
  const rc = calls.current.waitpid(pid, options, waitOut);
  if (rc < 0) return fail(rc, 'waitpid');
  return waitStatus(rc, waitOut);
}

/**
 * The WaitStatus of child `pid` from what the native waitpid wrote into `out` ([status, kind,
 * value, core dumped]); null for pid 0 (WNOHANG, nothing yet).
 * @internal
 */
export function waitStatus(pid: number, out: Int32Array): WaitStatus | null {
  if (pid === 0) return null;
  const status = out[0]!;
  switch (out[1]) {
    case 0:
      return { pid, status, kind: 'exited', code: out[2]! };
    case 1:
      return { pid, status, kind: 'signaled', signal: signalName(out[2]!), coreDumped: out[3] === 1 };
    case 2:
      return { pid, status, kind: 'stopped', signal: signalName(out[2]!) };
    default:
      return { pid, status, kind: 'continued' };
  }
}

function argvOf(argv: unknown): string[] {
  const a = v.cstrings(argv, 'argv');
  if (a.length === 0) throw v.rangeError('argv.length', '>= 1: argv[0], the program\'s name, comes first as in C', 0);
  return a;
}

/**
 * Replaces this process's program with `file`, searched in `PATH` as a shell does, run with
 * `argv` (`argv[0]` included, as in C: `execvp('ls', ['ls', '-l'])`). Descriptors without
 * `FD_CLOEXEC` stay open in the new program: that is how `dup2` redirections reach it.
 *
 * The new program gets what a shell would give it, not what Node changed: fds 0–2 without
 * `FD_CLOEXEC` or `O_NONBLOCK` (the `O_NONBLOCK` change is on the open file, shared with other
 * processes holding it, as libuv's own spawn does), every signal at its default (Node ignores
 * `SIGPIPE` and `SIGXFSZ`: `yes | head -1` ends only because `yes` dies of SIGPIPE), an empty
 * signal mask. If the exec fails, all of that is put back as it was and the error is thrown.
 *
 * Returns only by throwing. Output Node still buffers is not flushed (C's exec does not flush
 * stdio either).
 *
 * See execvp(3). Errors: `ENOENT` (no such program), `EACCES` (not executable), `ENOEXEC`,
 * `E2BIG` (arguments too long), `ENAMETOOLONG`.
 *
 * @example
 * // the child of `ls | wc -l`: stdout into the pipe, then become ls
 * dup2(w, 1); close(r); close(w);
 * execvp('ls', ['ls', '/']);
 */
export function execvp(file: string, argv: string[]): never {
  v.cstring(file, 'file');
  const args = argvOf(argv);
  const rc = calls.current.execvp(file, args);
  return fail(rc < 0 ? rc : -addon.errnos.EINVAL!, 'execvp', { path: file });
}

const noFds = new Int32Array(0);
const spawnOut = new Int32Array(2);
const spawnKeys = new Set(['dup2', 'close', 'chdir', 'setsid', 'env']);

/** SpawnActions checked and flattened for the native call. */
interface FlatActions {
  dup2: Int32Array;
  close: Int32Array;
  chdir: string | undefined;
  setsid: boolean;
  env: string[] | undefined;
}

function flatActions(actions: unknown): FlatActions {
  const flat: FlatActions = { dup2: noFds, close: noFds, chdir: undefined, setsid: false, env: undefined };
  if (actions === undefined) return flat;
  if (actions === null || typeof actions !== 'object' || Array.isArray(actions)) {
    throw v.typeError('actions', 'of type object', actions);
  }
  const a = actions as Record<string, unknown>;
  for (const key of Object.keys(a)) {
    if (!spawnKeys.has(key)) throw v.valueError(`actions.${key}`, 'is not a spawn action (dup2, close, chdir, setsid, env)', a[key]);
  }
  if (a.dup2 !== undefined) {
    if (!Array.isArray(a.dup2)) throw v.typeError('actions.dup2', 'an instance of Array', a.dup2);
    flat.dup2 = new Int32Array(a.dup2.length * 2);
    a.dup2.forEach((pair: unknown, i: number) => {
      if (!Array.isArray(pair) || pair.length !== 2) throw v.typeError(`actions.dup2[${i}]`, 'a [from, to] pair of descriptors', pair);
      flat.dup2[2 * i] = v.fd(pair[0], `actions.dup2[${i}][0]`);
      flat.dup2[2 * i + 1] = v.fd(pair[1], `actions.dup2[${i}][1]`);
    });
  }
  if (a.close !== undefined) {
    if (!Array.isArray(a.close)) throw v.typeError('actions.close', 'an instance of Array', a.close);
    flat.close = Int32Array.from(a.close, (fd: unknown, i: number) => v.fd(fd, `actions.close[${i}]`));
  }
  if (a.chdir !== undefined) flat.chdir = v.path(a.chdir, 'actions.chdir');
  if (a.setsid !== undefined) {
    if (typeof a.setsid !== 'boolean') throw v.typeError('actions.setsid', 'of type boolean', a.setsid);
    flat.setsid = a.setsid;
  }
  if (a.env !== undefined) {
    if (a.env === null || typeof a.env !== 'object' || Array.isArray(a.env)) throw v.typeError('actions.env', 'of type object', a.env);
    flat.env = [];
    for (const [key, value] of Object.entries(a.env)) {
      if (value === undefined) continue;
      v.cstring(key, 'actions.env key');
      if (key === '' || key.includes('=')) throw v.valueError('actions.env key', "must be a name without '='", key);
      flat.env.push(`${key}=${v.cstring(value, `actions.env.${key}`)}`);
    }
  }
  return flat;
}

/**
 * Starts the program `file` (searched in `PATH`) with `argv` (`argv[0]` included) in a new child
 * process and returns its pid; `waitpid` it as any child. Before the exec the child applies
 * `actions` — `dup2` pairs, `close`s, `chdir`, `setsid`, `env` — and gets what a shell gives a
 * program: fds 0–2 without `FD_CLOEXEC` or `O_NONBLOCK`, every signal at its default, an empty
 * signal mask (as {@link execvp}).
 *
 * No JavaScript runs in the child: it is C code that shares this process's memory until the exec
 * (as vfork does, so it costs the same whatever the heap size). A failure in the child — a missing
 * program, a bad descriptor in `dup2`, a `chdir` to nowhere — is thrown here, in the parent, and the
 * failed child is reaped. `PATH` is searched in this process's environment, even with `env`.
 *
 * See posix_spawnp(3). Errors: `ENOENT` (no such program, or `chdir` directory), `EACCES`,
 * `ENOEXEC`, `EBADF` (a `dup2` source that is not open), `EAGAIN`/`ENOMEM` (no process could be
 * made). The error's `path` is the program (or the `chdir` directory), its `fd` the descriptor of
 * the action that failed.
 *
 * @example
 * // ls / | wc -l, without fork()
 * const [r, w] = pipe();
 * const ls = posix_spawnp('ls', ['ls', '/'], { dup2: [[w, 1]], close: [r, w] });
 * const wc = posix_spawnp('wc', ['wc', '-l'], { dup2: [[r, 0]], close: [r, w] });
 * close(r); close(w);
 * waitpid(ls); waitpid(wc);
 */
export function posix_spawnp(file: string, argv: string[], actions?: SpawnActions): number {
  v.cstring(file, 'file');
  const args = argvOf(argv);
  const a = flatActions(actions);
  const rc = calls.current.posix_spawnp(file, args, a.dup2, a.close, a.chdir, a.setsid, a.env, spawnOut);
  if (rc >= 0) return rc;
  const index = spawnOut[1]!;
  switch (spawnOut[0]) {
    case 2: // a dup2 pair
      return fail(rc, 'posix_spawnp', { fd: a.dup2[2 * index]! });
    case 3: // a close
      return fail(rc, 'posix_spawnp', { fd: a.close[index]! });
    case 4: // chdir
      return fail(rc, 'posix_spawnp', { path: a.chdir! });
    case 5: // setsid
    case 6: // no child could be started
      return fail(rc, 'posix_spawnp');
    default: // the exec
      return fail(rc, 'posix_spawnp', { path: file });
  }
}

/**
 * This process's id (in a forked child: the child's own, not the parent's).
 *
 * See getpid(2). Never fails.
 *
 * @example
 * write(1, `[${getpid()}] hello\n`);
 */
export function getpid(): number {
  return calls.current.getpid();
}

/**
 * The parent's process id: in a forked child, the process that called `fork()` (or, once that
 * one has ended, the process that adopted the orphan: init or a subreaper).
 *
 * See getppid(2). Never fails.
 *
 * @example
 * if (fork() === 0) {
 *   try { write(1, `child ${getpid()} of ${getppid()}\n`); } finally { _exit(0); }
 * }
 */
export function getppid(): number {
  return calls.current.getppid();
}

/**
 * Sends `signal` — a number (`SIGTERM`) or its name (`'SIGTERM'`) — to the process `pid`; pid 0
 * means this process group, -1 every process it may signal, -pgid a group. Signal 0 checks that
 * `pid` exists without sending anything.
 *
 * See kill(2). Errors: `ESRCH` (no such process), `EPERM` (not yours), `EINVAL` (no such signal
 * number). An unknown signal name is a TypeError (`ERR_UNKNOWN_SIGNAL`), as in `process.kill`.
 *
 * @example
 * kill(pid, 'SIGTERM');
 * waitpid(pid);   // { kind: 'signaled', signal: 'SIGTERM', ... }
 */
export function kill(pid: number, signal: number | SignalName): void {
  v.int(pid, 'pid');
  const sig = signalNumber(signal);
  const rc = calls.current.kill(pid, sig);
  if (rc < 0) fail(rc, 'kill');
}
