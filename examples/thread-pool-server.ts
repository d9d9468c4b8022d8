// Seed 001, "Thread Pool": a fixed number of threads created at the start; the main thread accepts
// each connection and puts it on a queue, and a free thread takes the next one off and serves it.
// The threads are worker_threads. A descriptor belongs to the process, not to a thread, so the
// main thread hands a worker the connection's fd number and the worker uses it as it is.
//
// The queue is a ring of fd numbers in a SharedArrayBuffer. A worker with nothing to do sleeps in
// Atomics.wait, as a C worker sleeps on a condition variable; no event loop is involved: the main
// thread blocks in accept() and each worker in recv(), as in C.
//
// Run: node build-examples/thread-pool-server.js [port=2021] [address=127.0.0.1] [clients=0] [threads=4]
// (clients 0: serve for ever). Each client sends one request and gets "<request> back, from thread N".
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import {
  accept, bind, close, getsockname, listen, recv, send, setsockopt, socket, write, AF_INET, SOCK_STREAM, SOL_SOCKET, SO_REUSEADDR,
} from 'posix-ipc';

// The queue: [0] counts the fds put, [1] the fds taken, then a ring of `size` slots.
type Queue = Int32Array;

function put(q: Queue, fd: number): void {
  const size = q.length - 2;
  const n = Atomics.load(q, 0);
  for (let taken; n - (taken = Atomics.load(q, 1)) >= size;) Atomics.wait(q, 1, taken); // full: wait for a take
  Atomics.store(q, 2 + (n % size), fd);
  Atomics.add(q, 0, 1);
  Atomics.notify(q, 0, 1); // wake one sleeping worker
}

function take(q: Queue): number {
  const size = q.length - 2;
  for (;;) {
    const n = Atomics.load(q, 0);
    const taken = Atomics.load(q, 1);
    if (taken < n) {
      // Another worker may take the same slot first: only the one whose exchange succeeds has it.
      if (Atomics.compareExchange(q, 1, taken, taken + 1) === taken) {
        const fd = Atomics.load(q, 2 + (taken % size));
        Atomics.notify(q, 1, 1); // a slot is free: wake the main thread if it waits to put
        return fd;
      }
    } else {
      Atomics.wait(q, 0, n); // sleep until the count of puts changes
    }
  }
}

interface Job {
  queue: SharedArrayBuffer;
  thread: number;
}

if (isMainThread) {
  const [port = '2021', address = '127.0.0.1', clients = '0', threads = '4'] = process.argv.slice(2);
  const server_sd = socket(AF_INET, SOCK_STREAM, 0);
  setsockopt(server_sd, SOL_SOCKET, SO_REUSEADDR, 1);
  bind(server_sd, { family: 'AF_INET', address, port: Number(port) });
  listen(server_sd, 128);
  const bound = getsockname(server_sd);
  console.log(`The Server bound to the address:port = ${address}:${bound.family === 'AF_UNIX' ? '' : bound.port}, ${threads} threads`);

  const shared = new SharedArrayBuffer(4 * (2 + 16)); // 16 connections may wait
  const q: Queue = new Int32Array(shared);
  const workers: Worker[] = [];
  for (let i = 1; i <= Number(threads); i++) workers.push(new Worker(__filename, { workerData: { queue: shared, thread: i } satisfies Job }));

  for (let served = 0; clients === '0' || served < Number(clients); served++) {
    const [client_sd] = accept(server_sd); // blocks this thread only; the workers go on serving
    put(q, client_sd);
  }
  // Done: one -1 per worker tells it to stop; the process ends when they have.
  for (let i = 0; i < workers.length; i++) put(q, -1);
  close(server_sd);
} else {
  const { queue, thread } = workerData as Job;
  const q: Queue = new Int32Array(queue);
  const buf = Buffer.alloc(256);
  for (let fd; (fd = take(q)) !== -1;) {
    const n = recv(fd, buf, buf.length, 0);
    const request = buf.toString('utf8', 0, n);
    send(fd, `${request} back, from thread ${thread}`, undefined, 0);
    close(fd);
    // write(1, ...), not console.log: a worker's console output goes through the main thread's
    // event loop, and the main thread is blocked in accept().
    write(1, `thread ${thread} served fd ${fd}: ${request}\n`);
  }
}
