import {
  accept, bind, close, connect, getsockname, listen, recv, send, shutdown, socket, AF_INET, SHUT_WR, SOCK_STREAM,
} from '../index';
import type { Chapter } from './index';

/** Seed 004: the TCP server and client, "hello" / "hello back", in one process. */
export const tcpHello: Chapter & { demo(out: (line: string) => void): void } = {
  id: 'tcp',
  title: 'A TCP server and its client: socket, bind, listen, accept, connect (one process)',
  source: 'seed 004, server.c and client.c',
  run(t) {
    t.traced(() => this.demo(t.say));
  },
  demo(out: (line: string) => void) {
    const server_sd = socket(AF_INET, SOCK_STREAM, 0);
    out(`socket(AF_INET, SOCK_STREAM, 0) = ${server_sd}    the server's socket`);
    bind(server_sd, { family: 'AF_INET', address: '127.0.0.1', port: 0 });
    const where = getsockname(server_sd);
    if (where.family !== 'AF_INET') throw new Error('not an IPv4 address');
    out(`bind(${server_sd}, 127.0.0.1:0); getsockname() = ${where.address}:${where.port}    port 0: the kernel picked one`);
    listen(server_sd, 5);
    out(`listen(${server_sd}, 5)    the kernel now completes connections and queues them`);
    const client_sd = socket(AF_INET, SOCK_STREAM, 0);
    connect(client_sd, where);
    out(`connect(${client_sd}, ${where.address}:${where.port}) = 0    returns at once: the connection waits in the queue`);
    const [conn, client] = accept(server_sd);
    if (client.family !== 'AF_INET') throw new Error('not an IPv4 peer');
    out(`accept(${server_sd}) = ${conn}, client ${client.address}:${client.port}    a new descriptor for this connection`);
    send(client_sd, 'hello\0', 6, 0);
    const msg = Buffer.alloc(10);
    const n = recv(conn, msg, 10, 0);
    out(`server recv: ${JSON.stringify(msg.toString('utf8', 0, n - 1))} [${n}]`);
    send(conn, 'hello back\0', 11, 0);
    shutdown(conn, SHUT_WR);
    const response = Buffer.alloc(16);
    let got = 0;
    for (let r; (r = recv(client_sd, response.subarray(got))) > 0;) got += r;
    out(`client recv: ${JSON.stringify(response.toString('utf8', 0, got - 1))} [${got}], then 0: the server shut down its side`);
    for (const fd of [conn, client_sd, server_sd]) close(fd);
    if (n !== 6 || got !== 11) throw new Error('the sockets did not behave as the lecture says');
    out('Notice: accept() returned a new descriptor; the listening socket goes on listening for the next');
    out('        client. A blocking accept() or recv() with nothing to take would have waited, as in C.');
  },
};
