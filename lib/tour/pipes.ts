import { close, pipe, read, write } from '../index';
import type { Chapter } from './index';

/** Seed 001: a message through a pipe, in one process. */
export const pipeInOneProcess: Chapter = {
  id: 'pipe',
  title: 'A message through a pipe (one process)',
  run(out) {
    const msg = 'Message in a pipe.\n';
    const [r, w] = pipe();
    out(`pipe() = [${r}, ${w}]    fd[0] reads, fd[1] writes`);
    const writelen = write(w, msg);
    out(`Sent: ${JSON.stringify(msg)} [${Buffer.byteLength(msg)}, ${writelen}]`);
    const buf = Buffer.alloc(1024);
    const readlen = read(r, buf);
    out(`Rcvd: ${JSON.stringify(buf.subarray(0, readlen).toString())} [${readlen}]`);
    close(w);
    const eof = read(r, buf);
    out(`read() after the write end is closed = ${eof}    (end of file)`);
    close(r);
    if (readlen !== writelen || eof !== 0) throw new Error('the pipe did not behave as the lecture says');
    out('Notice: the bytes lived in the kernel between write() and read(); read() returned 0 once');
    out('        no write end was left open.');
  },
};
