// Seed 000, "Unix Socket demo" (unix_socket_server): the server binds a socket file, listens,
// and for each client receives a message and answers it. The path is the address.
// Run: node build-examples/unix-stream-server.js <path> [clients=1]
// Its C twin: examples/c/unix_stream_server.c.
import * as fs from 'node:fs';
import { accept, bind, close, listen, recv, send, socket, AF_UNIX, SOCK_STREAM } from 'posix-ipc';

const [path = 'unix_socket', clients = '1'] = process.argv.slice(2);

fs.rmSync(path, { force: true }); // a socket file left by an earlier run would make bind fail (EADDRINUSE)
const listenfd = socket(AF_UNIX, SOCK_STREAM, 0);
bind(listenfd, { family: 'AF_UNIX', path });
listen(listenfd, 5);
console.log(`Server listening on ${path}`);

const buf = Buffer.alloc(256);
for (let served = 0; clients === '0' || served < Number(clients); served++) {
  const [connectfd] = accept(listenfd);
  const n = recv(connectfd, buf, buf.length, 0);
  console.log(`Received: ${buf.toString('utf8', 0, n)}`);
  send(connectfd, 'Hello from the server', undefined, 0);
  close(connectfd);
}
close(listenfd);
fs.rmSync(path, { force: true });
