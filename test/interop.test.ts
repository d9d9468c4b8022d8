// Interoperation with programs posix-ipc did not write: the TypeScript servers of examples/ answer
// their C twins (examples/c, built here with CMake) and Python clients; the TypeScript clients talk
// to the C servers. TCP, UDP, and AF_UNIX stream and datagram, over loopback.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildCExamples, checkEcho, checkTcp, checkUdp, checkUnixDgram, checkUnixStream, echoDemo, tcpDemo, udpDemo,
  unixDgramDemo, unixStreamDemo, type Side,
} from './demos';

const pairs: [server: Side, client: Side][] = [['ts', 'c'], ['ts', 'python'], ['c', 'ts']];

describe('interoperation with C and Python', () => {
  beforeAll(() => buildCExamples(), 120_000);

  for (const [server, client] of pairs) {
    const who = `${server} server, ${client} client`;
    it(`TCP (seed 004): ${who}`, async () => {
      checkTcp(await tcpDemo(server, client), client);
    });
    it(`UDP: ${who}`, async () => {
      const message = `Hello from ${client}`;
      checkUdp(await udpDemo(server, client, message), message);
    });
    it(`AF_UNIX stream: ${who}`, async () => {
      const message = `Hello from ${client}`;
      checkUnixStream(await unixStreamDemo(server, client, message), message);
    });
    it(`AF_UNIX datagram: ${who}`, async () => {
      const message = `Hello from ${client}`;
      checkUnixDgram(await unixDgramDemo(server, client, message), message);
    });
    it(`echo (seed 001): ${who}`, async () => {
      const input = `from ${client}\nsecond line\n`;
      checkEcho(await echoDemo(server, client, input), input);
    });
  }

  it('the C twins print what the TypeScript examples print (TCP, seed 004)', async () => {
    const [c, ts] = [await tcpDemo('c', 'c'), await tcpDemo('ts', 'ts')];
    checkTcp(c, 'c');
    checkTcp(ts, 'ts');
    const shape = (s: string) => s.replace(/sd:\d+/g, 'sd:N').replace(/:\d+/g, ':P').replace(/ -?\d+:/g, ' A:');
    expect(shape(c.server)).toBe(shape(ts.server));
    expect(shape(c.client)).toBe(shape(ts.client));
  });
});
