// Seed 000, "Unix Socket demo" (unix_socket_client): connect to the server's socket file, send a
// message, print the answer.
// Run: node build-examples/unix-stream-client.js <path> [message]
// Its C twin: examples/c/unix_stream_client.c.
import { close, connect, recv, send, socket, AF_UNIX, SOCK_STREAM } from 'posix-ipc';

const [path = 'unix_socket', message = 'Hello from the client'] = process.argv.slice(2);

const sockfd = socket(AF_UNIX, SOCK_STREAM, 0);
connect(sockfd, { family: 'AF_UNIX', path });
send(sockfd, message, undefined, 0);
const buf = Buffer.alloc(256);
const n = recv(sockfd, buf, buf.length, 0);
console.log(`Received: ${buf.toString('utf8', 0, n)}`);
close(sockfd);
