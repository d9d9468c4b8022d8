// Seed 001, the second pipe demo: the parent writes into a pipe and its child reads.
// Run: npm run build:ts && node build-examples/pipe-parent-child.js
//
// The child of fork() is a copy of this Node process with one thread: it makes synchronous calls
// and leaves with _exit (see fork's doc comment). It prints with write(1, ...), not console.log:
// _exit flushes nothing.
import { _exit, close, fork, pipe, read, waitpid, write } from 'posix-ipc';

const BUFSIZE = 1024;
const msg = 'Message in a pipe.';
const msglen = Buffer.byteLength(msg);
const buf = Buffer.alloc(BUFSIZE);

const [readEnd, writeEnd] = pipe();
const pid = fork();
if (pid === 0) {
  // the child process
  try {
    close(writeEnd); // close the write end
    const readlen = read(readEnd, buf, BUFSIZE); // waits until the parent writes
    write(1, `Child Rcvd: ${buf.toString('utf8', 0, readlen)} [${readlen}]\n`);
  } finally {
    _exit(0);
  }
}
// the parent process
close(readEnd); // close the read end
const writelen = write(writeEnd, msg);
console.log(`Parent: ${msg} [${msglen}, ${writelen}]`);
close(writeEnd);
const status = waitpid(pid);
console.log(`Parent: child ${status?.kind === 'exited' ? `exited with ${status.code}` : 'ended abnormally'}`);
