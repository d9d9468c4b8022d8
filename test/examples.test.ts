// The examples in examples/ run as a user runs them (compiled to build-examples/ by `npm run
// build:ts`) and print what the lecture's C demo prints.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { close, connect, poll, recv, send, socket, AF_INET, POLLIN, SOCK_STREAM } from 'posix-ipc';
import {
  checkEcho, checkTcp, checkUdp, checkUnixDgram, checkUnixStream, echoDemo, tcpDemo, udpDemo, unixDgramDemo, unixStreamDemo,
} from './demos';
import { example, start } from './socket-helpers';

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

  it('thread-pool-server (seed 001): worker threads serve connections by fd number, three at once', async () => {
    const [node, script] = example('thread-pool-server');
    const server = start(node, [...script, '0', '127.0.0.1', '4', '3']);
    const port = Number((await server.waitFor(/address:port = 127\.0\.0\.1:(\d+), 3 threads/))[1]);
    const sds = [1, 2, 3, 4].map(() => {
      const sd = socket(AF_INET, SOCK_STREAM, 0);
      connect(sd, { family: 'AF_INET', address: '127.0.0.1', port });
      return sd;
    });
    const buf = Buffer.alloc(256);
    const ask = (i: number): string => {
      send(sds[i]!, `hello ${i + 1}`);
      // A server with fewer than three threads busy at once would never answer connection 3
      // while 1 and 2 wait: fail instead of hanging.
      const ready = [{ fd: sds[i]!, events: POLLIN }];
      if (poll(ready, 10_000) === 0) throw new Error(`no answer on connection ${i + 1}: not served concurrently`);
      return buf.toString('utf8', 0, recv(sds[i]!, buf));
    };
    // Backwards: each of the first three is answered while the ones before it wait in their
    // threads' recv(); the fourth waited in the queue until a thread was free.
    let answers: string[];
    try {
      answers = [2, 1, 0, 3].map(ask);
    } catch (e) {
      server.child.kill();
      throw e;
    } finally {
      for (const sd of sds) close(sd);
    }
    const done = await server.done;
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(answers.map((a) => a.replace(/\d$/, 'N'))).toEqual(['hello 3 back, from thread N', 'hello 2 back, from thread N', 'hello 1 back, from thread N', 'hello 4 back, from thread N']);
    expect(new Set(answers.slice(0, 3).map((a) => a.slice(-1))).size).toBe(3);
    expect(done.stdout.match(/^thread [123] served fd \d+: hello [1-4]$/gm)).toHaveLength(4);
  });

  it('tcp-client reports a refused connection as the slide does, and exits 1', () => {
    const probe = runExample('tcp-client', ['1', '127.0.0.1']);
    expect(probe.status).toBe(1);
    expect(probe.stdout).toMatch(/error in connecting to The Server at address:port = \d+:\d+ \(127\.0\.0\.1:1\): connect ECONNREFUSED 127\.0\.0\.1:1 \(Connection refused\)/);
  });
});

// The process demos of seeds 000, 001 and 003.
describe('process examples', () => {
  it('pipe-parent-child: the parent writes, the child reads (seed 001)', () => {
    const r = runExample('pipe-parent-child');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    // The parent's and the child's lines may come in either order; the wait comes last.
    expect(lines.slice(0, 2).sort()).toEqual(['Child Rcvd: Message in a pipe. [18]', 'Parent: Message in a pipe. [18, 18]']);
    expect(lines[2]).toBe('Parent: child exited with 0');
  });

  it('fifo: two unrelated processes meet at a FIFO (seed 000)', () => {
    const r = runExample('fifo');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `mkfifo my_fifo: a FIFO, mode ${(0o644 & ~process.umask()).toString(8)}\n` +
        'reader received: "one\\ntwo\\nthree\\n"\n' +
        'reader exited with 0\nwriter exited with 0\n',
    );
  });

  const shell = () => spawnSync('sh', ['-c', 'ls / | wc -l'], { encoding: 'utf8' }).stdout;

  it('shell-pipe-fork: ls / | wc -l from pipe/fork/dup2/execvp/waitpid prints what sh prints (seed 003)', () => {
    const r = runExample('shell-pipe-fork');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(shell());
  });

  it('shell-pipe-spawn: the same with posix_spawnp', () => {
    const r = runExample('shell-pipe-spawn');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(shell());
  });
});
