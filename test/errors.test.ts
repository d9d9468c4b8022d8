import { describe, expect, it } from 'vitest';
import * as util from 'node:util';
import { errnoName, strerror, SyscallError, check } from 'posix-ipc';

describe('SyscallError', () => {
  it('has Node\'s system-error shape: code, negative errno, syscall, context', () => {
    const e = new SyscallError(-111, 'connect', { address: '127.0.0.1', port: 2021 });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('SyscallError');
    expect(e.code).toBe('ECONNREFUSED');
    expect(e.errno).toBe(-111);
    expect(e.syscall).toBe('connect');
    expect(e.message.split('\n')[0]).toBe('connect ECONNREFUSED 127.0.0.1:2021 (Connection refused)');
    expect(e.message.split('\n')[1]).toBe(`  hint: ${e.hint}`);
    expect(e.path).toBeUndefined();
  });

  it('puts a path and an IPv6 address in the message', () => {
    expect(new SyscallError(2, 'open', { path: '/nope' }).message).toBe('open ENOENT "/nope" (No such file or directory)');
    expect(new SyscallError(111, 'connect', { address: '::1', port: 80 }).message).toMatch(/^connect ECONNREFUSED \[::1\]:80 \(Connection refused\)\n/);
  });

  it('names every errno the way util.getSystemErrorName does, where libuv knows it', () => {
    let compared = 0;
    for (let n = 1; n < 134; n++) {
      const node = util.getSystemErrorName(-n);
      if (node.startsWith('Unknown')) continue;
      expect(errnoName(n), `errno ${n}`).toBe(node);
      compared++;
    }
    expect(compared).toBeGreaterThan(60);
  });

  it('strerror is the system text', () => {
    expect(strerror(2)).toBe('No such file or directory');
    expect(strerror(-32)).toBe('Broken pipe');
  });

  it('check passes results >= 0 and throws for -errno', () => {
    expect(check(5, 'read')).toBe(5);
    expect(() => check(-9, 'close', { fd: 3 })).toThrow(/close EBADF fd 3/);
  });
});
