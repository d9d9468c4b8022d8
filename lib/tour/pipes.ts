import { close, pipe, read, write } from '../index';
import type { Chapter } from './index';

/** Seed 001: a message through a pipe, in one process. */
export const pipeInOneProcess: Chapter = {
  id: 'pipe',
  title: 'A message through a pipe',
  source: 'seed 001, pipe.c',
  run(t) {
    const msg = 'Message in a pipe.\n';
    const buf = Buffer.alloc(1024);
    const { writelen, readlen, eof } = t.traced(() => {
      const [r, w] = pipe();
      const writelen = write(w, msg);
      const readlen = read(r, buf);
      close(w);
      const eof = read(r, buf);
      close(r);
      return { writelen, readlen, eof };
    });
    t.say(`Sent: ${JSON.stringify(msg)} [${Buffer.byteLength(msg)}, ${writelen}]`);
    t.say(`Rcvd: ${JSON.stringify(buf.subarray(0, readlen).toString())} [${readlen}]`);
    if (readlen !== writelen || eof !== 0) throw new Error('the pipe did not behave as the lecture says');
    t.notice('pipe() gave two descriptors: fd[0] reads, fd[1] writes. The bytes waited in the kernel\n' +
      'between write() and read(), and read() returned 0 (end of file) once no write end was open.');
  },
};
