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
        'writer exited with 0\nreader exited with 0\n',
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
