import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  accept, bind, close, connect, getsockname, listen, recv, recvfrom, send, sendto, shutdown, socket,
  unlink, AF_INET, AF_UNIX, SHUT_WR, SOCK_DGRAM, SOCK_STREAM, type SockAddr,
} from '../index';
import type { Chapter } from './index';

/** `ls -l`'s first column and the name: `srwxr-xr-x unix_socket`. */
export function lsLine(file: string): string {
  const st = fs.statSync(file);
  const type = st.isSocket() ? 's' : st.isFIFO() ? 'p' : st.isDirectory() ? 'd' : '-';
  let perms = '';
  for (let i = 8; i >= 0; i--) perms += st.mode & (1 << i) ? 'rwx'[(8 - i) % 3] : '-';
  return `${type}${perms} ${path.basename(file)}`;
}

/** An address as the demos print it: `127.0.0.1:2021`, a path, `@abstract`, `(unnamed)`. */
export function addressText(a: SockAddr | null): string {
  if (a === null) return '(none)';
  if (a.family !== 'AF_UNIX') return `${a.address}:${a.port}`;
  if (a.path === '') return '(unnamed)';
  return a.path.startsWith('\0') ? `@${a.path.slice(1)}` : a.path;
}

/** The port the kernel gave a socket bound to port 0. */
export function boundPort(fd: number): number {
  const a = getsockname(fd);
  if (a.family === 'AF_UNIX') throw new Error('not an IP socket');
  return a.port;
}

/** Receives until `want` bytes or end of stream: TCP may deliver a message in pieces. */
export function recvAll(fd: number, buf: Buffer, want: number): number {
  let got = 0;
  for (let r; got < want && (r = recv(fd, buf.subarray(got, want), want - got, 0)) > 0;) got += r;
  return got;
}

/** A message as the demos print it: quoted, without the C string's terminating NUL. */
export const text = (buf: Buffer, n: number) => JSON.stringify(buf.toString('utf8', 0, n).replace(/\0$/, ''));

/** 127.0.0.1 at `port`. */
export const loopback = (port: number): SockAddr => ({ family: 'AF_INET', address: '127.0.0.1', port });

/** A TCP server's first three calls, socket, bind (127.0.0.1, a port the kernel picks) and listen: the fd and port. */
export function tcpServer(): [fd: number, port: number] {
  const fd = socket(AF_INET, SOCK_STREAM, 0);
  bind(fd, loopback(0));
  listen(fd, 5);
  return [fd, boundPort(fd)];
}

/** Seed 000: the UNIX stream socket server and client, in two processes. */
export const unixStream: Chapter = {
  id: 'unix-stream',
  title: 'A UNIX stream socket: the server binds a file, the client connects to it',
  source: 'seed 000, unix_socket_server.c and unix_socket_client.c',
  async run(t) {
    const file = 'unix_socket'; // in the chapter's scratch directory, the current one
    const buf = Buffer.alloc(256);
    const got = await t.traced(async () => {
      const listenfd = socket(AF_UNIX, SOCK_STREAM, 0);
      bind(listenfd, { family: 'AF_UNIX', path: file });
      listen(listenfd, 5);
      t.say(`ls -l: ${lsLine(file)}    bind() made the socket file: the address`);
      const client = t.spawn('client', 'client', file);
      const [connectfd, peer] = accept(listenfd);
      t.say(`accepted on a new descriptor, ${connectfd}; the client's address: ${addressText(peer)}`);
      const n = recv(connectfd, buf, buf.length, 0);
      t.say(`Received: ${text(buf, n)}`);
      send(connectfd, 'Hello from the server', undefined, 0);
      close(connectfd);
      close(listenfd);
      await client.wait();
      unlink(file);
      return buf.toString('utf8', 0, n);
    });
    if (got !== 'Hello from the client') throw new Error('the server did not receive the client\'s message');
    t.notice('The address of a UNIX socket is a file (type s in ls -l) that bind() creates. It outlives the\n' +
      'socket: the server must unlink it, or the next bind() fails with EADDRINUSE. accept() gave a\n' +
      'new descriptor for the connection; the listening one stays for the next client. The client\n' +
      'never bound, so its address is unnamed.');
  },
  programs: {
    client(t, file) {
      const sockfd = socket(AF_UNIX, SOCK_STREAM, 0);
      connect(sockfd, { family: 'AF_UNIX', path: file! });
      send(sockfd, 'Hello from the client', undefined, 0);
      const buf = Buffer.alloc(256);
      const n = recv(sockfd, buf, buf.length, 0);
      t.say(`Received: ${text(buf, n)}`);
      close(sockfd);
    },
  },
};

/** Seed 000 (and 003): datagrams over AF_UNIX, two messages kept apart, the answer to the sender. */
export const unixDgram: Chapter = {
  id: 'unix-dgram',
  title: 'UNIX datagrams: no connection, each message whole, answered to its sender',
  source: 'seed 000, datagram sockets; seed 003 §5',
  async run(t) {
    const file = 'unix_dgram_socket';
    const buf = Buffer.alloc(256);
    const sizes = await t.traced(async () => {
      const sockfd = socket(AF_UNIX, SOCK_DGRAM, 0);
      bind(sockfd, { family: 'AF_UNIX', path: file });
      const client = t.spawn('client', 'client', file);
      const sizes: number[] = [];
      for (let i = 0; i < 2; i++) {
        const [n, src] = recvfrom(sockfd, buf, buf.length, 0);
        sizes.push(n);
        t.say(`Received: ${text(buf, n)} [${n}] from ${addressText(src)}`);
        if (src !== null) sendto(sockfd, `Echo: ${buf.toString('utf8', 0, n)}`, undefined, 0, src);
      }
      close(sockfd);
      await client.wait();
      unlink(file);
      return sizes;
    });
    if (sizes.join() !== '3,21') throw new Error(`the datagrams arrived as ${sizes.join(', ')} bytes`);
    t.notice('No listen(), accept() or connect(): each sendto() names where it goes and each recvfrom()\n' +
      'says who sent it. Two sendto() calls arrived as two messages of 3 and 21 bytes: a datagram\n' +
      'socket keeps message boundaries, a stream socket would not. The client bound \'\' first\n' +
      '(a Linux abstract name, @...): unbound, it could send but not be answered.');
  },
  programs: {
    client(t, file) {
      const sockfd = socket(AF_UNIX, SOCK_DGRAM, 0);
      bind(sockfd, { family: 'AF_UNIX', path: '' });
      const server: SockAddr = { family: 'AF_UNIX', path: file! };
      sendto(sockfd, 'one', undefined, 0, server);
      sendto(sockfd, 'two, a second message', undefined, 0, server);
      const buf = Buffer.alloc(256);
      for (let i = 0; i < 2; i++) {
        const [n, src] = recvfrom(sockfd, buf, buf.length, 0);
        t.say(`Received: ${text(buf, n)} from ${addressText(src)}`);
      }
      close(sockfd);
    },
  },
};

/** Seed 004: the TCP server and its clients, "hello" / "hello back", each in its own process. */
export const tcpHello: Chapter = {
  id: 'tcp',
  title: 'A TCP server and two clients: socket, bind, listen, accept, connect',
  source: 'seed 004, server.c and client.c',
  async run(t) {
    const msg = Buffer.alloc(10);
    const heard = await t.traced(async () => {
      const server_sd = socket(AF_INET, SOCK_STREAM, 0);
      t.say(`socket has created for The Server with sd:${server_sd}`);
      bind(server_sd, loopback(0));
      const port = boundPort(server_sd);
      t.say(`The Server bound to the address:port = 127.0.0.1:${port}    (port 0: the kernel picked one)`);
      listen(server_sd, 5);
      const clients = [t.spawn('client 1', 'client', port), t.spawn('client 2', 'client', port)];
      const heard: string[] = [];
      for (let i = 0; i < clients.length; i++) {
        const [result, client_sin] = accept(server_sd);
        t.say(`The Server opened the request from client ${addressText(client_sin)}, sd:${result}`);
        const n = recvAll(result, msg, 6);
        heard.push(msg.toString('utf8', 0, n));
        t.say(text(msg, n));
        send(result, 'hello back\0', 11, 0);
        close(result);
      }
      close(server_sd);
      for (const c of clients) await c.wait();
      return heard;
    });
    if (heard.join() !== 'hello\0,hello\0') throw new Error('the server did not hear "hello" twice');
    t.notice('accept() returned a new descriptor for each connection; the listening socket went on\n' +
      'listening. Each client got a port from the kernel at connect() (seed 001: the 5-tuple tells\n' +
      'connections apart). connect() returned as soon as the kernel queued the connection (listen\'s\n' +
      'backlog), before the server called accept().');
  },
  programs: {
    client(t, port) {
      const client_sd = socket(AF_INET, SOCK_STREAM, 0);
      t.say(`socket has created for the client with sd:${client_sd}`);
      connect(client_sd, loopback(Number(port)));
      t.say(`client is connected to The Server at address:port = 127.0.0.1:${port}`);
      send(client_sd, 'hello\0', 6, 0);
      const response = Buffer.alloc(16);
      t.say(text(response, recvAll(client_sd, response, 11)));
      close(client_sd);
    },
  },
};

/** Seed 000 and 003: a UDP server, one socket for every client. */
export const udp: Chapter = {
  id: 'udp',
  title: 'UDP: one socket serves every client',
  source: 'seed 000, datagram_socket_server.c and datagram_socket_client.c; seed 003 §5',
  async run(t) {
    const buf = Buffer.alloc(1024);
    const senders = await t.traced(async () => {
      const sockfd = socket(AF_INET, SOCK_DGRAM, 0);
      bind(sockfd, loopback(0));
      const port = boundPort(sockfd);
      t.say(`Server bound to 127.0.0.1:${port}`);
      const clients = [t.spawn('client 1', 'client', port, 'Hello from client 1'), t.spawn('client 2', 'client', port, 'Hello from client 2')];
      const senders = new Set<string>();
      for (let i = 0; i < clients.length; i++) {
        const [n, src] = recvfrom(sockfd, buf, buf.length, 0);
        senders.add(addressText(src));
        t.say(`Received: ${text(buf, n)} from ${addressText(src)}`);
        if (src !== null) sendto(sockfd, `Echo: ${buf.toString('utf8', 0, n)}`, undefined, 0, src);
      }
      close(sockfd);
      for (const c of clients) await c.wait();
      return senders;
    });
    if (senders.size !== 2) throw new Error('the two datagrams did not come from two addresses');
    t.notice('The server used one socket for both clients: no listen(), no accept(), no descriptor per\n' +
      'client (seed 003: for N clients, 1 socket). The clients never called bind(): their first\n' +
      'sendto() gave them a port, which recvfrom() told the server. UDP promises no delivery and\n' +
      'no order; on the loopback nothing is lost.');
  },
  programs: {
    client(t, port, message) {
      const sockfd = socket(AF_INET, SOCK_DGRAM, 0);
      sendto(sockfd, message!, undefined, 0, loopback(Number(port)));
      const buf = Buffer.alloc(1024);
      const [n, src] = recvfrom(sockfd, buf, buf.length, 0);
      t.say(`Received: ${text(buf, n)} from ${addressText(src)}`);
      close(sockfd);
    },
  },
};

/** Seed 002: shutdown(SHUT_WR) ends one direction, the other goes on. */
export const shutdownHalfClose: Chapter = {
  id: 'shutdown',
  title: 'shutdown: end one direction of a connection, keep the other',
  source: 'seed 002, "Terminating the Communication"',
  async run(t) {
    const buf = Buffer.alloc(256);
    const total = await t.traced(async () => {
      const [server_sd, port] = tcpServer();
      const client = t.spawn('client', 'client', port);
      const [conn] = accept(server_sd);
      let total = 0;
      let calls = 0;
      for (let n; (n = recv(conn, buf, buf.length, 0)) > 0; calls++) total += n;
      t.say(`recv() returned 0 after ${total} bytes in ${calls} call(s): the client shut down its sending side`);
      send(conn, `got ${total} bytes`, undefined, 0);
      close(conn);
      close(server_sd);
      await client.wait();
      return total;
    });
    if (total !== 24) throw new Error(`the server received ${total} bytes, not 24`);
    t.notice('The request had no length and no terminator: the client\'s shutdown(SHUT_WR) marked its end,\n' +
      'and the server\'s recv() returned 0, as read() does at the end of a pipe. The socket stayed\n' +
      'open the other way, so the answer still arrived. After SHUT_WR the client\'s own send() fails\n' +
      'with EPIPE. close() would have given up both directions, and only for this descriptor:\n' +
      'shutdown() acts on the connection, whoever else holds it.');
  },
  programs: {
    client(t, port) {
      const sd = socket(AF_INET, SOCK_STREAM, 0);
      connect(sd, loopback(Number(port)));
      for (const part of ['a request ', 'in three ', 'parts']) send(sd, part, undefined, 0);
      shutdown(sd, SHUT_WR);
      const buf = Buffer.alloc(256);
      const n = recvAll(sd, buf, buf.length);
      t.say(`Received: ${text(buf, n)}, then end of stream`);
      try {
        send(sd, 'more', undefined, 0);
      } catch (e) {
        t.say(`send after shutdown(SHUT_WR): ${(e as Error).message.split('\n')[0]}`);
      }
      close(sd);
    },
  },
};
