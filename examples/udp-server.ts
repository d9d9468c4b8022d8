// Seed 000, "Datagram Socket demo" (datagram_socket_server) over UDP: bind an IP address and
// port, then answer each datagram to the address recvfrom reports. No listen, no accept.
// Run: node build-examples/udp-server.js [port=0] [address=127.0.0.1] [messages=1]
// Its C twin: examples/c/udp_server.c.
import { bind, close, getsockname, recvfrom, sendto, socket, AF_INET, SOCK_DGRAM, type SockAddr } from 'posix-ipc';

const [port = '0', address = '127.0.0.1', messages = '1'] = process.argv.slice(2);

function name(a: SockAddr | null): string {
  return a !== null && a.family !== 'AF_UNIX' ? `${a.address}:${a.port}` : '(unknown)';
}

const sockfd = socket(AF_INET, SOCK_DGRAM, 0);
bind(sockfd, { family: 'AF_INET', address, port: Number(port) });
console.log(`UDP server on ${name(getsockname(sockfd))}`);

const buf = Buffer.alloc(1024);
for (let i = 0; messages === '0' || i < Number(messages); i++) {
  const [n, src] = recvfrom(sockfd, buf, buf.length, 0);
  const msg = buf.toString('utf8', 0, n);
  console.log(`Received: ${msg} from ${name(src)}`);
  sendto(sockfd, `Echo: ${msg}`, undefined, 0, src!);
}
close(sockfd);
