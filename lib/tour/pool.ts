/**
 * The thread-pool server of seed 001: the main thread accepts connections and puts their
 * descriptors on a queue; a fixed number of worker threads take them off and serve them.
 * Descriptors belong to the process, not to a thread, so a worker uses the number as it is.
 *
 * The queue lives in a SharedArrayBuffer: a worker with nothing to do sleeps in Atomics.wait, as
 * a C worker sleeps on a condition variable; no event loop is involved on either side.
 * @internal
 */
import * as fs from 'node:fs';
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { close, getpeername, recv, send, trace } from '../index';
import { print } from './procs';

/** A queue of descriptors shared by threads: [0] counts puts, [1] counts takes, then the ring. */
export class FdQueue {
  readonly q: Int32Array;

  constructor(capacity: number, buffer?: SharedArrayBuffer) {
    this.q = new Int32Array(buffer ?? new SharedArrayBuffer(4 * (2 + capacity)));
  }

  private get size(): number {
    return this.q.length - 2;
  }

  /** Adds a descriptor (the main thread, after accept) and wakes one sleeping worker. */
  put(fd: number): void {
    const n = Atomics.load(this.q, 0);
    if (n - Atomics.load(this.q, 1) >= this.size) throw new Error('the queue is full');
    Atomics.store(this.q, 2 + (n % this.size), fd);
    Atomics.add(this.q, 0, 1);
    Atomics.notify(this.q, 0, 1);
  }

  /** Takes the next descriptor, sleeping while there is none (a worker). */
  take(): number {
    for (;;) {
      const put = Atomics.load(this.q, 0);
      const taken = Atomics.load(this.q, 1);
      if (taken < put) {
        if (Atomics.compareExchange(this.q, 1, taken, taken + 1) === taken) return Atomics.load(this.q, 2 + (taken % this.size));
        continue;
      }
      Atomics.wait(this.q, 0, put);
    }
  }
}

interface PoolData {
  posixIpcTourPool: true;
  queue: SharedArrayBuffer;
  thread: number;
}

/** The thread id as strace -f shows it: /proc/thread-self is PID/task/TID. */
function tid(): string {
  try {
    return fs.readlinkSync('/proc/thread-self').split('/').pop()!;
  } catch {
    return String(process.pid);
  }
}

/** A worker: take a connection, serve it, close it; -1 means the pool is closing. */
function workerMain(data: PoolData): void {
  const me = tid();
  trace((line) => print(`     ${line.replace(/^\[pid \d+\]/, `[pid ${me}]`)}`));
  const queue = new FdQueue(0, data.queue);
  const say = (line: string) => print(`   thread ${data.thread}: ${line}`);
  const buf = Buffer.alloc(256);
  for (let fd; (fd = queue.take()) !== -1;) {
    const peer = getpeername(fd);
    say(`serving fd ${fd}, client port ${peer.family === 'AF_UNIX' ? peer.path : peer.port}`);
    const n = recv(fd, buf, buf.length, 0);
    send(fd, `${buf.toString('utf8', 0, n)} back, from thread ${data.thread}`, undefined, 0);
    close(fd);
  }
  trace(false);
}

/** A pool of `threads` workers serving the descriptors put on its queue. */
export class ThreadPool {
  readonly queue: FdQueue;
  private readonly workers: Worker[] = [];

  constructor(readonly threads: number, capacity: number) {
    this.queue = new FdQueue(capacity + threads);
    for (let i = 1; i <= threads; i++) {
      const data: PoolData = { posixIpcTourPool: true, queue: this.queue.q.buffer as SharedArrayBuffer, thread: i };
      this.workers.push(new Worker(__filename, { workerData: data, stdout: false, stderr: false }));
    }
  }

  /** Tells every worker to finish and waits until they have. */
  async close(): Promise<void> {
    const exits = this.workers.map((w) => new Promise<number>((resolve, reject) => {
      w.once('error', reject);
      w.once('exit', resolve);
    }));
    for (let i = 0; i < this.threads; i++) this.queue.put(-1);
    const codes = await Promise.all(exits);
    if (codes.some((c) => c !== 0)) throw new Error(`a worker thread exited with ${codes.join(', ')}`);
  }
}

if (!isMainThread && (workerData as PoolData | null)?.posixIpcTourPool) workerMain(workerData as PoolData);
