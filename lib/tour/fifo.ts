import { close, mkfifo, open, read, unlink, write, O_RDONLY, O_WRONLY } from '../index';
import type { Chapter } from './index';
import { lsLine } from './sockets';

/** Seed 000, fifo.c: a named pipe between two processes that share nothing but its name. */
export const fifo: Chapter = {
  id: 'fifo',
  title: 'A FIFO: a pipe with a name, between unrelated processes',
  source: 'seed 000, "IPC - Named Pipe (FIFO)", fifo.c',
  async run(t) {
    const name = 'my_fifo'; // in the chapter's scratch directory, the current one
    const got = await t.traced(async () => {
      mkfifo(name, 0o644);
      t.say(`ls -l: ${lsLine(name)}    a special file: no data on disk`);
      const writer = t.spawn('writer', 'writer', name);
      const fd = open(name, O_RDONLY); // waits until a writer opens the other end
      const buf = Buffer.alloc(256);
      let got = '';
      for (let n; (n = read(fd, buf)) > 0;) got += buf.toString('utf8', 0, n);
      t.say(`reader: ${JSON.stringify(got)}, then end of file`);
      close(fd);
      await writer.wait();
      unlink(name);
      return got;
    });
    if (got !== 'Hello through a FIFO\n') throw new Error(`read ${JSON.stringify(got)}`);
    t.notice('The writer is another program: it inherited nothing, it found the pipe by its name, as any\n' +
      'process allowed by the file\'s permissions could (ls -l shows type p). Each open() waited\n' +
      'until the other end was opened too. The bytes went through the kernel as in a pipe; the\n' +
      'file only names it, and stays until unlink().');
  },
  programs: {
    writer(t, name) {
      const fd = open(name!, O_WRONLY); // waits until a reader opens the other end
      const n = write(fd, 'Hello through a FIFO\n');
      t.say(`wrote ${n} bytes`);
      close(fd);
    },
  },
};
