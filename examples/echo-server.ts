// Seed 001, "Simple Example: Echo Server" with the server protocol (v1): the address comes from
// getaddrinfo(NULL, port, AI_PASSIVE) as in setup_address(); each client is served until it
// closes (read returns 0), echoing every request to stdout and back to the client.
// Run: node build-examples/echo-server.js [port=0] [host] [clients=0: forever]
// (host: the address to listen on; none = every local address, as AI_PASSIVE gives.)
// Its C twin: examples/c/echo_server.c.
import {
  accept, bind, close, getaddrinfo, getsockname, listen, read, socket, write, AF_UNSPEC, AI_PASSIVE, SOCK_STREAM,
} from 'posix-ipc';

const [port = '0', host, clients = '0'] = process.argv.slice(2);
const MAX_QUEUE = 5;
const MAXREQ = 4096;

// server addresss - itself
function setup_address(port: string) {
  const [server] = getaddrinfo(host ?? null, port, { family: AF_UNSPEC, socktype: SOCK_STREAM, flags: AI_PASSIVE });
  return server!;
}

function serve_client(consockfd: number): void {
  const reqbuf = Buffer.alloc(MAXREQ);
  for (;;) {
    const n = read(consockfd, reqbuf, MAXREQ - 1); /* Recv */
    if (n <= 0) return;
    write(1, reqbuf, n);
    write(consockfd, reqbuf, n); /* echo */
  }
}

const server = setup_address(port);
const server_socket = socket(server.family, server.socktype, server.protocol);
bind(server_socket, server.address);
listen(server_socket, MAX_QUEUE);
const where = getsockname(server_socket);
if (where.family !== 'AF_UNIX') write(2, `Listening on ${where.address}:${where.port}\n`);
for (let served = 0; clients === '0' || served < Number(clients); served++) {
  const [conn_socket] = accept(server_socket);
  serve_client(conn_socket);
  close(conn_socket);
}
close(server_socket);
