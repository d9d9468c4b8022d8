/**
 * The lecture tour: each chapter runs one lecture demo with real system calls and prints what to
 * notice. `npx posix-ipc tour --list` lists the chapters; `npx posix-ipc tour <chapter>` runs one.
 * @internal
 */
import { pipeInOneProcess } from './pipes';
import { pipeToChild, shellPipe } from './processes';

export interface Chapter {
  /** Short id used on the command line: `tour pipe`. */
  id: string;
  title: string;
  /** Runs the demo; writes to `out`. Throws if the demo did not behave as the lecture says. */
  run(out: (line: string) => void): void;
}

/** The chapters, in the lectures' order. */
export const chapters: Chapter[] = [pipeInOneProcess, pipeToChild, shellPipe];
