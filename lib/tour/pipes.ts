import {
  close, fcntl, fds, pipe, poll, posix_spawnp, read, waitpid, write, F_GETPIPE_SZ, F_SETFL, O_NONBLOCK, POLLIN,
} from '../index';
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

/** Seed 001, the second pipe demo: the parent writes, its forked child reads. */
export const forkPipe: Chapter = {
  id: 'fork-pipe',
  title: 'Parent and child over a pipe, after fork()',
  source: 'seed 001, "how two processes communicate using a pipe"; seed 000, pipe.c',
  async run(t) {
    const msg = 'Message in a pipe.';
    const writelen = await t.traced(async () => {
      const [r, w] = pipe();
      const child = t.fork('child', 'reader', r, w);
      close(r); // the parent writes: it closes the read end
      const writelen = write(w, msg);
      t.say(`Parent: ${msg} [${Buffer.byteLength(msg)}, ${writelen}]`);
      close(w);
      await child.wait();
      return writelen;
    });
    if (writelen !== Buffer.byteLength(msg)) throw new Error('the parent\'s write was partial');
    t.notice('fork() returned twice: the child\'s pid in the parent, 0 in the child. The child has copies of\n' +
      'both descriptors, at the same numbers, on the same pipe. Each side closed the end it does not\n' +
      'use, so the bytes go one way, parent to child; the child\'s read() waited until they came.\n' +
      'waitpid() reaped the child: until then, ended, it would have stayed a zombie.');
  },
  programs: {
    reader(t, r, w) {
      close(Number(w)); // the child reads: it closes the write end
      const buf = Buffer.alloc(1024);
      const readlen = read(Number(r), buf);
      t.say(`Child Rcvd: ${buf.toString('utf8', 0, readlen)} [${readlen}]`);
      close(Number(r));
    },
  },
};

/** Seed 001: when read() gets end of file, and when write() gets EPIPE. */
export const eofAndEpipe: Chapter = {
  id: 'eof-epipe',
  title: 'End of file and EPIPE: who still holds an end',
  source: 'seed 001, "When do we get EOF on a pipe?"',
  async run(t) {
    t.say('End of file comes when no write end is open, in any process:');
    await t.traced(async () => {
      const [r, w] = pipe();
      const child = t.fork('child', 'forgetful', r, w);
      close(r);
      write(w, 'three\nlines\nof text\n');
      close(w);
      await child.wait();
    });
    t.say('With no read end left, write() fails with EPIPE:');
    const signal = await t.traced(async () => {
      const [r, w] = pipe();
      const child = t.fork('child', 'leaver', r, w);
      close(r);
      await child.wait(); // the last read end is gone with it
      try {
        write(w, 'anyone there?');
      } catch (e) {
        t.say(`parent: ${(e as Error).message.split('\n')[0]}: Node ignores SIGPIPE, so the write fails instead`);
      }
      // A C program keeps SIGPIPE's default action, and the same write kills it.
      const echo = posix_spawnp('echo', ['echo', 'anyone there?'], { dup2: [[w, 1]], close: [w] });
      close(w);
      const st = waitpid(echo);
      return st?.kind === 'signaled' ? st.signal : `${st?.kind}`;
    });
    if (signal !== 'SIGPIPE') throw new Error(`echo ended ${signal}, not by SIGPIPE`);
    t.notice('read() returned 0 only once no write end was open anywhere: the child\'s own copy counted,\n' +
      'so until it closed it, poll() found nothing to read and read() would have waited for ever —\n' +
      'the classic hang of a forgotten close(). With every read end closed, write() fails with\n' +
      'EPIPE in Node (SIGPIPE is ignored); echo, a C program with the default action, was killed by\n' +
      'SIGPIPE, as waitpid() reports.');
  },
  programs: {
    forgetful(t, r, w) {
      const fd = Number(r);
      const buf = Buffer.alloc(256);
      const n = read(fd, buf);
      t.say(`read ${n} bytes; the parent has closed its write end, but this process still holds one`);
      const ready = [{ fd, events: POLLIN }];
      if (poll(ready, 300) === 0) t.say('poll(): nothing to read, no end of file after 300 ms: its own write end keeps the pipe open');
      close(Number(w));
      t.say(`after close(write end): read() = ${read(fd, buf)}, end of file`);
      close(fd);
    },
    leaver(_t, r, w) {
      close(Number(r));
      close(Number(w));
    },
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

    t.say('Blocking: the writer, a forked child, sleeps in write() until the reader makes room.');
    const total = await t.traced(async () => {
      const [r, w] = pipe();
      const writer = t.fork('writer', 'writer', w, big.length);
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
