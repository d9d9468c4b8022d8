/**
 * The lecture tour: each chapter runs one lecture demo with real system calls, tracing on, and
 * prints what to notice. `npx posix-ipc tour --list` lists the chapters; `npx posix-ipc tour
 * <chapter>` runs one.
 * @internal
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { trace } from '../trace';
import { pipeInOneProcess } from './pipes';
import { tcpHello } from './sockets';

/** What a chapter gets to run its demo with. */
export interface TourContext {
  /** Prints a line of the demo's own output (what the C demo would printf). */
  say(line: string): void;
  /** Prints what to notice. */
  notice(text: string): void;
  /** Runs `f` with tracing on: every system call is printed as strace would. */
  traced<T>(f: () => T): T;
  /** A scratch directory for FIFOs and socket files, removed after the chapter. */
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
}

/** The chapters, in the lectures' order. */
export const chapters: Chapter[] = [pipeInOneProcess, tcpHello];

// Output goes straight to fd 1 with writeSync: a forked child's lines come out in order too.
function print(line: string): void {
  fs.writeSync(1, `${line}\n`);
}

/** Runs one chapter: a scratch directory, tracing on inside `traced`, everything removed after. */
export async function runChapter(c: Chapter, n: number): Promise<void> {
  print(`\n== ${n}. ${c.title} ==  (${c.source})`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `posix-ipc-tour-${c.id}-`));
  const ctx: TourContext = {
    dir,
    say: (line) => print(`   ${line}`),
    notice: (text) => print(`   > ${text.replace(/\n/g, '\n     ')}`),
    traced: (f) => {
      trace((line) => print(`     ${line}`));
      try {
        return f();
      } finally {
        trace(false);
      }
    },
  };
  try {
    await c.run(ctx);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
