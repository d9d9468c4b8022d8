import { _exit, close, fork, getpid, pipe, posix_spawnp, read, waitpid, write } from '../index';
import type { Chapter } from './index';

function drain(fd: number): string {
  const buf = Buffer.alloc(4096);
  let text = '';
  for (let n; (n = read(fd, buf)) > 0; ) text += buf.toString('utf8', 0, n);
  return text;
}

/** Seed 001: the parent writes into a pipe, the forked child reads. */
export const pipeToChild: Chapter = {
  id: 'fork',
  title: 'A pipe from parent to child (fork)',
  run(out) {
    const [r, w] = pipe(); // parent -> child
    const [backR, backW] = pipe(); // child -> parent, to show what the child read
    out(`pipe() = [${r}, ${w}]; fork() ...`);
    const pid = fork();
    if (pid === 0) {
      try {
        close(w); // the child closes the write end
        close(backR);
        const buf = Buffer.alloc(1024);
        const n = read(r, buf);
        write(backW, `child ${getpid()} read ${n} bytes: ${JSON.stringify(buf.toString('utf8', 0, n))}`);
      } finally {
        _exit(0);
      }
    }
    close(r); // the parent closes the read end
    close(backW);
    out(`fork() = ${pid} in the parent (0 in the child)`);
    const n = write(w, 'Message in a pipe.\n');
    out(`parent wrote ${n} bytes`);
    close(w);
    const heard = drain(backR);
    close(backR);
    out(heard);
    const st = waitpid(pid);
    out(`waitpid(${pid}) = ${JSON.stringify(st)}`);
    if (st?.kind !== 'exited' || st.code !== 0 || !heard.includes('read 19 bytes')) {
      throw new Error('the child did not behave as the lecture says');
    }
    out('Notice: the child inherited both pipe ends; each side closed the end it does not use.');
  },
};

/** Seed 003: the shell's `|`, built from a pipe and two programs with redirected stdio. */
export const shellPipe: Chapter = {
  id: 'shell',
  title: 'The shell\'s | : ls / | wc -l',
  run(out) {
    const [r, w] = pipe();
    const [outR, outW] = pipe(); // wc's stdout, to show it here
    const ls = posix_spawnp('ls', ['ls', '/'], { dup2: [[w, 1]], close: [r, w, outR, outW] });
    const wc = posix_spawnp('wc', ['wc', '-l'], { dup2: [[r, 0], [outW, 1]], close: [r, w, outR, outW] });
    out(`posix_spawnp: ls (pid ${ls}) writes into the pipe, wc (pid ${wc}) reads from it`);
    close(r);
    close(w); // while this process holds the write end, wc never sees end of file
    close(outW);
    const count = drain(outR).trim();
    close(outR);
    const a = waitpid(ls);
    const b = waitpid(wc);
    out(`wc -l printed ${count}; ls ${a?.kind} ${a?.kind === 'exited' ? a.code : ''}, wc ${b?.kind} ${b?.kind === 'exited' ? b.code : ''}`);
    if (a?.kind !== 'exited' || b?.kind !== 'exited' || !/^\d+$/.test(count)) throw new Error('the pipeline did not run');
    out('Notice: dup2 put the pipe on fd 1 of ls and fd 0 of wc before each program started;');
    out('        the programs never knew they wrote to or read from a pipe.');
  },
};
