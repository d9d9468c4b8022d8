/**
 * A program of the tour run as its own process: `node child.js <chapter> <program> <role> <args...>`
 * runs `programs[program]` of that chapter with tracing on, as a C demo's second program would run.
 * @internal
 */
import { trace } from '../trace';
import { chapters } from './index';
import { print } from './procs';

const [chapterId = '', programName = '', role = '', ...args] = process.argv.slice(2);
const program = chapters.find((c) => c.id === chapterId)?.programs?.[programName];
if (!program) {
  process.stderr.write(`posix-ipc tour: no program ${programName} in chapter ${chapterId}\n`);
  process.exitCode = 2;
} else {
  trace((line) => print(`     ${line}`));
  try {
    program({ role, say: (line) => print(`   ${role}: ${line}`) }, ...args);
  } catch (e) {
    trace(false);
    process.stderr.write(`${role}: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  }
}
