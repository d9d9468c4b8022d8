import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { close, fcntl, pipe, pipe2, read, trace, tracing, write, F_GETFL, F_SETFL, O_CLOEXEC, O_NONBLOCK } from 'posix-ipc';
import * as raw from 'posix-ipc/raw';

function traced(f: () => void): string[] {
  const lines: string[] = [];
  trace((l) => lines.push(l));
  try {
    f();
  } finally {
    trace(false);
  }
  return lines.map((l) => l.replace(/^\[pid \d+\] /, ''));
}

describe('trace', () => {
  it('prints each call as strace does: decoded flags, quoted bytes, results and errors', () => {
    let fds: number[] = [];
    const lines = traced(() => {
      const [r, w] = pipe();
      fds = [r, w];
      write(w, 'hello\n');
      read(r, Buffer.alloc(64));
      fcntl(r, F_SETFL, O_NONBLOCK);
      fcntl(r, F_GETFL);
      try {
        read(r, Buffer.alloc(8));
      } catch {
        /* EAGAIN */
      }
      close(r);
      close(w);
      try {
        close(w);
      } catch {
        /* EBADF */
      }
    });
    const [r, w] = fds;
    expect(lines).toEqual([
      `pipe([${r}, ${w}]) = 0`,
      `write(${w}, "hello\\n", 6) = 6`,
      `read(${r}, "hello\\n", 64) = 6`,
      `fcntl(${r}, F_SETFL, O_RDONLY|O_NONBLOCK) = 0`,
      `fcntl(${r}, F_GETFL) = 0x800 (flags O_RDONLY|O_NONBLOCK)`,
      `read(${r}, 0x0, 8) = -1 EAGAIN (Resource temporarily unavailable)`,
      `close(${r}) = 0`,
      `close(${w}) = 0`,
      `close(${w}) = -1 EBADF (Bad file descriptor)`,
    ]);
  });

  it('prefixes each line with the calling process id', () => {
    const lines: string[] = [];
    trace((l) => lines.push(l));
    const [r, w] = pipe2(O_CLOEXEC);
    trace(false);
    close(r);
    close(w);
    expect(lines).toEqual([`[pid ${process.pid}] pipe2([${r}, ${w}], O_CLOEXEC) = 0`]);
  });

  it('traces posix-ipc/raw calls too, and escapes bytes like strace', () => {
    const lines = traced(() => {
      const [r, w] = raw.pipe() as [number, number];
      raw.write(w, Buffer.from([0, 1, 0x22, 0x5c, 0xff]));
      raw.close(r);
      raw.close(w);
    });
    expect(lines[1]).toMatch(/^write\(\d+, "\\0\\1\\"\\\\\\377", 5\) = 5$/);
  });

  it('long buffers are cut at 32 bytes with ...', () => {
    const lines = traced(() => {
      const [r, w] = pipe();
      write(w, 'x'.repeat(40));
      close(r);
      close(w);
    });
    expect(lines[1]).toMatch(/^write\(\d+, "x{32}"\.\.\., 40\) = 40$/);
  });

  it('off, the calls go straight to the addon again', () => {
    expect(tracing()).toBe(false);
    const lines: string[] = [];
    trace((l) => lines.push(l));
    expect(tracing()).toBe(true);
    expect(trace(false)).toBe(true);
    const [r, w] = pipe();
    close(r);
    close(w);
    expect(lines).toEqual([]);
  });

  it('POSIX_IPC_TRACE=1 traces to stderr from the start', () => {
    const script = `const p = require('posix-ipc'); const [r, w] = p.pipe(); p.close(r); p.close(w);`;
    const res = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, POSIX_IPC_TRACE: '1' }, cwd: path.resolve(__dirname, '..') });
    expect(res.status).toBe(0);
    expect(res.stderr).toMatch(new RegExp(`^\\[pid ${res.pid}\\] pipe\\(\\[(\\d+), (\\d+)\\]\\) = 0\\n\\[pid ${res.pid}\\] close\\(\\1\\) = 0\\n\\[pid ${res.pid}\\] close\\(\\2\\) = 0\\n$`));
  });

  it('trace(fd) writes to a descriptor; bad sinks are refused', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'posix-ipc-trace-')), 'trace.log');
    const fd = fs.openSync(file, 'w');
    trace(fd);
    const [r, w] = pipe();
    trace(false);
    fs.closeSync(fd);
    close(r);
    close(w);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^\[pid \d+\] pipe\(\[\d+, \d+\]\) = 0\n$/);
    expect(() => trace(-1)).toThrow(RangeError);
    expect(() => trace('yes' as never)).toThrow(TypeError);
  });

  it('agrees with strace: same calls, same fds, same results, same order', () => {
    const strace = spawnSync('strace', ['-V'], { encoding: 'utf8' });
    if (strace.error) {
      console.warn('strace is not installed: skipping the comparison (apt-get install strace)');
      return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posix-ipc-strace-'));
    const out = path.join(dir, 'strace.out');
    const script = `
      const p = require('posix-ipc');
      const [r, w] = p.pipe();
      p.write(w, 'ping');
      const b = Buffer.alloc(16); p.read(r, b);
      p.fcntl(r, p.F_SETFL, p.O_NONBLOCK);
      try { p.read(r, b); } catch {}
      p.close(w); p.close(r);
      try { p.close(w); } catch {}`;
    const res = spawnSync('strace', ['-f', '-qq', '-e', 'trace=pipe,pipe2,read,write,close,fcntl', '-e', 'signal=none', '-o', out, process.execPath, '-e', script],
      { encoding: 'utf8', env: { ...process.env, POSIX_IPC_TRACE: '1' }, cwd: path.resolve(__dirname, '..') });
    expect(res.status).toBe(0);
    const ours = res.stderr.trim().split('\n').map((l) => l.replace(/^\[pid (\d+)\] /, '$1 '));
    // strace: "PID call(args) = result"; glibc's pipe() is the pipe2 system call.
    const theirs = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => l.replace(/\s+/g, ' '));
    const normalise = (l: string) => l.replace(/ pipe\((\[\d+, \d+\])\)/, ' pipe2($1, 0)').replace(/read\((\d+), 0x0,/, 'read($1, ADDR,');
    const wanted = ours.map(normalise);
    const seen = theirs.map((l) => l.replace(/read\((\d+), 0x[0-9a-f]+,/, 'read($1, ADDR,'));
    // Every traced line appears in strace's output, in the same order (strace also shows Node's own calls).
    let at = 0;
    for (const line of wanted) {
      const found = seen.indexOf(line, at);
      expect(found, `strace has no "${line}" after line ${at}:\n${seen.slice(at, at + 30).join('\n')}`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
    expect(wanted.length).toBe(8);
  });
});
