/**
 * What the tour needs around its chapters: printing that works from any process or thread, the
 * other processes a chapter starts, and the checks that a chapter left nothing behind.
 * @internal
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { _exit, fork, kill, posix_spawnp, waitpid, type WaitStatus } from '../index';
import { addon } from '../native';
import type { Program } from './index';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Sleeps the calling thread (no event loop needed: usable between blocking calls). */
export function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

let out = -1;

/**
 * Where the tour prints: a copy of standard output made once, with FD_CLOEXEC, at 100 or above. A
 * forked child that moves a pipe onto its fd 1 (the shell chapter) still prints to the terminal,
 * and a program it execs does not get the copy. Worker threads print to fd 1 itself: a copy made
 * in a worker would outlive it.
 */
function outFd(): number {
  // The addon itself, not fcntl(): with tracing on, a traced call here would print, and so recurse.
  if (out < 0) out = isMainThread ? addon.fcntl(1, addon.constants.F_DUPFD_CLOEXEC!, 100) : 1;
  if (out < 0) out = 1;
  return out;
}

/**
 * Writes a line to standard output at once, with write(2): lines of forked children, spawned
 * programs and worker threads come out in the order they were written. A stdout that another
 * program made non-blocking is waited on rather than lost.
 */
export function print(line: string): void {
  const data = Buffer.from(`${line}\n`);
  const fd = outFd();
  for (let off = 0; off < data.length;) {
    try {
      off += fs.writeSync(fd, data, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      sleepSync(1);
    }
  }
}

/**
 * Calls `probe` every few milliseconds until it returns something other than `undefined` or
 * `false`, and returns that. Used to look at another process from outside (is it asleep in
 * write()? has it become a zombie?), never to assert a duration: after `limitMs` it throws.
 */
export function waitUntil<T>(what: string, probe: () => T | undefined | false, limitMs = 30_000): T {
  const end = Date.now() + limitMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`gave up waiting until ${what}`);
    sleepSync(5);
  }
}

/** A process's state letter and what it sleeps in, from /proc: `S` + `pipe_write`, `Z`... */
export function processState(pid: number): { state: string; wchan: string } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!;
    let wchan = '';
    try {
      wchan = fs.readFileSync(`/proc/${pid}/wchan`, 'utf8').trim();
    } catch {
      // not readable: the kernel hides it
    }
    return { state, wchan: wchan === '0' ? '' : wchan };
  } catch {
    return undefined;
  }
}

/** This process's children, reaped or not (a zombie is still listed), from /proc. */
export function childPids(): number[] {
  const pids: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = fs.readdirSync('/proc/self/task');
  } catch {
    return pids;
  }
  for (const tid of tasks) {
    try {
      for (const p of fs.readFileSync(`/proc/self/task/${tid}/children`, 'utf8').trim().split(/\s+/)) if (p) pids.push(Number(p));
    } catch {
      // the thread ended meanwhile
    }
  }
  return pids;
}

/** This process's descriptors and what they point to (the descriptor readdir used is left out). */
export function openDescriptors(): Map<number, string> {
  const m = new Map<number, string>();
  for (const name of fs.readdirSync('/proc/self/fd')) {
    try {
      m.set(Number(name), fs.readlinkSync(`/proc/self/fd/${name}`));
    } catch {
      // the descriptor readdir itself used
    }
  }
  return m;
}

/** Another process a chapter started. */
export interface Running {
  role: string;
  pid: number;
  /** Waits for the process to end and reaps it (waitpid); rejects if it did not exit with status 0. */
  wait(): Promise<void>;
}

/** The processes a chapter starts: its programs, spawned or forked. */
export class Processes {
  /** The processes started and not reaped yet: pid -> role. */
  private readonly live = new Map<number, string>();

  constructor(private readonly chapter: string) {}

  /**
   * Starts `node child.js <chapter> <program> <role> <args...>` with posix_spawnp. As after fork
   * and exec in C, it inherits every descriptor without FD_CLOEXEC, at the same numbers.
   */
  spawn(role: string, program: string, args: (string | number)[]): Running {
    const script = path.join(__dirname, 'child.js');
    const pid = posix_spawnp(process.execPath, ['node', script, this.chapter, program, role, ...args.map(String)]);
    return this.started(role, pid);
  }

  /**
   * Forks; the child runs `program` and leaves with `_exit` (0, or 1 if it threw), never going
   * back to the event loop, as a forked child of Node must.
   */
  fork(role: string, program: Program, args: (string | number)[]): Running {
    const pid = fork();
    if (pid === 0) {
      let code = 1;
      try {
        program({ role, say: (line) => print(`   ${role}: ${line}`) }, ...args.map(String));
        code = 0;
      } catch (e) {
        try {
          fs.writeSync(2, `${role}: ${(e as Error)?.stack ?? String(e)}\n`);
        } catch {
          // the status says it failed
        }
      } finally {
        _exit(code);
      }
    }
    return this.started(role, pid);
  }

  private started(role: string, pid: number): Running {
    this.live.set(pid, role);
    print(`   + ${role}: pid ${pid}`);
    return { role, pid, wait: async () => this.reap(role, pid) };
  }

  private reap(role: string, pid: number): void {
    this.reaped(waitpid(pid)!);
  }

  /**
   * A process has been reaped (by its wait(), or by the chapter's own waitpid(-1, ...)): says how
   * it ended, and throws unless it exited with status 0.
   */
  reaped(st: WaitStatus): void {
    const role = this.live.get(st.pid) ?? 'a child';
    this.live.delete(st.pid);
    const how = st.kind === 'exited' ? `exited ${st.code}` : st.kind === 'signaled' ? `killed by ${st.signal}` : st.kind;
    print(`   - ${role}: pid ${st.pid} ${how}`);
    if (st.kind !== 'exited' || st.code !== 0) throw new Error(`${role} (pid ${st.pid}) ${how}`);
  }

  /** Kills and reaps whatever is still running (after a chapter failed or forgot to wait). */
  stopAll(): void {
    for (const pid of this.live.keys()) {
      try {
        kill(pid, 'SIGKILL');
        waitpid(pid);
      } catch {
        // reaped already by the chapter's own waitpid(-1)
      }
    }
    this.live.clear();
  }
}
