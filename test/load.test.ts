// Load: the echo servers of examples/ (a poll loop, promises, a process per client) each serve
// 1,000 concurrent clients sending 1 MiB each, over TCP loopback and AF_UNIX; every byte is
// checked by the C client, every client must be answered, no process may be left behind, all
// within a time limit. test/load/run.js does the work (`npm run test:load` runs it alone and
// prints the figures). Under AddressSanitizer (npm run test:asan) the same runs use the sanitized
// addon, except the fork server's: GCC 12's ASan runtime has no fork interceptor, so a forked
// Node child that allocates (V8 compiling a function on its first call does) can wait for ever on
// an allocator lock another thread held at the fork (seen with gdb: __asan::Allocator::Allocate
// in the child).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const BYTES = 1 << 20;
const sanitized = /libasan/.test(process.env.LD_PRELOAD ?? '');
const forkSkip = sanitized ? 'under ASan: its forked children run JavaScript, which allocates, and GCC 12 ASan\'s allocator is not fork-safe' : undefined;
if (forkSkip) console.log(`load fork: skipped, ${forkSkip}`);
interface Record {
  server: string;
  transport: string;
  problems: string[];
  answered: number;
  bytesVerified: number;
  peak: number;
}
interface Summary { runs: number; failed: number; skipped: { server: string; reason: string }[]; records: Record[] }

function load(servers: string, clients: number): Summary {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'load', 'run.js'), '--servers', servers, '--clients', String(clients), '--bytes', String(BYTES), '--timeout', '120'], {
    encoding: 'utf8', timeout: 600_000,
  });
  const lines = r.stdout.trim().split('\n');
  for (const line of lines.slice(0, -1)) console.log(line);
  expect(r.signal, r.stderr).toBeNull();
  const summary = JSON.parse(lines[lines.length - 1]!) as Summary;
  for (const rec of summary.records) {
    expect(rec.problems, `${rec.server} over ${rec.transport}`).toEqual([]);
    expect(rec).toMatchObject({ answered: clients, bytesVerified: clients * BYTES, peak: clients });
  }
  expect(summary.failed).toBe(0);
  expect(r.status).toBe(0);
  return summary;
}

const ran = (s: Summary) => s.records.map((rec) => `${rec.server} ${rec.transport}`);

describe('load', () => {
  it('poll-loop and promise servers: 1000 concurrent clients x 1 MiB each, over TCP and AF_UNIX, every byte checked', () => {
    const s = load('poll,promises', 1000);
    expect(ran(s)).toEqual(expect.arrayContaining(['poll tcp', 'poll unix', 'promises tcp', 'promises unix']));
  }, 700_000);

  it.skipIf(forkSkip !== undefined)('fork-per-client server: 1000 concurrent clients x 1 MiB each, over TCP and AF_UNIX, all children reaped', () => {
    const s = load('fork', 1000);
    expect(ran(s)).toEqual(expect.arrayContaining(['fork tcp', 'fork unix']));
  }, 700_000);
});
