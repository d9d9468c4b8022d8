import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const cli = path.resolve(__dirname, '..', 'dist', 'cli.js');

describe('the tour', () => {
  it('--list lists the chapters in lecture order', () => {
    const r = spawnSync(process.execPath, [cli, 'tour', '--list'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ 1\. pipe /m);
  });

  it('runs every chapter with no input and exits 0', () => {
    const r = spawnSync(process.execPath, [cli, 'tour'], { encoding: 'utf8', input: '', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Rcvd: "Message in a pipe.\\n" [19]');
    expect(r.stdout).toMatch(/child \d+ read 19 bytes: "Message in a pipe.\\n"/);
    expect(r.stdout).toMatch(/wc -l printed \d+; ls exited 0, wc exited 0/);
  });

  it('runs one chapter by id, and refuses an unknown one', () => {
    expect(spawnSync(process.execPath, [cli, 'tour', 'pipe'], { encoding: 'utf8' }).status).toBe(0);
    const bad = spawnSync(process.execPath, [cli, 'tour', 'nope'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('no chapter "nope"');
  });
});
