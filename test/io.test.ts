import { describe, expect, it } from 'vitest';
import * as util from 'node:util';
import {
  close, fcntl, pipe, pipe2, read, write, SyscallError,
  F_GETFL, F_SETFL, F_GETFD, F_SETFD, FD_CLOEXEC, O_NONBLOCK, O_RDONLY, O_WRONLY, F_DUPFD,
} from 'posix-ipc';
import { openFds, refusedArguments, syscallError, type RefusedCase } from './helpers';

describe('read/write', () => {
  it('moves bytes from write to read in order, across several writes', () => {
    const [r, w] = pipe();
    expect(write(w, 'abc')).toBe(3);
    expect(write(w, Buffer.from('def'))).toBe(3);
    expect(write(w, new Uint8Array([103, 104]))).toBe(2);
    const buf = Buffer.alloc(16);
    expect(read(r, buf)).toBe(8);
    expect(buf.subarray(0, 8).toString()).toBe('abcdefgh');
    close(r);
    close(w);
  });

  it('honours count on both sides, and reads into part of a buffer through subarray', () => {
    const [r, w] = pipe();
    expect(write(w, 'hello world', 5)).toBe(5);
    const buf = Buffer.alloc(8, 0x2e);
    expect(read(r, buf.subarray(2), 3)).toBe(3);
    expect(buf.toString()).toBe('..hel...');
    expect(read(r, buf, 2)).toBe(2);
    expect(buf.subarray(0, 2).toString()).toBe('lo');
    close(r);
    close(w);
  });

  it('accepts any ArrayBufferView: DataView, Uint16Array, views with offsets, SharedArrayBuffer', () => {
    const [r, w] = pipe();
    const ab = new ArrayBuffer(8);
    new Uint8Array(ab).set([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(write(w, new DataView(ab, 2, 3))).toBe(3);
    expect(write(w, new Uint16Array(ab, 4, 2))).toBe(4);
    const shared = new Uint8Array(new SharedArrayBuffer(16));
    expect(read(r, shared)).toBe(7);
    expect([...shared.subarray(0, 7)]).toEqual([3, 4, 5, 5, 6, 7, 8]);
    close(r);
    close(w);
  });

  it('writes a string as UTF-8 and counts bytes, not characters', () => {
    const [r, w] = pipe();
    expect(write(w, 'é€')).toBe(5);
    const buf = Buffer.alloc(8);
    expect(read(r, buf)).toBe(5);
    expect(buf.subarray(0, 5).toString('utf8')).toBe('é€');
    close(r);
    close(w);
  });

  it('zero-length read and write return 0', () => {
    const [r, w] = pipe();
    expect(write(w, Buffer.alloc(0))).toBe(0);
    expect(write(w, 'x', 0)).toBe(0);
    expect(read(r, Buffer.alloc(4), 0)).toBe(0);
    close(r);
    close(w);
  });

  it('read on a closed descriptor throws EBADF with syscall and fd', () => {
    const [r, w] = pipe();
    close(r);
    close(w);
    const e = syscallError(() => read(r, Buffer.alloc(1)));
    expect(e).toBeInstanceOf(SyscallError);
    expect(e).toMatchObject({ code: 'EBADF', errno: -9, syscall: 'read', fd: r });
  });

  it('write on the read end throws EBADF; read on the write end throws EBADF', () => {
    const [r, w] = pipe();
    expect(syscallError(() => write(r, 'x'))).toMatchObject({ code: 'EBADF', syscall: 'write', fd: r });
    expect(syscallError(() => read(w, Buffer.alloc(1)))).toMatchObject({ code: 'EBADF', syscall: 'read', fd: w });
    close(r);
    close(w);
  });

  it('write with every reader gone throws EPIPE and the process lives (Node ignores SIGPIPE)', () => {
    const [r, w] = pipe();
    close(r);
    const e = syscallError(() => write(w, 'x'));
    expect(e).toMatchObject({ code: 'EPIPE', errno: -32, syscall: 'write', fd: w });
    expect(util.getSystemErrorName(e.errno as number)).toBe('EPIPE');
    close(w);
  });
});

describe('close', () => {
  it('closes: the descriptor disappears from /proc/self/fd', () => {
    const [r, w] = pipe();
    expect(openFds()).toContain(r);
    close(r);
    close(w);
    expect(openFds()).not.toContain(r);
    expect(openFds()).not.toContain(w);
  });

  it('close(999) throws SyscallError EBADF, errno -9, syscall close, fd 999', () => {
    const e = syscallError(() => close(999));
    expect(e).toBeInstanceOf(SyscallError);
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ name: 'SyscallError', code: 'EBADF', errno: -9, syscall: 'close', fd: 999 });
    expect((e.message as string).split('\n')[0]).toBe('close EBADF fd 999 (Bad file descriptor)');
    expect(e.hint).toMatch(/not open in this process/);
  });

  it('close(-1) reaches the kernel and fails with EBADF, as in C', () => {
    expect(syscallError(() => close(-1))).toMatchObject({ code: 'EBADF', syscall: 'close', fd: -1 });
  });
});

describe('fcntl', () => {
  it('F_GETFL reports the access mode of each pipe end; F_SETFL toggles O_NONBLOCK', () => {
    const [r, w] = pipe();
    expect(fcntl(r, F_GETFL) & 3).toBe(O_RDONLY);
    expect(fcntl(w, F_GETFL) & 3).toBe(O_WRONLY);
    expect(fcntl(r, F_GETFL) & O_NONBLOCK).toBe(0);
    expect(fcntl(r, F_SETFL, fcntl(r, F_GETFL) | O_NONBLOCK)).toBe(0);
    expect(fcntl(r, F_GETFL) & O_NONBLOCK).toBe(O_NONBLOCK);
    expect(syscallError(() => read(r, Buffer.alloc(1)))).toMatchObject({ code: 'EAGAIN', syscall: 'read' });
    close(r);
    close(w);
  });

  it('F_SETFD sets and clears FD_CLOEXEC', () => {
    const [r, w] = pipe();
    expect(fcntl(r, F_GETFD)).toBe(0);
    fcntl(r, F_SETFD, FD_CLOEXEC);
    expect(fcntl(r, F_GETFD) & FD_CLOEXEC).toBe(FD_CLOEXEC);
    fcntl(r, F_SETFD, 0);
    expect(fcntl(r, F_GETFD)).toBe(0);
    close(r);
    close(w);
  });

  it('F_DUPFD gives the lowest free descriptor >= arg, sharing the pipe', () => {
    const [r, w] = pipe();
    const d = fcntl(w, F_DUPFD, 100);
    expect(d).toBeGreaterThanOrEqual(100);
    write(d, 'via the copy');
    const buf = Buffer.alloc(32);
    expect(buf.subarray(0, read(r, buf)).toString()).toBe('via the copy');
    close(d);
    close(r);
    close(w);
  });

  it('fails with EBADF on a closed descriptor, and refuses commands that take pointers', () => {
    expect(syscallError(() => fcntl(999, F_GETFL))).toMatchObject({ code: 'EBADF', syscall: 'fcntl', fd: 999 });
    expect(() => fcntl(0, 5 /* F_GETLK */)).toThrow(RangeError);
    expect(() => fcntl(0, F_SETFL, 1.5)).toThrow(RangeError);
  });
});

describe('wrong arguments never reach the kernel', () => {
  const [r, w] = pipe2(0);
  const cases: RefusedCase[] = [
    ['read(fd, "text")', () => read(r, 'text' as never), TypeError],
    ['read(-1.5, buf)', () => read(-1.5, Buffer.alloc(1)), RangeError],
    ['read(NaN, buf)', () => read(NaN, Buffer.alloc(1)), RangeError],
    ['read(Infinity, buf)', () => read(Infinity, Buffer.alloc(1)), RangeError],
    ['read(2**31, buf)', () => read(2 ** 31, Buffer.alloc(1)), RangeError],
    ['read("3", buf)', () => read('3' as never, Buffer.alloc(1)), TypeError],
    ['read(fd)', () => (read as (fd: number) => number)(r), TypeError],
    ['read(fd, buf, -1)', () => read(r, Buffer.alloc(4), -1), RangeError],
    ['read(fd, buf, 5) past a 4-byte buffer', () => read(r, Buffer.alloc(4), 5), RangeError],
    ['read(fd, buf, 1.5)', () => read(r, Buffer.alloc(4), 1.5), RangeError],
    ['read(fd, buf, "1")', () => read(r, Buffer.alloc(4), '1' as never), TypeError],
    ['read(fd, ArrayBuffer)', () => read(r, new ArrayBuffer(4) as never), TypeError],
    ['write(fd, buf, buf.length + 1)', () => write(w, Buffer.alloc(4), 5), RangeError],
    ['write(fd, 42)', () => write(w, 42 as never), TypeError],
    ['write(fd, null)', () => write(w, null as never), TypeError],
    ['write(fd, [1,2])', () => write(w, [1, 2] as never), TypeError],
    ['write(fd, "abc", 4) past the UTF-8 bytes', () => write(w, 'abc', 4), RangeError],
    ['close("1")', () => close('1' as never), TypeError],
    ['close(1.5)', () => close(1.5), RangeError],
    ['close(undefined)', () => (close as () => void)(), TypeError],
    ['close(1n)', () => close(1n as never), TypeError],
    ['pipe2("x")', () => pipe2('x' as never), TypeError],
    ['pipe2(-1)', () => pipe2(-1), RangeError],
  ];
  refusedArguments(cases);
  it('nothing was written or read by the refused calls', () => {
    fcntl(r, F_SETFL, O_NONBLOCK);
    expect(syscallError(() => read(r, Buffer.alloc(1)))).toMatchObject({ code: 'EAGAIN' });
    close(r);
    close(w);
  });
});
