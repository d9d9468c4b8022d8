import { afterEach, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  close, fcntl, mkfifo, open, read, unlink, write, F_GETFD, FD_CLOEXEC, O_CLOEXEC, O_CREAT, O_EXCL, O_NONBLOCK, O_RDONLY,
  O_RDWR, O_WRONLY, SyscallError,
} from 'posix-ipc';
import * as raw from 'posix-ipc/raw';
import { drain, exitCode, forkChild, openFds, syscallError } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posix-ipc-fifo-'));
let n = 0;
const fresh = () => path.join(dir, `f${n++}`);
afterEach(() => {
  for (const f of fs.readdirSync(dir)) fs.unlinkSync(path.join(dir, f));
});

describe('mkfifo', () => {
  it('makes a FIFO with the mode given, filtered by the umask', () => {
    const p = fresh();
    const old = process.umask(0o022);
    try {
      mkfifo(p, 0o666);
    } finally {
      process.umask(old);
    }
    const st = fs.statSync(p);
    expect(st.isFIFO()).toBe(true);
    expect(st.mode & 0o777).toBe(0o644);
  });

  it('defaults to 0o666 and fails with EEXIST on an existing path, ENOENT in no directory', () => {
    const p = fresh();
    mkfifo(p);
    const e = syscallError(() => mkfifo(p));
    expect(e).toBeInstanceOf(SyscallError);
    expect(e).toMatchObject({ code: 'EEXIST', syscall: 'mkfifo', path: p });
    expect(syscallError(() => mkfifo(path.join(dir, 'no', 'such')))).toMatchObject({ code: 'ENOENT', syscall: 'mkfifo' });
    expect(raw.mkfifo(p)).toBe(-1);
    expect(raw.errno()).toBe(17);
  });

  it('wrong arguments are TypeError/RangeError', () => {
    expect(() => mkfifo(1 as never)).toThrow(TypeError);
    expect(() => mkfifo('a\0b')).toThrow(expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' }));
    expect(() => mkfifo(fresh(), -1)).toThrow(RangeError);
    expect(() => mkfifo(fresh(), 0o10000)).toThrow(RangeError);
    expect(() => mkfifo(fresh(), '644' as never)).toThrow(TypeError);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('open', () => {
  it('opens a FIFO from two processes; the bytes flow between them', () => {
    const p = fresh();
    mkfifo(p, 0o600);
    const pid = forkChild(() => {
      const w = open(p, O_WRONLY); // waits for the reader
      write(w, 'through the FIFO');
      close(w);
    });
    const r = open(p, O_RDONLY);
    expect(drain(r)).toBe('through the FIFO');
    close(r);
    expect(exitCode(pid)).toBe(0);
  });

  it('creates files with O_CREAT; descriptors are inheritable unless O_CLOEXEC', () => {
    const p = fresh();
    const fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0o600);
    expect(fcntl(fd, F_GETFD) & FD_CLOEXEC).toBe(0);
    write(fd, 'file');
    close(fd);
    expect(fs.readFileSync(p, 'utf8')).toBe('file');
    expect(fs.statSync(p).mode & 0o777).toBe(0o600);
    const fd2 = open(p, O_RDONLY | O_CLOEXEC);
    expect(fcntl(fd2, F_GETFD) & FD_CLOEXEC).toBe(FD_CLOEXEC);
    expect(drain(fd2)).toBe('file');
    close(fd2);
    expect(syscallError(() => open(p, O_WRONLY | O_CREAT | O_EXCL))).toMatchObject({ code: 'EEXIST', syscall: 'open', path: p });
  });

  it('errors: ENOENT, ENXIO (FIFO, no reader, O_NONBLOCK), EISDIR, ENAMETOOLONG', () => {
    const fds = openFds();
    expect(syscallError(() => open(path.join(dir, 'none'), O_RDONLY))).toMatchObject({ code: 'ENOENT', syscall: 'open' });
    const p = fresh();
    mkfifo(p);
    expect(syscallError(() => open(p, O_WRONLY | O_NONBLOCK))).toMatchObject({ code: 'ENXIO', syscall: 'open', path: p });
    expect(syscallError(() => open(dir, O_RDWR))).toMatchObject({ code: 'EISDIR' });
    expect(syscallError(() => open('x'.repeat(5000), O_RDONLY))).toMatchObject({ code: 'ENAMETOOLONG' });
    expect(openFds()).toEqual(fds);
    expect(raw.open(path.join(dir, 'none'), O_RDONLY)).toBe(-1);
    expect(raw.errno()).toBe(2);
  });

  it('wrong arguments are TypeError/RangeError and open nothing', () => {
    const fds = openFds();
    expect(() => open(undefined as never, O_RDONLY)).toThrow(TypeError);
    expect(() => open(fresh(), undefined as never)).toThrow(TypeError);
    expect(() => open(fresh(), -1)).toThrow(RangeError);
    expect(() => open(fresh(), O_RDONLY, 1.5)).toThrow(RangeError);
    expect(() => open('/tmp/a\0b', O_RDONLY)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
    expect(openFds()).toEqual(fds);
  });
});

describe('unlink', () => {
  it('removes the name; an open FIFO stays usable', () => {
    const p = fresh();
    mkfifo(p);
    const r = open(p, O_RDONLY | O_NONBLOCK);
    const w = open(p, O_WRONLY);
    unlink(p);
    expect(fs.existsSync(p)).toBe(false);
    write(w, 'still here');
    const buf = Buffer.alloc(16);
    expect(read(r, buf)).toBe(10);
    close(r);
    close(w);
    expect(syscallError(() => unlink(p))).toMatchObject({ code: 'ENOENT', syscall: 'unlink', path: p });
    expect(raw.unlink(p)).toBe(-1);
    expect(raw.errno()).toBe(2);
  });

  it('wrong arguments are TypeError', () => {
    expect(() => unlink(null as never)).toThrow(TypeError);
    expect(() => unlink('a\0')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
  });
});
