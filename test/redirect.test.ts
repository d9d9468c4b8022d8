import { describe, expect, it } from 'vitest';
import {
  close, dup, dup2, fcntl, pipe, pipe2, read, write, F_GETFD, F_GETFL, F_SETFL, FD_CLOEXEC, O_CLOEXEC, O_NONBLOCK,
  SyscallError,
} from 'posix-ipc';
import * as raw from 'posix-ipc/raw';
import { openFds, syscallError } from './helpers';

describe('dup', () => {
  it('gives the lowest free descriptor naming the same open file, without FD_CLOEXEC', () => {
    const [r, w] = pipe2(O_CLOEXEC);
    const copy = dup(w);
    expect(copy).not.toBe(w);
    expect(fcntl(copy, F_GETFD) & FD_CLOEXEC).toBe(0);
    write(copy, 'via the copy');
    const buf = Buffer.alloc(32);
    expect(buf.toString('utf8', 0, read(r, buf))).toBe('via the copy');
    fcntl(w, F_SETFL, O_NONBLOCK); // status flags belong to the open file: the copy has them too
    expect(fcntl(copy, F_GETFL) & O_NONBLOCK).toBe(O_NONBLOCK);
    close(copy);
    close(w);
    close(r);
  });

  it('EBADF on a descriptor that is not open', () => {
    const [r, w] = pipe();
    close(r);
    close(w);
    const e = syscallError(() => dup(r));
    expect(e).toBeInstanceOf(SyscallError);
    expect(e).toMatchObject({ code: 'EBADF', syscall: 'dup', fd: r });
    expect(raw.dup(-1)).toBe(-1);
    expect(raw.errno()).toBe(9);
  });

  it('wrong arguments are TypeError/RangeError', () => {
    const fds = openFds();
    expect(() => dup('1' as never)).toThrow(TypeError);
    expect(() => dup(1.5)).toThrow(RangeError);
    expect(openFds()).toEqual(fds);
  });
});

describe('dup2', () => {
  it('makes newfd name oldfd\'s open file, closing what it named; returns newfd', () => {
    const [r1, w1] = pipe();
    const [r2, w2] = pipe2(O_CLOEXEC);
    expect(dup2(w1, w2)).toBe(w2); // w2 was pipe 2's write end: silently closed
    expect(fcntl(w2, F_GETFD) & FD_CLOEXEC).toBe(0);
    write(w2, 'x');
    const buf = Buffer.alloc(4);
    expect(read(r1, buf)).toBe(1);
    // Pipe 2 has lost its only write end: its reader sees end of file.
    expect(read(r2, buf)).toBe(0);
    for (const fd of [r1, w1, r2, w2]) close(fd);
  });

  it('dup2(fd, fd) returns fd; EBADF when fd is not open', () => {
    const [r, w] = pipe();
    expect(dup2(r, r)).toBe(r);
    close(r);
    close(w);
    expect(syscallError(() => dup2(r, r))).toMatchObject({ code: 'EBADF', syscall: 'dup2', fd: r });
    expect(syscallError(() => dup2(0, -1))).toMatchObject({ code: 'EBADF', syscall: 'dup2' });
    expect(raw.dup2(r, r)).toBe(-1);
    expect(raw.errno()).toBe(9);
  });

  it('wrong arguments are TypeError/RangeError', () => {
    const fds = openFds();
    expect(() => dup2(1, 'x' as never)).toThrow(TypeError);
    expect(() => dup2(null as never, 1)).toThrow(TypeError);
    expect(() => dup2(1, 2 ** 31)).toThrow(RangeError);
    expect(openFds()).toEqual(fds);
  });
});
