// Seed 000, datagrams over AF_UNIX: the client binds an address of its own (path '' autobinds a
// Linux abstract name), so that the server can answer, then sends one datagram and prints the
// answer with who sent it.
// Run: node build-examples/unix-dgram-client.js <path> [message]
// Its C twin: examples/c/unix_dgram_client.c.
import { bind, close, recvfrom, sendto, socket, AF_UNIX, SOCK_DGRAM, type SockAddr } from 'posix-ipc';

const [path = 'unix_dgram_socket', message = 'Hello from the client'] = process.argv.slice(2);

function name(a: SockAddr | null): string {
  if (a === null || a.family !== 'AF_UNIX' || a.path === '') return '(unnamed)';
  return a.path.startsWith('\0') ? `@${a.path.slice(1)}` : a.path;
}

const sockfd = socket(AF_UNIX, SOCK_DGRAM, 0);
bind(sockfd, { family: 'AF_UNIX', path: '' }); // autobind: an address to be answered at
sendto(sockfd, message, undefined, 0, { family: 'AF_UNIX', path });
const buf = Buffer.alloc(256);
const [n, src] = recvfrom(sockfd, buf, buf.length, 0);
console.log(`Received: ${buf.toString('utf8', 0, n)} from ${name(src)}`);
close(sockfd);
