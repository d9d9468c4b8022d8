// A process per client: the classic concurrent server. The parent accepts; for each connection it
// forks a child that serves that client alone with plain blocking calls, while the parent goes
// back to accept. Finished children are reaped with waitpid (WNOHANG between accepts), so none is
// left a zombie.
// The child keeps fork's contract: synchronous posix-ipc calls only, nothing allocated, and it
// leaves through _exit. It reports the bytes it echoed to the parent through a pipe (8 bytes,
// written at once: fewer than PIPE_BUF, so children's reports never interleave), which the parent
// reads when it reaps that child.
// Run: node build-examples/fork-echo-server.js tcp [port=0] [clients=0: forever]
//      node build-examples/fork-echo-server.js unix PATH [clients=0]
// Prints "listening on ADDRESS", and once `clients` clients have come and gone, one line saying
// how many were served, the bytes echoed, and how many children were alive at once at most; then
// "reaped N children, none left".
import {
  _exit, accept, close, fork, pipe, read, recv, send, waitpid, write, SyscallError, WNOHANG, type WaitStatus,
} from 'posix-ipc';
import { closeListener, echoListener } from './echo-listener';

const [transport = 'tcp', where = '0', clients = '0'] = process.argv.slice(2);
const limit = Number(clients);

const listener = echoListener(transport, where); // blocking: the parent waits in accept

// Made before any fork: a child uses these and allocates nothing.
const buf = Buffer.alloc(65536);
const report = new Float64Array(1);
const reportBytes = new Uint8Array(report.buffer);
const [fromChildren, toParent] = pipe();

/** The child: echoes until the client shuts down, reports the bytes, leaves. Never returns. */
function serve(conn: number): never {
  let status = 1;
  try {
    close(listener);
    close(fromChildren);
    let total = 0;
    for (let n; (n = recv(conn, buf)) > 0; ) {
      for (let off = 0; off < n; ) off += send(conn, off === 0 ? buf : buf.subarray(off), n - off);
      total += n;
    }
    report[0] = total;
    write(toParent, reportBytes);
    status = 0;
  } finally {
    _exit(status); // ECONNRESET, EPIPE: the client is gone (status 1)
  }
}

let forked = 0;
let reaped = 0;
let served = 0;
let failed = 0;
let echoed = 0;
let peak = 0;
/** A child has ended: one that served its client wrote its report before it exited. */
function account(st: WaitStatus): void {
  reaped++;
  if (st.kind === 'exited' && st.code === 0) {
    served++;
    if (read(fromChildren, reportBytes) !== 8) throw new Error('a child reported nothing');
    echoed += report[0]!;
  } else {
    failed++;
  }
}

while (limit === 0 || forked < limit) {
  const [conn] = accept(listener);
  const pid = fork();
  if (pid === 0) serve(conn);
  close(conn); // the child has its own copy
  forked++;
  for (let st; (st = waitpid(-1, WNOHANG)); ) account(st); // the children done so far
  peak = Math.max(peak, forked - reaped);
}
while (reaped < forked) account(waitpid(-1)!); // the rest, as they finish
let noneLeft = false;
try {
  waitpid(-1, WNOHANG);
} catch (e) {
  noneLeft = e instanceof SyscallError && e.code === 'ECHILD';
}

close(toParent);
close(fromChildren);
closeListener(listener, transport, where);
console.log(`served ${served} clients (${failed} failed), echoed ${echoed} bytes, at most ${peak} connected at once`);
console.log(`reaped ${reaped} children${noneLeft ? ', none left' : ', some left'}`);
