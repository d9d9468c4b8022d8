// Seed 000, "Datagram Socket demo" (datagram_socket_client) over UDP: send one datagram to the
// server (the kernel gives this socket a port on the way) and print the answer and its sender.
// Run: node build-examples/udp-client.js <port> [address=127.0.0.1] [message]
// Its C twin: examples/c/udp_client.c.
import { close, recvfrom, sendto, socket, AF_INET, SOCK_DGRAM, type SockAddr } from 'posix-ipc';

const [port = '2021', address = '127.0.0.1', message = 'Hello from the client'] = process.argv.slice(2);

function name(a: SockAddr | null): string {
  return a !== null && a.family !== 'AF_UNIX' ? `${a.address}:${a.port}` : '(unknown)';
}

const sockfd = socket(AF_INET, SOCK_DGRAM, 0);
sendto(sockfd, message, undefined, 0, { family: 'AF_INET', address, port: Number(port) });
const buf = Buffer.alloc(1024);
const [n, src] = recvfrom(sockfd, buf, buf.length, 0);
console.log(`Received: ${buf.toString('utf8', 0, n)} from ${name(src)}`);
close(sockfd);
