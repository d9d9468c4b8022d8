// Many clients in one thread, with promises: an echo server whose accept, recv and send come from
// posix-ipc/promises. Each connection is served by its own async function; while one waits for
// bytes, the event loop serves the others. No poll loop to write, no process per client.
// Run: node build-examples/promises-echo-server.js tcp [port=0] [clients=0: forever]
//      node build-examples/promises-echo-server.js unix PATH [clients=0]
// Prints "listening on ADDRESS", and once `clients` clients have come and gone, one line saying
// how many were served, the bytes echoed, and how many were connected at once at most.
import { close, SyscallError, SOCK_NONBLOCK } from 'posix-ipc';
import { accept, recv, send } from 'posix-ipc/promises';
import { closeListener, echoListener } from './echo-listener';

const [transport = 'tcp', where = '0', clients = '0'] = process.argv.slice(2);
const limit = Number(clients);

let served = 0;
let failed = 0;
let echoed = 0;
let connected = 0;
let peak = 0;

/** One client: echoes until it shuts down its side (recv resolves 0), then closes. */
async function serve(fd: number): Promise<void> {
  const buf = Buffer.alloc(65536);
  try {
    for (let n; (n = await recv(fd, buf)) > 0; ) {
      for (let off = 0; off < n; ) off += await send(fd, buf.subarray(off, n));
      echoed += n;
    }
    served++;
  } catch (e) {
    if (!(e instanceof SyscallError)) throw e;
    failed++; // ECONNRESET, EPIPE: the client is gone
  } finally {
    close(fd);
    connected--;
  }
}

async function main(): Promise<void> {
  // SOCK_NONBLOCK: if another process took the connection poll announced, accept waits again
  // instead of blocking the event loop.
  const listener = echoListener(transport, where, SOCK_NONBLOCK);

  const serving: Promise<void>[] = [];
  for (let accepted = 0; limit === 0 || accepted < limit; accepted++) {
    const [fd] = await accept(listener);
    connected++;
    peak = Math.max(peak, connected);
    serving.push(serve(fd)); // not awaited: the next accept waits at once
  }
  await Promise.all(serving);
  closeListener(listener, transport, where);
  console.log(`served ${served} clients (${failed} failed), echoed ${echoed} bytes, at most ${peak} connected at once`);
}

void main();
