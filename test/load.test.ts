// Load: the echo servers (poll loop, promises, fork per client) each serve 1,000 concurrent
// clients sending 1 MiB each, over TCP loopback and AF_UNIX; every byte is checked by the C
// client, every client must be answered, no process may be left behind, all within a time limit.
// test/load/run.js does the work (`npm run test:load` runs it alone and prints the figures).
// Under AddressSanitizer (npm run test:asan) the servers run on the sanitized addon, full size:
// it takes seconds, not minutes.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const CLIENTS = 1000;
const BYTES = 1 << 20;

interface Record {
  server: string;
  transport: string;
  problems: string[];
  answered: number;
  bytesVerified: number;
  peak: number;
}
interface Summary { runs: number; failed: number; skipped: { server: string; reason: string }[]; records: Record[] }

describe('load', () => {
  it(`echo servers: ${CLIENTS} concurrent clients x ${BYTES} bytes each, over TCP and AF_UNIX, every byte checked`, () => {
    const r = spawnSync(process.execPath, [path.join(__dirname, 'load', 'run.js'), '--clients', String(CLIENTS), '--bytes', String(BYTES), '--timeout', '120'], {
      encoding: 'utf8', timeout: 600_000,
    });
    const lines = r.stdout.trim().split('\n');
    for (const line of lines.slice(0, -1)) console.log(line);
    expect(r.signal, r.stderr).toBeNull();
    const summary = JSON.parse(lines[lines.length - 1]!) as Summary;
    for (const rec of summary.records) {
      expect(rec.problems, `${rec.server} over ${rec.transport}`).toEqual([]);
      expect(rec).toMatchObject({ answered: CLIENTS, bytesVerified: CLIENTS * BYTES, peak: CLIENTS });
    }
    expect(summary.records.map((rec) => `${rec.server} ${rec.transport}`)).toContain('poll tcp');
    expect(summary.records.map((rec) => `${rec.server} ${rec.transport}`)).toContain('poll unix');
    expect(summary.failed).toBe(0);
    expect(r.status).toBe(0);
  }, 700_000);
});
