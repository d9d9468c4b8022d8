// Seed 004, "TCP/IP: TCP at The Server": socket -> bind -> listen -> accept, then recv "hello"
// and send "hello back". Prints the addresses as the slide's printf("%d:%d") does (the 32-bit
// s_addr and sin_port, both in network byte order), then readably.
// Run: node build-examples/tcp-server.js [port=2021] [address=127.0.0.1] [clients=0: forever]
// Its C twin: examples/c/tcp_server.c.
import {
  accept, bind, close, getsockname, htons, inet_pton, listen, recv, send, socket, AF_INET, SOCK_STREAM,
  type SockAddr,
} from 'posix-ipc';

const [port = '2021', address = '127.0.0.1', clients = '0'] = process.argv.slice(2);

// What C's printf("%d:%d", sin.sin_addr, sin.sin_port) shows for an address.
function slide(a: SockAddr): string {
  if (a.family !== 'AF_INET') return '?';
  const s_addr = new Int32Array(inet_pton(AF_INET, a.address).buffer)[0];
  return `${s_addr}:${htons(a.port)} (${a.address}:${a.port})`;
}

// 1) Creating Socket
const domain = AF_INET; // Network Protocol: TCP/IP
const type = SOCK_STREAM; // Connection-Oriented
const protocol = 0; // Default transport: TCP for Internet connection-oriented
const server_sd = socket(domain, type, protocol);
console.log(`socket has created for The Server with sd:${server_sd}`);

// 2) Binding to an Address (MUST)
const server_sin: SockAddr = { family: 'AF_INET', address, port: Number(port) };
try {
  bind(server_sd, server_sin);
} catch (e) {
  console.log(`error in binding The Server to the address:port = ${slide(server_sin)}: ${(e as Error).message}`);
  process.exit(1);
}

// 3) Wait for Clients' Calls (up to 5 calls wait; more are rejected)
listen(server_sd, 5);
// Printed once listening (the slide prints it right after bind), so a client started when this line
// appears always finds the server ready.
console.log(`The Server bound to the address:port = ${slide(getsockname(server_sd))}`);

// 4) Accept Clients' Call, 5) Communicate: each connection has its own sd
for (let served = 0; clients === '0' || served < Number(clients); served++) {
  const [result, client_sin] = accept(server_sd);
  console.log(`The Server opened the request from client ${slide(client_sin)}`);
  const msg = Buffer.alloc(10);
  const n = recv(result, msg, 10, 0);
  const end = msg.indexOf(0);
  console.log(msg.toString('utf8', 0, end >= 0 && end < n ? end : n));
  send(result, 'hello back\0', 11, 0);
  close(result);
}
close(server_sd);
