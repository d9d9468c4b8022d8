// 2,000 forks in a row while the parent allocates heavily; each child does pipe I/O and _exit.
// Every child must end by itself, with the right status and reply: zero hangs, zero crashes.
// The run is test/fixtures/fork-stress.cjs, in a fresh node (see there why), waited for without
// blocking this worker's event loop (vitest's runner talks to it meanwhile).
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

describe('fork under stress', () => {
  it('2000 forks with pipe I/O in each child, the parent allocating heavily: no hang, no crash', async () => {
    const fixture = path.join(__dirname, 'fixtures', 'fork-stress.cjs');
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [fixture, '2000'], {
      encoding: 'utf8',
      timeout: 1_500_000,
    });
    expect(stderr).toBe('');
    const result = JSON.parse(stdout);
    console.log(`fork stress: ${JSON.stringify(result)}`);
    expect(result).toMatchObject({ forks: 2000, hangs: 0, crashes: 0, failures: [] });
  }, 1_600_000);
});
