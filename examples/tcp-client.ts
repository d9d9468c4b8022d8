// Seed 004, "TCP/IP: TCP at Clients": socket -> connect, then send "hello" and print the answer.
// Run: node build-examples/tcp-client.js [port=2021] [address=127.0.0.1]
// Its C twin: examples/c/tcp_client.c.
import { close, connect, htons, inet_pton, recv, send, socket, AF_INET, SOCK_STREAM, type SockAddr } from 'posix-ipc';

const [port = '2021', address = '127.0.0.1'] = process.argv.slice(2);

// What C's printf("%d:%d", sin.sin_addr, sin.sin_port) shows for an address.
function slide(a: SockAddr): string {
  if (a.family !== 'AF_INET') return '?';
  const s_addr = new Int32Array(inet_pton(AF_INET, a.address).buffer)[0];
  return `${s_addr}:${htons(a.port)} (${a.address}:${a.port})`;
}

const client_sd = socket(AF_INET, SOCK_STREAM, 0);
console.log(`socket has created for the client with sd:${client_sd}`);

const server_sin: SockAddr = { family: 'AF_INET', address, port: Number(port) };
try {
  connect(client_sd, server_sin);
} catch (e) {
  console.log(`error in connecting to The Server at address:port = ${slide(server_sin)}: ${(e as Error).message}`);
  process.exit(1);
}
console.log(`client is connected to The Server at address:port = ${slide(server_sin)}`);

const response = Buffer.alloc(10);
send(client_sd, 'hello\0', 6, 0);
const n = recv(client_sd, response, 10, 0);
const end = response.indexOf(0);
console.log(response.toString('utf8', 0, end >= 0 && end < n ? end : n));
close(client_sd);
