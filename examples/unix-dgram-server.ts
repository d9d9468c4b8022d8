// Seed 000, datagrams over AF_UNIX: the server binds a socket file and answers each datagram to
// its sender's address (recvfrom says who sent it; sendto answers there).
// Run: node build-examples/unix-dgram-server.js <path> [messages=1]
// Its C twin: examples/c/unix_dgram_server.c.
import * as fs from 'node:fs';
import { bind, close, recvfrom, sendto, socket, AF_UNIX, SOCK_DGRAM, type SockAddr } from 'posix-ipc';

const [path = 'unix_dgram_socket', messages = '1'] = process.argv.slice(2);

// A Linux abstract name starts with a NUL byte; show it as ss(8) does, with an @.
function name(a: SockAddr | null): string {
  if (a === null || a.family !== 'AF_UNIX' || a.path === '') return '(unnamed)';
  return a.path.startsWith('\0') ? `@${a.path.slice(1)}` : a.path;
}

fs.rmSync(path, { force: true });
const sockfd = socket(AF_UNIX, SOCK_DGRAM, 0);
bind(sockfd, { family: 'AF_UNIX', path });
console.log(`Server bound to ${path}`);

const buf = Buffer.alloc(256);
for (let i = 0; messages === '0' || i < Number(messages); i++) {
  const [n, src] = recvfrom(sockfd, buf, buf.length, 0);
  const msg = buf.toString('utf8', 0, n);
  console.log(`Received: ${msg} from ${name(src)}`);
  if (src !== null) sendto(sockfd, `Echo: ${msg}`, undefined, 0, src); // an unnamed sender cannot be answered
}
close(sockfd);
fs.rmSync(path, { force: true });
