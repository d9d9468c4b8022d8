import { close, fcntl, fds, pipe, read, write, F_GETPIPE_SZ, F_SETFL, O_NONBLOCK } from '../index';
import type { Chapter } from './index';
import { processState, waitUntil } from './procs';

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

/** Seed 001 and 003: the pipe is a fixed-size queue; a full one makes the writer wait. */
export const pipeBuffer: Chapter = {
  id: 'pipe-buffer',
  title: 'The pipe\'s buffer: its size, a partial write, a writer asleep',
  source: 'seed 001, "What if A generates data faster than B can consume it?"; seed 003 §2 and §6',
  async run(t) {
    const big = Buffer.alloc(100_000, 'x');
    const buf = Buffer.alloc(big.length);
    t.say('Non-blocking: write() takes what fits and says so.');
    const { size, partial } = t.traced(() => {
      const [r, w] = pipe();
      const size = fcntl(w, F_GETPIPE_SZ);
      fcntl(w, F_SETFL, O_NONBLOCK);
      const partial = write(w, big);
      try {
        write(w, 'one more');
      } catch (e) {
        t.say(`the pipe is full: ${(e as Error).message.split('\n')[0]}`);
      }
      read(r, buf);
      close(r);
      close(w);
      return { size, partial };
    });
    if (partial !== size) throw new Error(`a non-blocking write of ${big.length} bytes wrote ${partial}, not ${size}`);

    t.say('Blocking: the writer, another process, sleeps in write() until the reader makes room.');
    const total = await t.traced(async () => {
      const [r, w] = pipe();
      const writer = t.spawn('writer', 'writer', w, big.length);
      close(w); // the writer has its own copy; with ours open, read() would never see end of file
      const asleep = waitUntil('the writer sleeps with the pipe full', () => {
        const queued = fds().find((f) => f.fd === r)?.queued;
        const st = processState(writer.pid);
        return queued === size && st?.state === 'S' && st;
      });
      t.say(`writer (pid ${writer.pid}) is asleep (state ${asleep.state}${asleep.wchan ? `, in ${asleep.wchan}` : ''}), ${size} bytes queued: the pipe is full`);
      let total = 0;
      for (let n; (n = read(r, buf)) > 0;) total += n;
      close(r);
      await writer.wait();
      return total;
    });
    if (total !== big.length) throw new Error(`read ${total} bytes, not ${big.length}`);
    t.notice(`A pipe is a queue of fixed size in the kernel: ${size} bytes here (F_GETPIPE_SZ; F_SETPIPE_SZ\n` +
      'changes it). Non-blocking, write() took what fit, a partial write, and the next one failed with\n' +
      'EAGAIN. Blocking, the writer slept inside write() until the reader emptied the queue, and its\n' +
      'write() returned only when all 100000 bytes were in: the producer waits for the consumer.\n' +
      'Always look at what write() returns.');
  },
  programs: {
    writer(t, w, count) {
      const n = write(Number(w), Buffer.alloc(Number(count), 'y'));
      t.say(`write() returned ${n}`);
      close(Number(w));
    },
  },
};
