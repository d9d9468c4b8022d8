/**
 * The lecture tour: each chapter runs one lecture demo with real system calls in real processes,
 * tracing on, and prints what to notice. `npx posix-ipc tour --list` lists the chapters;
 * `npx posix-ipc tour <chapter>` runs one.
 * @internal
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WaitStatus } from '../index';
import { trace } from '../trace';
import { fdTable } from './fdtable';
import { fifo } from './fifo';
import { eofAndEpipe, forkPipe, pipeBuffer, pipeInOneProcess } from './pipes';
import { childPids, openDescriptors, print, Processes, type Running } from './procs';
import { forkServer, pollServer, threadPool } from './servers';
import { shellPipe } from './shell';
import { shutdownHalfClose, tcpHello, udp, unixDgram, unixStream } from './sockets';

export type { Running } from './procs';

/** What a program running in another process gets. */
export interface ProcessContext {
  /** The name the chapter gave the process: `client`, `writer`... */
  role: string;
  /** Prints a line of the program's own output, prefixed with its role. */
  say(line: string): void;
}

/**
 * A program a chapter runs in another process. It makes synchronous calls only, as the child of
 * a fork() must: the same function can run in a spawned program or in a forked child.
 */
export type Program = (t: ProcessContext, ...args: string[]) => void;

/** What a chapter gets to run its demo with. */
export interface TourContext {
  /** Prints a line of the demo's own output (what the C demo would printf). */
  say(line: string): void;
  /** Prints what to notice. */
  notice(text: string): void;
  /**
   * Runs `f` with tracing on: every system call is printed as strace would. If `f` returns a
   * promise, tracing stays on until it settles.
   */
  traced<T>(f: () => T): T;
  /**
   * Starts this chapter's `programs[program]` as another process (`node`, running the program
   * with tracing on), named `role` in the output. It inherits this process's descriptors that
   * lack FD_CLOEXEC, at the same numbers, as a program started with fork and exec does in C.
   * The chapter must `wait()` for it.
   */
  spawn(role: string, program: string, ...args: (string | number)[]): Running;
  /**
   * Forks: the child runs this chapter's `programs[program]` and leaves with `_exit` (status 0,
   * or 1 if it threw). It has every descriptor of this process, at the same numbers.
   */
  fork(role: string, program: string, ...args: (string | number)[]): Running;
  /**
   * Tells the tour that the chapter reaped a process itself, with waitpid(-1, ...): the tour says
   * how it ended (and throws unless it exited 0) as `wait()` would have.
   */
  reaped(status: WaitStatus): void;
  /**
   * A scratch directory for FIFOs and socket files, the current directory while the chapter runs
   * (so `'unix_socket'` is a path in it, as on the slides); it must be empty when the chapter ends.
   */
  dir: string;
}

export interface Chapter {
  /** Short id used on the command line: `tour pipe`. */
  id: string;
  title: string;
  /** The lecture deck and demo it follows. */
  source: string;
  /** Runs the demo. Throws if it did not behave as the lecture says. */
  run(ctx: TourContext): void | Promise<void>;
  /** The programs it runs in other processes (see {@link TourContext.spawn}). */
  programs?: Record<string, Program>;
}

/** The chapters, in the lectures' order. */
export const chapters: Chapter[] = [
  pipeInOneProcess, forkPipe, eofAndEpipe, fifo, unixStream, unixDgram, tcpHello, udp, forkServer, shellPipe, pipeBuffer,
  shutdownHalfClose, pollServer, threadPool, fdTable,
];

// What Node's runtime opens for itself on first use (a worker thread's /dev/null, an event fd):
// not the chapter's descriptors.
const runtime = /^anon_inode:|^\/dev\/(null|urandom)$|inotify/;

/**
 * Runs one chapter: a scratch directory, tracing on inside `traced`. Afterwards it checks, and
 * fails the chapter if not, that every process the chapter started has been reaped, that the
 * scratch directory is empty (FIFOs and socket files unlinked) and that every descriptor the
 * chapter opened is closed. Whatever is left is then killed and removed all the same.
 */
export async function runChapter(c: Chapter, n: number): Promise<void> {
  print(`\n== ${n}. ${c.title} ==  (${c.source})`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `posix-ipc-tour-${c.id}-`));
  const procs = new Processes(c.id);
  const before = openDescriptors();
  const ctx: TourContext = {
    dir,
    say: (line) => print(`   ${line}`),
    notice: (text) => print(`   > ${text.replace(/\n/g, '\n     ')}`),
    traced: (f) => {
      trace((line) => print(`     ${line}`));
      let result;
      try {
        result = f();
      } catch (e) {
        trace(false);
        throw e;
      }
      if (result instanceof Promise) return result.finally(() => trace(false)) as typeof result;
      trace(false);
      return result;
    },
    spawn: (role, program, ...args) => procs.spawn(role, program, args),
    fork: (role, program, ...args) => {
      const p = c.programs?.[program];
      if (!p) throw new Error(`chapter ${c.id} has no program ${program}`);
      return procs.fork(role, p, args);
    },
    reaped: (status) => procs.reaped(status),
  };
  const cwd = process.cwd();
  let failure: unknown;
  try {
    process.chdir(dir);
    await c.run(ctx);
  } catch (e) {
    failure = e;
  } finally {
    trace(false);
    process.chdir(cwd);
  }
  const problems: string[] = [];
  const unreaped = childPids();
  if (unreaped.length) problems.push(`processes not reaped: ${unreaped.join(', ')}`);
  const files = fs.readdirSync(dir);
  if (files.length) problems.push(`files left in the scratch directory: ${files.join(', ')}`);
  const after = openDescriptors();
  const open = [...after].filter(([fd, target]) => before.get(fd) !== target && !runtime.test(target));
  if (open.length) problems.push(`descriptors left open: ${open.map(([fd, t]) => `${fd} (${t})`).join(', ')}`);
  procs.stopAll();
  fs.rmSync(dir, { recursive: true, force: true });
  if (failure !== undefined) throw failure;
  if (problems.length) throw new Error(`chapter ${c.id} left things behind: ${problems.join('; ')}`);
}
