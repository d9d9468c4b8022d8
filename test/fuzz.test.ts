// Hostile arguments: every exported function, thousands of generated argument lists, in a child
// process. Each call returns or throws TypeError/RangeError/SyscallError (or rejects so); the
// process never crashes. A fixed seed is always replayed; a fresh seed is printed so a failure can
// be replayed with `node test/fuzz/fuzz.js --seed N`.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const FIXED_SEED = 20261122;
// The fixed seed replays 12,000 calls; each run's fresh seed makes 20,000 more.
const FIXED_CALLS = 12_000;
const FRESH_CALLS = 20_000;

function fuzz(seed: number, calls: number) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'posix-ipc-fuzzout-')), 'result.json');
  const r = spawnSync(process.execPath, [path.join(__dirname, 'fuzz', 'fuzz.js'), '--seed', String(seed), '--calls', String(calls), '--out', out], {
    cwd: root, stdio: 'ignore', timeout: 240_000,
  });
  const result = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : null;
  return { status: r.status, signal: r.signal, result };
}

describe('fuzz', () => {
  for (const [label, seed, CALLS] of [['fixed seed', FIXED_SEED, FIXED_CALLS], ['fresh seed', (Date.now() ^ process.pid) >>> 0, FRESH_CALLS]] as const) {
    it(`${label} ${seed}: ${CALLS} calls, each returns or throws an allowed error, no crash`, () => {
      console.log(`fuzz ${label}: replay with node test/fuzz/fuzz.js --seed ${seed} --calls ${CALLS}`);
      const { status, signal, result } = fuzz(seed, CALLS);
      expect(signal, `the fuzzer died of a signal (seed ${seed})`).toBeNull();
      expect(result, `the fuzzer wrote no result (seed ${seed})`).not.toBeNull();
      expect(result.crash).toBeUndefined();
      expect(result.failures).toEqual([]);
      expect(status).toBe(0);
      expect(result.calls).toBe(CALLS);
      expect({ unsettled: result.unsettled, stillPending: result.stillPending }).toEqual({ unsettled: 0, stillPending: [] });
      expect(result.functions).toBeGreaterThanOrEqual(10);
      // The fuzzer reaches the kernel too, not only the validators.
      expect(result.returned).toBeGreaterThan(CALLS / 20);
      expect(result.syscallError).toBeGreaterThan(CALLS / 50);
      expect(result.typeError + result.rangeError).toBeGreaterThan(CALLS / 10);
    }, 300_000);
  }
});
