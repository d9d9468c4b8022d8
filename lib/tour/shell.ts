import { close, dup2, execvp, pipe, posix_spawnp, waitpid } from '../index';
import type { Chapter } from './index';

const words = 'a pipe, built by hand';

/** Seed 003 §4: the shell's `|`, from pipe, fork, dup2 and execvp. */
export const shellPipe: Chapter = {
  id: 'shell-pipe',
  title: 'The shell\'s | built by hand: pipe, fork, dup2, execvp',
  source: 'seed 003 §4, "implement the | shell operator"',
  async run(t) {
    t.say(`echo '${words}' | tr a-z A-Z, with fork and execvp:`);
    await t.traced(async () => {
      const [r, w] = pipe();
      const left = t.fork('echo', 'left', r, w, 'echo', words);
      const right = t.fork('tr', 'right', r, w, 'tr', 'a-z', 'A-Z');
      close(r); // the shell keeps no end: with its write end open, tr would never see end of file
      close(w);
      await left.wait();
      await right.wait();
    });
    t.say('The same with posix_spawnp: no JavaScript runs in the children, the redirections are its actions:');
    const codes = t.traced(() => {
      const [r, w] = pipe();
      const echo = posix_spawnp('echo', ['echo', words], { dup2: [[w, 1]], close: [r, w] });
      const tr = posix_spawnp('tr', ['tr', 'a-z', 'A-Z'], { dup2: [[r, 0]], close: [r, w] });
      close(r);
      close(w);
      return [waitpid(echo), waitpid(tr)].map((st) => (st?.kind === 'exited' ? st.code : -1));
    });
    if (codes.join() !== '0,0') throw new Error(`echo and tr exited ${codes.join(', ')}`);
    t.notice('The unindented lines are tr\'s own output. Each child moved its end of the pipe onto its\n' +
      'standard output (echo) or input (tr) with dup2(), closed both original descriptors, and became\n' +
      'the program with execvp(): echo writes to fd 1 and tr reads fd 0 without knowing a pipe is\n' +
      'there. The descriptors survived the exec because they have no FD_CLOEXEC. The parent, like a\n' +
      'shell, closed both ends and waited for both children.');
  },
  programs: {
    left(_t, r, w, ...argv) {
      dup2(Number(w), 1); // standard output -> the pipe
      close(Number(r));
      close(Number(w));
      execvp(argv[0]!, argv); // returns only if it failed (the error is thrown)
    },
    right(_t, r, w, ...argv) {
      dup2(Number(r), 0); // standard input <- the pipe
      close(Number(r));
      close(Number(w));
      execvp(argv[0]!, argv);
    },
  },
};
