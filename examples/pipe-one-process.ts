// Seed 001, the first pipe demo: a message through a pipe, in one process.
// Run: npm run build:ts && node build-examples/pipe-one-process.js
import { close, pipe, read, write } from 'posix-ipc';

const BUFSIZE = 1024;
const msg = 'Message in a pipe.\n';
const buf = Buffer.alloc(BUFSIZE);

const [readEnd, writeEnd] = pipe();
// The write calls from user space into the kernel.
const writelen = write(writeEnd, msg + '\0');
console.log(`Sent: ${msg.trimEnd()} [${Buffer.byteLength(msg) + 1}, ${writelen}]`);
const readlen = read(readEnd, buf, BUFSIZE);
console.log(`Rcvd: ${buf.toString('utf8', 0, readlen - 1).trimEnd()} [${readlen}]`);
close(readEnd);
close(writeEnd);
