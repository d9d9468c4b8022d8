// Multiplexing: one process, one thread, many clients at once. An echo server built on poll():
// the listening socket and every connection are non-blocking, and poll() says which of them can
// go on without waiting. A client that does not read its echo fast enough keeps its unsent bytes
// here and is not read from until they are gone (back-pressure): memory stays bounded however
// much the clients send.
// Run: node build-examples/poll-echo-server.js tcp [port=0] [clients=0: forever]
//      node build-examples/poll-echo-server.js unix PATH [clients=0]
// Prints "listening on ADDRESS", and once `clients` clients have come and gone, one line saying
// how many were served, the bytes echoed, and how many were connected at once at most.
import {
  accept, close, fcntl, poll, recv, send, SyscallError,
  F_GETFL, F_SETFL, O_NONBLOCK, POLLERR, POLLHUP, POLLIN, POLLOUT, SOCK_NONBLOCK, type PollFd,
} from 'posix-ipc';
import { closeListener, echoListener } from './echo-listener';

const [transport = 'tcp', where = '0', clients = '0'] = process.argv.slice(2);
const limit = Number(clients);

const listener = echoListener(transport, where, SOCK_NONBLOCK); // accept fails with EAGAIN, never waits

// entries[0] is the listener; entries[i] (i >= 1) is a connection, and pending[i] its bytes not
// sent yet (while there are some, the entry waits for POLLOUT instead of POLLIN).
const entries: PollFd[] = [{ fd: listener, events: POLLIN }];
const pending: (Buffer | null)[] = [null];
const buf = Buffer.alloc(65536);
let served = 0;
let failed = 0;
let echoed = 0;
let peak = 0;

/** Closes connection i; the last entry takes its place. */
function drop(i: number): void {
  close(entries[i]!.fd);
  const last = entries.length - 1;
  entries[i] = entries[last]!;
  pending[i] = pending[last]!;
  entries.pop();
  pending.pop();
}

/** Sends what it can of `data` on connection i and keeps the rest (a copy: `buf` is reused). */
function echo(i: number, data: Buffer): void {
  let n = 0;
  try {
    n = send(entries[i]!.fd, data);
  } catch (e) {
    if (!(e instanceof SyscallError && e.code === 'EAGAIN')) throw e;
  }
  echoed += n;
  if (n < data.length) {
    pending[i] = Buffer.from(data.subarray(n));
    entries[i]!.events = POLLOUT;
  } else {
    pending[i] = null;
    entries[i]!.events = POLLIN;
  }
}

/** Takes every connection waiting in the listener's queue. */
function acceptAll(): void {
  for (;;) {
    let fd: number;
    try {
      [fd] = accept(listener);
    } catch (e) {
      if (e instanceof SyscallError && e.code === 'EAGAIN') return; // the queue is empty
      if (e instanceof SyscallError && (e.code === 'EMFILE' || e.code === 'ECONNABORTED')) {
        console.error(`accept: ${e.code}`);
        return;
      }
      throw e;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); // accept()ed sockets start blocking
    entries.push({ fd, events: POLLIN });
    pending.push(null);
  }
}

while (limit === 0 || served + failed < limit) {
  poll(entries); // waits until some descriptor is ready
  // Backwards: drop(i) moves the last entry, already looked at, into i.
  for (let i = entries.length - 1; i >= 1; i--) {
    const { fd, revents = 0 } = entries[i]!;
    if (revents === 0) continue;
    try {
      const rest = pending[i];
      if (rest) {
        echo(i, rest); // POLLOUT: room again (or POLLERR/POLLHUP: send says what happened)
      } else {
        const n = recv(fd, buf);
        if (n === 0) {
          drop(i); // the client shut down and has every byte back
          served++;
        } else {
          echo(i, buf.subarray(0, n));
        }
      }
    } catch (e) {
      if (!(e instanceof SyscallError)) throw e;
      if (e.code === 'EAGAIN') continue;
      drop(i); // ECONNRESET, EPIPE: the client is gone
      failed++;
    }
  }
  if ((entries[0]!.revents ?? 0) & (POLLIN | POLLERR | POLLHUP)) acceptAll();
  peak = Math.max(peak, entries.length - 1);
}
closeListener(listener, transport, where);
console.log(`served ${served} clients (${failed} failed), echoed ${echoed} bytes, at most ${peak} connected at once`);
