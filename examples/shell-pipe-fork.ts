// Seed 003, "implement the | shell operator": ls / | wc -l from pipe, fork, dup2, execvp, waitpid,
// as a shell does it.
// Run: npm run build:ts && node build-examples/shell-pipe-fork.js     (compare: sh -c 'ls / | wc -l')
import { _exit, close, dup2, execvp, fork, pipe, waitpid, write } from 'posix-ipc';

const [readEnd, writeEnd] = pipe();

const ls = fork();
if (ls === 0) {
  try {
    dup2(writeEnd, 1); // stdout -> the pipe
    close(readEnd);
    close(writeEnd);
    execvp('ls', ['ls', '/']); // never returns unless it fails
  } catch (e) {
    write(2, `ls: ${(e as Error).message}\n`); // e.g. execvp ENOENT "ls" (No such file or directory)
  } finally {
    _exit(127); // only reached when the exec failed
  }
}

const wc = fork();
if (wc === 0) {
  try {
    dup2(readEnd, 0); // stdin <- the pipe
    close(readEnd);
    close(writeEnd);
    execvp('wc', ['wc', '-l']);
  } catch (e) {
    write(2, `wc: ${(e as Error).message}\n`);
  } finally {
    _exit(127);
  }
}

// The parent must close both ends: while it holds the write end, wc never sees end of file.
close(readEnd);
close(writeEnd);
waitpid(ls);
const st = waitpid(wc);
process.exitCode = st?.kind === 'exited' ? st.code : 1;
