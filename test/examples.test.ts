// The examples in examples/ run as a user runs them (compiled to build-examples/ by `npm run
// build:ts`) and print what the lecture's C demo prints.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

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
