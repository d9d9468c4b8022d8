// A socket server and many clients in one process: with posix-ipc/promises every call that waits
// (accept, connect, send, recv, sendto, recvfrom) lets the others run, so one script does what C
// needs a process (or a thread) per client for. Each client sends its own byte pattern, the server
// echoes it, and the client checks every byte that comes back.
// Run: npm run build:ts && node build-examples/promises-server-clients.js [tcp|unix|dgram] [clients]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bind, close, getsockname, listen, shutdown, socket, type SockAddr } from 'posix-ipc';
import {
  accept, connect, recv, recvfrom, send, sendto, AF_INET, AF_UNIX, SHUT_WR, SOCK_DGRAM, SOCK_STREAM,
} from 'posix-ipc/promises';

const transport = process.argv[2] ?? 'tcp';
const clients = Number(process.argv[3] ?? 100);
const STREAM_BYTES = 100_000; // per client: more than a socket buffer, so sends and recvs wait
const DATAGRAMS = 40; // per client, of DATAGRAM_BYTES each
const DATAGRAM_BYTES = 1000;

/** Client i's bytes: a pattern no other client sends. */
function pattern(i: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let k = 0; k < size; k++) b[k] = (k * 31 + i * 7 + (k >> 8)) & 0xff;
  return b;
}

/** Sends all of `data`, as many send() calls as it takes. */
async function sendAll(fd: number, data: Buffer): Promise<void> {
  for (let sent = 0; sent < data.length;) sent += await send(fd, data.subarray(sent));
}

// ---- streams: TCP or AF_UNIX -------------------------------------------------------------------

async function echo(fd: number): Promise<number> {
  const buf = Buffer.alloc(16384);
  let total = 0;
  for (let n; (n = await recv(fd, buf)) > 0;) {
    await sendAll(fd, buf.subarray(0, n));
    total += n;
  }
  close(fd); // the client then reads 0: end of stream
  return total;
}

async function streamServer(listener: number): Promise<number> {
  const sessions: Promise<number>[] = [];
  for (let i = 0; i < clients; i++) {
    const [fd] = await accept(listener); // meanwhile the clients and the other sessions run
    sessions.push(echo(fd));
  }
  return (await Promise.all(sessions)).reduce((a, b) => a + b, 0);
}

async function streamClient(i: number, domain: number, address: SockAddr): Promise<boolean> {
  const fd = socket(domain, SOCK_STREAM);
  await connect(fd, address);
  const data = pattern(i, STREAM_BYTES);
  const sending = (async () => {
    for (let sent = 0; sent < data.length;) {
      const chunk = 1 + ((sent * 7919 + i * 104729) % 20000); // uneven pieces
      sent += await send(fd, data.subarray(sent, Math.min(data.length, sent + chunk)));
    }
    shutdown(fd, SHUT_WR); // "that is all": the server's recv returns 0
  })();
  const got = Buffer.alloc(STREAM_BYTES + 1);
  let n = 0;
  for (let k; (k = await recv(fd, got.subarray(n))) > 0;) n += k;
  await sending;
  close(fd);
  return n === STREAM_BYTES && got.subarray(0, n).equals(data);
}

// ---- AF_UNIX datagrams --------------------------------------------------------------------------

async function dgramServer(fd: number): Promise<number> {
  const buf = Buffer.alloc(DATAGRAM_BYTES + 1);
  for (let i = 0; i < clients * DATAGRAMS; i++) {
    const [n, src] = await recvfrom(fd, buf);
    await sendto(fd, buf.subarray(0, n), src!); // back to the client's own name
  }
  return clients * DATAGRAMS * DATAGRAM_BYTES;
}

async function dgramClient(i: number, server: SockAddr, dir: string): Promise<boolean> {
  const fd = socket(AF_UNIX, SOCK_DGRAM);
  bind(fd, { family: 'AF_UNIX', path: path.join(dir, `client-${i}`) }); // so the server can answer
  const data = pattern(i, DATAGRAMS * DATAGRAM_BYTES);
  const sending = (async () => {
    for (let k = 0; k < DATAGRAMS; k++) await sendto(fd, data.subarray(k * DATAGRAM_BYTES, (k + 1) * DATAGRAM_BYTES), server);
  })();
  const got = Buffer.alloc(data.length);
  let ok = true;
  for (let k = 0; k < DATAGRAMS; k++) {
    const [n, src] = await recvfrom(fd, got.subarray(k * DATAGRAM_BYTES));
    ok &&= n === DATAGRAM_BYTES && src !== null && src.family === 'AF_UNIX' && src.path === (server as { path: string }).path;
  }
  await sending;
  close(fd);
  return ok && got.equals(data); // whole datagrams, in order
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promises-server-clients-'));
  let server: Promise<number>;
  let results: Promise<boolean>[];
  let serverFd: number;
  if (transport === 'dgram') {
    const address: SockAddr = { family: 'AF_UNIX', path: path.join(dir, 'server') };
    serverFd = socket(AF_UNIX, SOCK_DGRAM);
    bind(serverFd, address);
    server = dgramServer(serverFd);
    results = Array.from({ length: clients }, (_, i) => dgramClient(i, address, dir));
  } else {
    const domain = transport === 'unix' ? AF_UNIX : AF_INET;
    serverFd = socket(domain, SOCK_STREAM);
    bind(serverFd, domain === AF_UNIX ? { family: 'AF_UNIX', path: path.join(dir, 'server') } : { family: 'AF_INET', address: '127.0.0.1', port: 0 });
    listen(serverFd, 128);
    const address = getsockname(serverFd);
    server = streamServer(serverFd);
    results = Array.from({ length: clients }, (_, i) => streamClient(i, domain, address));
  }
  const [bytes, ...ok] = await Promise.all([server, ...results]);
  close(serverFd);
  fs.rmSync(dir, { recursive: true, force: true });
  const good = ok.filter(Boolean).length;
  console.log(`${transport}: ${good} of ${clients} clients got back every byte they sent (${bytes} bytes echoed)`);
  if (good !== clients) process.exitCode = 1;
}

void main();
