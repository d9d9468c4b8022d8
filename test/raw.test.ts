import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as raw from 'posix-ipc/raw';

describe('posix-ipc/raw', () => {
  it('close(999) returns -1 and errno() gives 9 (EBADF)', () => {
    expect(raw.close(999)).toBe(-1);
    expect(raw.errno()).toBe(9);
  });

  it('a successful call returns C\'s value and leaves errno as it was', () => {
    expect(raw.close(999)).toBe(-1);
    const fds = raw.pipe();
    expect(fds).not.toBe(-1);
    const [r, w] = fds as [number, number];
    expect(raw.write(w, 'abc')).toBe(3);
    const buf = Buffer.alloc(4);
    expect(raw.read(r, buf)).toBe(3);
    expect(raw.close(r)).toBe(0);
    expect(raw.close(w)).toBe(0);
    expect(raw.errno()).toBe(9);
  });

  it('write with no reader: -1 and EPIPE (32)', () => {
    const [r, w] = raw.pipe() as [number, number];
    raw.close(r);
    expect(raw.write(w, 'x')).toBe(-1);
    expect(raw.errno()).toBe(32);
    raw.close(w);
  });

  it('strerror gives the system text', () => {
    expect(raw.strerror(9)).toBe('Bad file descriptor');
    expect(raw.strerror(32)).toBe('Broken pipe');
  });

  it('perror prints "msg: text" on fd 2', () => {
    const script = `const raw = require(${JSON.stringify(require.resolve('posix-ipc/raw'))}); raw.close(999); raw.perror('close');`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('close: Bad file descriptor\n');
  });

  it('wrong arguments still throw TypeError/RangeError', () => {
    expect(() => raw.close('x' as never)).toThrow(TypeError);
    expect(() => raw.read(0, Buffer.alloc(1), 2)).toThrow(RangeError);
  });

  it('sync calls are unaffected by a raw call that failed before them', async () => {
    const sync = await import('posix-ipc');
    raw.close(999);
    expect(() => sync.close(999)).toThrow(sync.SyscallError);
  });
});
