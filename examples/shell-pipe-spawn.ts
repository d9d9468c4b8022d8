// ls / | wc -l again, without fork(): posix_spawnp starts each program with the redirection done
// in the child (dup2 and close actions), and no JavaScript runs there. This is how to start other
// programs from Node; fork() is for the lectures' demos.
// Run: npm run build:ts && node build-examples/shell-pipe-spawn.js
import { close, pipe, posix_spawnp, waitpid } from 'posix-ipc';

const [readEnd, writeEnd] = pipe();
const ls = posix_spawnp('ls', ['ls', '/'], { dup2: [[writeEnd, 1]], close: [readEnd, writeEnd] });
const wc = posix_spawnp('wc', ['wc', '-l'], { dup2: [[readEnd, 0]], close: [readEnd, writeEnd] });
close(readEnd);
close(writeEnd);
waitpid(ls);
const st = waitpid(wc);
process.exitCode = st?.kind === 'exited' ? st.code : 1;
