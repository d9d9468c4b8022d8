// Seed 001, the echo client: lookup_host() with getaddrinfo, socket, connect, then each request
// read from stdin is written to the server and its echo written to stdout, until end of input.
// Run: node build-examples/echo-client.js <host> <port>
// Its C twin: examples/c/echo_client.c.
import { close, connect, getaddrinfo, read, socket, write, AF_UNSPEC, SOCK_STREAM } from 'posix-ipc';

const [host_name = 'localhost', port_name = '2021'] = process.argv.slice(2);
const MAXIN = 4096;

// getting the server addresss
function lookup_host(host_name: string, port_name: string) {
  const [server] = getaddrinfo(host_name, port_name, { family: AF_UNSPEC, socktype: SOCK_STREAM });
  return server!;
}

function run_client(sockfd: number): void {
  const sndbuf = Buffer.alloc(MAXIN);
  const rcvbuf = Buffer.alloc(MAXIN);
  for (;;) {
    const len = read(0, sndbuf, MAXIN); /* the request, from stdin */
    if (len === 0) return;
    write(sockfd, sndbuf, len); /* send */
    for (let got = 0; got < len;) { /* receive the whole echo */
      const n = read(sockfd, rcvbuf, len - got);
      if (n === 0) return;
      write(1, rcvbuf, n); /* echo */
      got += n;
    }
  }
}

// Create a socket
const server = lookup_host(host_name, port_name);
const sock_fd = socket(server.family, server.socktype, server.protocol);
// Connect to specified host and port
connect(sock_fd, server.address);
// Carry out Client-Server protocol
run_client(sock_fd);
/* Clean up on termination */
close(sock_fd);
