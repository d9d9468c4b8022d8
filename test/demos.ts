// The socket demos of the lectures, each run as a server and a client in separate processes: the
// TypeScript examples (examples/*.ts), their C twins (examples/c, built by buildCExamples) or a
// python3 client using Python's own socket module. Loopback only; ports from the kernel (0),
// socket files in a temp directory.
import { expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { htonl, htons, INADDR_LOOPBACK } from 'posix-ipc';
import { example, socketPath, start, type Running } from './socket-helpers';

export type Side = 'ts' | 'c' | 'python';

const root = path.resolve(__dirname, '..');
const cBuild = path.join(root, 'build-examples-c');

/** Configures and builds examples/c with CMake into build-examples-c/. Throws with the output if that fails. */
export function buildCExamples(): void {
  for (const args of [['-S', path.join(root, 'examples', 'c'), '-B', cBuild, '-DCMAKE_BUILD_TYPE=Release'], ['--build', cBuild, '-j', '2']]) {
    const r = spawnSync('cmake', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cmake ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  }
}

function program(side: Side, ts: string, c: string, args: string[], python?: string): [string, string[]] {
  if (side === 'python') return ['python3', ['-c', python!, ...args]];
  if (side === 'c') return [path.join(cBuild, c), args];
  const [node, script] = example(ts);
  return [node, [...script, ...args]];
}

export interface DemoRun {
  server: string;
  client: string;
  serverCode: number | null;
  clientCode: number | null;
  serverErr: string;
  clientErr: string;
}

async function demo(
  server: [string, string[]], ready: RegExp, readyStream: 'stdout' | 'stderr',
  client: (match: RegExpMatchArray) => [string, string[]], input = '',
): Promise<DemoRun> {
  const s = start(...server);
  let c: Running | undefined;
  let timer: NodeJS.Timeout | undefined;
  // A demo that hangs fails with what both sides printed, instead of a bare test timeout.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(async () => {
      for (const p of [s, c]) if (p && p.child.exitCode === null) p.child.kill();
      const [so, co] = [await s.done, c ? await c.done : undefined];
      reject(new Error(`demo timed out\nserver ${server.join(' ')}:\n${so.stdout}${so.stderr}\nclient:\n${co ? co.stdout + co.stderr : '(not started)'}`));
    }, 15_000);
  });
  try {
    const run = (async () => {
      const m = await s.waitFor(ready, readyStream);
      c = start(...client(m), input);
      const [cr, sr] = [await c.done, await s.done];
      return { server: sr.stdout, client: cr.stdout, serverCode: sr.code, clientCode: cr.code, serverErr: sr.stderr, clientErr: cr.stderr };
    })();
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
    if (s.child.exitCode === null) s.child.kill();
  }
}

const pyTcp = `
import socket, sys
s = socket.create_connection((sys.argv[2], int(sys.argv[1])))
s.sendall(b'hello\\0')
print(s.recv(10).split(b'\\0')[0].decode())`;

/** Seed 004: "hello" / "hello back" over TCP; the server serves one client. */
export function tcpDemo(serverSide: Side, clientSide: Side): Promise<DemoRun> {
  return demo(
    program(serverSide, 'tcp-server', 'tcp_server', ['0', '127.0.0.1', '1']),
    /The Server bound to the address:port = -?\d+:\d+ \(127\.0\.0\.1:(\d+)\)\n/, 'stdout',
    (m) => program(clientSide, 'tcp-client', 'tcp_client', [m[1]!, '127.0.0.1'], pyTcp),
  );
}

const pyEcho = `
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])))
for line in sys.stdin.buffer:
    s.sendall(line)
    got = b''
    while len(got) < len(line):
        got += s.recv(len(line) - len(got))
    sys.stdout.buffer.write(got)`;

/** Seed 001: the echo server (one client) and a client echoing its stdin. */
export function echoDemo(serverSide: Side, clientSide: Side, input: string): Promise<DemoRun> {
  return demo(
    program(serverSide, 'echo-server', 'echo_server', ['0', '127.0.0.1', '1']),
    /Listening on 127\.0\.0\.1:(\d+)\n/, 'stderr',
    (m) => program(clientSide, 'echo-client', 'echo_client', ['127.0.0.1', m[1]!], pyEcho),
    input,
  );
}

const pyUnixStream = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode())
print('Received: ' + s.recv(256).decode())`;

/** Seed 000: the AF_UNIX stream server and client; the client sends `message`. */
export function unixStreamDemo(serverSide: Side, clientSide: Side, message: string): Promise<DemoRun> {
  const p = socketPath('stream');
  return demo(
    program(serverSide, 'unix-stream-server', 'unix_stream_server', [p, '1']),
    /Server listening on .*\n/, 'stdout',
    () => program(clientSide, 'unix-stream-client', 'unix_stream_client', [p, message], pyUnixStream),
  );
}

const pyUnixDgram = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind('')  # autobind: an abstract name the server can answer
s.sendto(sys.argv[2].encode(), sys.argv[1])
data, src = s.recvfrom(256)
print('Received: ' + data.decode() + ' from ' + src)`;

/** Seed 000: AF_UNIX datagrams; the server answers the client's autobound abstract name. */
export function unixDgramDemo(serverSide: Side, clientSide: Side, message: string): Promise<DemoRun & { path: string }> {
  const p = socketPath('dgram');
  return demo(
    program(serverSide, 'unix-dgram-server', 'unix_dgram_server', [p, '1']),
    /Server bound to .*\n/, 'stdout',
    () => program(clientSide, 'unix-dgram-client', 'unix_dgram_client', [p, message], pyUnixDgram),
  ).then((r) => ({ ...r, path: p }));
}

const pyUdp = `
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(sys.argv[3].encode(), (sys.argv[2], int(sys.argv[1])))
data, src = s.recvfrom(1024)
print('Received: %s from %s:%d' % (data.decode(), src[0], src[1]))`;

/** Seed 000: UDP datagrams; the server answers the address recvfrom reported. */
export function udpDemo(serverSide: Side, clientSide: Side, message: string): Promise<DemoRun & { port: number }> {
  let port = 0;
  return demo(
    program(serverSide, 'udp-server', 'udp_server', ['0', '127.0.0.1', '1']),
    /UDP server on 127\.0\.0\.1:(\d+)\n/, 'stdout',
    (m) => {
      port = Number(m[1]);
      return program(clientSide, 'udp-client', 'udp_client', [m[1]!, '127.0.0.1', message], pyUdp);
    },
  ).then((r) => ({ ...r, port }));
}

// What each demo must print, whoever runs each side.

const s_addr = String(htonl(INADDR_LOOPBACK) | 0);   // 127.0.0.1 as the slide's printf("%d") shows s_addr
const slide = (port: number) => `${s_addr}:${htons(port)} \\(127\\.0\\.0\\.1:${port}\\)`;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function checkTcp(r: DemoRun, clientSide: Side): void {
  expect(r.serverErr + r.clientErr).toBe('');
  expect([r.serverCode, r.clientCode]).toEqual([0, 0]);
  const m = new RegExp(`^socket has created for The Server with sd:\\d+\\nThe Server bound to the address:port = ${s_addr}:(\\d+) \\(127\\.0\\.0\\.1:(\\d+)\\)\\n` +
    `The Server opened the request from client ${s_addr}:(\\d+) \\(127\\.0\\.0\\.1:(\\d+)\\)\\nhello\\n$`).exec(r.server);
  expect(m, r.server).not.toBeNull();
  const [serverPort, clientPort] = [Number(m![2]), Number(m![4])];
  expect(Number(m![1])).toBe(htons(serverPort));   // the slide prints sin_port in network byte order
  expect(Number(m![3])).toBe(htons(clientPort));
  if (clientSide === 'python') expect(r.client).toBe('hello back\n');
  else expect(r.client).toMatch(new RegExp(`^socket has created for the client with sd:\\d+\\nclient is connected to The Server at address:port = ${slide(serverPort)}\\nhello back\\n$`));
}

export function checkEcho(r: DemoRun, input: string): void {
  expect(r.clientErr).toBe('');
  expect([r.serverCode, r.clientCode]).toEqual([0, 0]);
  expect(r.client).toBe(input);
  expect(r.server).toBe(input);
}

export function checkUnixStream(r: DemoRun, message: string): void {
  expect(r.serverErr + r.clientErr).toBe('');
  expect([r.serverCode, r.clientCode]).toEqual([0, 0]);
  expect(r.server).toMatch(new RegExp(`^Server listening on .*\\nReceived: ${escape(message)}\\n$`));
  expect(r.client).toBe('Received: Hello from the server\n');
}

export function checkUnixDgram(r: DemoRun & { path: string }, message: string): void {
  expect(r.serverErr + r.clientErr).toBe('');
  expect([r.serverCode, r.clientCode]).toEqual([0, 0]);
  expect(r.server).toMatch(new RegExp(`^Server bound to ${escape(r.path)}\\nReceived: ${escape(message)} from @[0-9a-f]+\\n$`));
  expect(r.client).toBe(`Received: Echo: ${message} from ${r.path}\n`);
}

export function checkUdp(r: DemoRun & { port: number }, message: string): void {
  expect(r.serverErr + r.clientErr).toBe('');
  expect([r.serverCode, r.clientCode]).toEqual([0, 0]);
  expect(r.server).toMatch(new RegExp(`^UDP server on 127\\.0\\.0\\.1:${r.port}\\nReceived: ${escape(message)} from 127\\.0\\.0\\.1:\\d+\\n$`));
  expect(r.client).toBe(`Received: Echo: ${message} from 127.0.0.1:${r.port}\n`);
}
