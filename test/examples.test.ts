// The examples in examples/ run as a user runs them (compiled to build-examples/ by `npm run
// build:ts`) and print what the lecture's C demo prints.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import {
  checkEcho, checkTcp, checkUdp, checkUnixDgram, checkUnixStream, echoDemo, tcpDemo, udpDemo, unixDgramDemo, unixStreamDemo,
} from './demos';

const dir = path.resolve(__dirname, '..', 'build-examples');
export function runExample(name: string, args: string[] = []) {
  return spawnSync(process.execPath, [path.join(dir, `${name}.js`), ...args], { encoding: 'utf8', timeout: 30_000 });
}

describe('examples', () => {
  it('pipe-one-process: Sent and Rcvd the same 20 bytes', () => {
    const r = runExample('pipe-one-process');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('Sent: Message in a pipe. [20, 20]\nRcvd: Message in a pipe. [20]\n');
  });

  it('promises-one-process: a server and three clients over pipes in one process', () => {
    const r = runExample('promises-one-process');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('alpha got: HELLO FROM ALPHA\nbeta got: HELLO FROM BETA\ngamma got: HELLO FROM GAMMA\n');
  });
});

// The socket demos, server and client each in its own process, both TypeScript (test/interop.test.ts
// pairs them with their C twins and with Python).
describe('socket examples', () => {
  it('tcp-server / tcp-client (seed 004): "hello", "hello back", and the addresses as the slide prints them', async () => {
    checkTcp(await tcpDemo('ts', 'ts'), 'ts');
  });

  it('echo-server / echo-client (seed 001): every line comes back, and the server prints it', async () => {
    checkEcho(await echoDemo('ts', 'ts', 'one\ntwo\nthree\n'), 'one\ntwo\nthree\n');
  });

  it('unix-stream-server / unix-stream-client (seed 000)', async () => {
    checkUnixStream(await unixStreamDemo('ts', 'ts', 'Hello from the client'), 'Hello from the client');
  });

  it('unix-dgram-server / unix-dgram-client (seed 000): the answer goes to the client\'s autobound name', async () => {
    checkUnixDgram(await unixDgramDemo('ts', 'ts', 'Hello from the client'), 'Hello from the client');
  });

  it('udp-server / udp-client (seed 000)', async () => {
    checkUdp(await udpDemo('ts', 'ts', 'Hello from the client'), 'Hello from the client');
  });

  it('tcp-client reports a refused connection as the slide does, and exits 1', () => {
    const probe = runExample('tcp-client', ['1', '127.0.0.1']);
    expect(probe.status).toBe(1);
    expect(probe.stdout).toMatch(/error in connecting to The Server at address:port = \d+:\d+ \(127\.0\.0\.1:1\): connect ECONNREFUSED 127\.0\.0\.1:1 \(Connection refused\)/);
  });
});
