/**
 * What the tour needs around its chapters: printing that works from any process or thread, the
 * other processes a chapter starts, and the checks that a chapter left nothing behind.
 * @internal
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Sleeps the calling thread (no event loop needed: usable between blocking calls). */
export function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/**
 * Writes a line to fd 1 at once, with write(2): lines of forked children, spawned programs and
 * worker threads come out in the order they were written. A stdout that another program made
 * non-blocking is waited on rather than lost.
 */
export function print(line: string): void {
  const data = Buffer.from(`${line}\n`);
  for (let off = 0; off < data.length;) {
    try {
      off += fs.writeSync(1, data, off);
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
export function waitUntil<T>(what: string, probe: () => T | undefined | false, limitMs = 15_000): T {
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
  /** Waits for the process to end and reaps it; rejects if it did not exit with status 0. */
  wait(): Promise<void>;
}

/** The programs a chapter starts, each a node process running `dist/tour/child.js`. */
export class Processes {
  private readonly live = new Map<number, ChildProcess>();

  constructor(private readonly chapter: string) {}

  /**
   * Starts `node child.js <chapter> <program> <role> <args...>`. It inherits stdout and stderr and,
   * as after fork and exec in C, every descriptor without FD_CLOEXEC, at the same numbers.
   */
  spawn(role: string, program: string, args: (string | number)[]): Running {
    const script = path.join(__dirname, 'child.js');
    const child = spawn(process.execPath, [script, this.chapter, program, role, ...args.map(String)], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (child.pid === undefined) throw new Error(`could not start ${role}`);
    const pid = child.pid;
    this.live.set(pid, child);
    print(`   + ${role}: pid ${pid}`);
    const ended = new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        this.live.delete(pid);
        const how = signal ? `killed by ${signal}` : `exited ${code}`;
        print(`   - ${role}: pid ${pid} ${how}`);
        if (code === 0) resolve();
        else reject(new Error(`${role} (pid ${pid}) ${how}`));
      });
    });
    ended.catch(() => {}); // reported to whoever waits; a chapter that fails first must not leave it unhandled
    return { role, pid, wait: () => ended };
  }

  /** Kills and reaps whatever is still running (after a chapter failed or forgot to wait). */
  async stopAll(): Promise<void> {
    const waits = [...this.live.values()].map((c) => new Promise((resolve) => {
      c.once('exit', resolve);
      c.kill('SIGKILL');
    }));
    await Promise.all(waits);
  }
}
