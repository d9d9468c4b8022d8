// Smoke test of bench/ (npm run bench): a quick run of two workloads prints the table. Speed itself
// is never asserted here: the numbers are for bench/, measured against C in the same run.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');

// Under AddressSanitizer (npm run test:asan) timings mean nothing and the run is many times slower.
const sanitized = /libasan/.test(process.env.LD_PRELOAD ?? '');

describe.skipIf(sanitized)('bench', () => {
  it('bench --quick runs every implementation of a workload and prints one table with ratios to C', () => {
    const r = spawnSync(process.execPath, ['bench/run.js', '--quick', '--only', 'percall,pingpong-pipe,fork'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toContain('run 1/1');
    expect(r.status).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('| '));
    expect(rows[0]).toMatch(/^\| workload \| unit \| C \| posix-ipc \| ×C \|/);
    const percall = rows.find((l) => l.startsWith('| per-call'));
    // C, then posix-ipc with its ratio, e.g. "| 512 ±0% | 702 ±0% | 1.37× |"
    expect(percall).toMatch(/\| ns\/pair \| [\d.]+ ±\d+% \| [\d.]+ ±\d+% \| [\d.]+× \|/);
    expect(rows.find((l) => l.startsWith('| fork'))).toMatch(/n\/a/);
    expect(r.stdout).toMatch(/Machine: .*Node v/);
  }, 150_000);
});
