import {
  accept, close, connect, pipe, poll, read, recv, send, socket, waitpid, write, AF_INET, POLLIN, SOCK_STREAM, WNOHANG, type PollFd,
} from '../index';
import type { Chapter } from './index';
import { ThreadPool } from './pool';
import { processState, waitUntil } from './procs';
import { addressText, loopback, recvAll, tcpHello, tcpServer, text } from './sockets';

/** One request and its answer on a connected socket; returns the answer. */
function ask(sd: number, request: string): string {
  send(sd, request, undefined, 0);
  const buf = Buffer.alloc(256);
  return buf.toString('utf8', 0, recv(sd, buf, buf.length, 0));
}

/** Seed 001 (concurrent server) and seed 004 (server_fork): a child process per connection. */
export const forkServer: Chapter = {
  id: 'fork-server',
  title: 'A concurrent server: fork() a child per client, then reap the zombies',
  source: 'seed 001, "Concurrent Server"; seed 004, "The Server w/ fork()"',
  async run(t) {
    const reaped = await t.traced(async () => {
      const [server_socket, port] = tcpServer();
      const clients = [t.spawn('client 1', 'client', port), t.spawn('client 2', 'client', port)];
      const children: number[] = [];
      for (let i = 0; i < clients.length; i++) {
        const [conn_socket, peer] = accept(server_socket);
        t.say(`The Server opened the request from client ${addressText(peer)}: a child will serve it`);
        children.push(t.fork(`server child ${i + 1}`, 'serve', server_socket, conn_socket).pid);
        close(conn_socket); // the parent does not serve: it goes back to accept()
      }
      close(server_socket);
      for (const c of clients) await c.wait();
      // Both server children have exited; nobody has waited for them yet.
      for (const pid of children) {
        const st = waitUntil(`server child ${pid} has exited`, () => processState(pid)?.state === 'Z' && processState(pid));
        t.say(`ps: pid ${pid} state ${st.state} (zombie): it has exited and waits to be reaped`);
      }
      const reaped: number[] = [];
      for (let st; (st = waitpid(-1, WNOHANG)) !== null;) {
        reaped.push(st.pid);
        t.reaped(st);
        if (reaped.length === children.length) break;
      }
      try {
        waitpid(-1, WNOHANG);
      } catch (e) {
        t.say(`then: ${(e as Error).message.split('\n')[0]}: no children left`);
      }
      return reaped;
    });
    if (reaped.length !== 2) throw new Error(`reaped ${reaped.length} children, not 2`);
    t.notice('The parent accepted, forked, closed its copy of the connection and went back to accept():\n' +
      'each child served its client on the descriptor it inherited, after closing the listening\n' +
      'socket it does not need. A child that exits stays a zombie (state Z, only its exit status\n' +
      'left) until its parent waits for it; waitpid(-1, WNOHANG) reaps whichever have ended without\n' +
      'blocking, and says ECHILD once there are none. (The slide\'s signal(SIGCHLD, SIG_IGN) has the\n' +
      'kernel reap them instead.)');
  },
  programs: {
    client: tcpHello.programs!.client!,
    serve(t, server_socket, conn_socket) {
      close(Number(server_socket)); // the child does not accept: only the parent listens
      const fd = Number(conn_socket);
      const msg = Buffer.alloc(10);
      t.say(`Child: I am The Server's child, serving the client: ${text(msg, recvAll(fd, msg, 6))}`);
      send(fd, 'hello back\0', 11, 0);
      close(fd);
    },
  },
};

/** Seed 003 ("next sessions") and the poll lecture: one thread serves several clients at once. */
export const pollServer: Chapter = {
  id: 'poll',
  title: 'poll: one process, one thread, several clients at once',
  source: 'seed 003 §5, "how to handle multiple simultaneous connections"',
  async run(t) {
    const buf = Buffer.alloc(256);
    const order = await t.traced(async () => {
      const [listenfd, port] = tcpServer();
      // The fast client tells the slow one, through this pipe, that it has had its answer.
      const [goR, goW] = pipe();
      const clients = [t.spawn('slow', 'slow', port, goR, goW)];
      const set: PollFd[] = [{ fd: listenfd, events: POLLIN }];
      const order: string[] = [];
      let served = 0;
      while (served < 2) {
        poll(set, -1);
        for (const p of set.filter((e) => e.revents)) {
          if (p.fd === listenfd) {
            const [conn, peer] = accept(listenfd);
            set.push({ fd: conn, events: POLLIN });
            t.say(`accepted ${addressText(peer)} on fd ${conn}; now polling ${set.length} descriptors`);
            if (clients.length === 1) {
              clients.push(t.spawn('fast', 'fast', port, goR, goW));
              close(goR);
              close(goW);
            }
            continue;
          }
          const n = recv(p.fd, buf, buf.length, 0);
          if (n > 0) {
            order.push(buf.toString('utf8', 0, n));
            send(p.fd, buf.toString('utf8', 0, n).toUpperCase(), undefined, 0);
          } else {
            close(p.fd);
            set.splice(set.indexOf(p), 1);
            served++;
          }
        }
      }
      close(listenfd);
      for (const c of clients) await c.wait();
      return order;
    });
    if (order.join() !== 'fast,slow') throw new Error(`served ${order.join(', ')}`);
    t.notice('The slow client connected first and then said nothing until the fast one had its answer.\n' +
      'A server blocked in recv() on the slow client would never have served the fast one: both\n' +
      'would wait for ever. poll() waited on every descriptor at once (the listening socket and\n' +
      'each connection) and returned the ones ready, so nothing ever blocked: POLLIN on the\n' +
      'listening socket means accept() will not wait, on a connection that recv() will not.');
  },
  programs: {
    slow(t, port, goR, goW) {
      close(Number(goW)); // only the fast client writes: if it died, read() below sees end of file
      const sd = socket(AF_INET, SOCK_STREAM, 0);
      connect(sd, loopback(Number(port)));
      t.say('connected; waiting for the fast client before saying anything');
      read(Number(goR), Buffer.alloc(1));
      close(Number(goR));
      t.say(`answer: ${ask(sd, 'slow')}`);
      close(sd);
    },
    fast(t, port, goR, goW) {
      close(Number(goR));
      const sd = socket(AF_INET, SOCK_STREAM, 0);
      connect(sd, loopback(Number(port)));
      t.say(`answer: ${ask(sd, 'fast')}`);
      close(sd);
      write(Number(goW), '!');
      close(Number(goW));
    },
  },
};

/** Seed 001: the thread-pool server (worker_threads). */
export const threadPool: Chapter = {
  id: 'thread-pool',
  title: 'A thread pool: the main thread accepts, worker threads serve by fd number',
  source: 'seed 001, "Thread Pool"',
  async run(t) {
    const threads = 3;
    const connections = 4;
    await t.traced(async () => {
      const [listenfd, port] = tcpServer();
      const pool = new ThreadPool(threads, connections);
      t.say(`${threads} worker threads wait on an empty queue`);
      const client = t.spawn('client', 'client', port, connections);
      for (let i = 0; i < connections; i++) {
        const [conn] = accept(listenfd);
        pool.queue.put(conn);
        t.say(`main thread: queued fd ${conn}`);
      }
      await pool.close();
      close(listenfd);
      await client.wait();
    });
    t.notice('The main thread only accepted, and put each new descriptor on a queue. Each worker thread\n' +
      'took one and served it by its number: descriptors belong to the process, every thread sees\n' +
      'the same table. The client asked on connection 3, then 2, then 1: three threads were each\n' +
      'blocked in recv() on their own connection at once. The fourth connection waited in the queue\n' +
      'until a thread was free. (The trace shows each thread\'s id, as strace -f does.)');
  },
  programs: {
    client(t, port, count) {
      const sds: number[] = [];
      for (let i = 0; i < Number(count); i++) {
        const sd = socket(AF_INET, SOCK_STREAM, 0);
        connect(sd, loopback(Number(port)));
        sds.push(sd);
      }
      // Backwards over all but the last, then the last: each of the first three must be served
      // while the ones before it wait in their threads.
      const order = [...sds.slice(0, -1).reverse(), sds[sds.length - 1]!];
      for (const sd of order) t.say(`connection ${sds.indexOf(sd) + 1}: ${ask(sd, `hello ${sds.indexOf(sd) + 1}`)}`);
      for (const sd of sds) close(sd);
    },
  },
};
