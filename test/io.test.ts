import { describe, expect, it } from 'vitest';
import * as util from 'node:util';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import * as raw from 'posix-ipc/raw';
import {
  close, fcntl, pipe, pipe2, read, recv, send, socketpair, write, SyscallError,
  AF_UNIX, MSG_DONTWAIT, MSG_PEEK, SOCK_DGRAM, SOCK_STREAM, F_GETFL, F_SETFL, F_GETFD, F_SETFD, FD_CLOEXEC, O_NONBLOCK, O_RDONLY, O_WRONLY, F_DUPFD,
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

// read and write bind the view they are given and reuse its address while they are given the same
// view again (lib/io.ts, native/napi/fastpath.h). These check the address is always the right one.
describe('read/write reuse a view\'s address only while it is valid', () => {
  it('alternating views, subarrays and typed arrays each land in their own memory', () => {
    const [r, w] = pipe();
    const a = Buffer.alloc(4);
    const b = Buffer.alloc(4);
    const big = Buffer.alloc(8, 0x2e);
    const u16 = new Uint16Array(2);
    for (let round = 0; round < 3; round++) {
      write(w, 'abcdefgh');
      expect(read(r, a)).toBe(4);
      expect(read(r, b)).toBe(4);
      expect([a.toString(), b.toString()]).toEqual(['abcd', 'efgh']);
      write(w, a);
      expect(read(r, big.subarray(2), 3)).toBe(3);
      expect(read(r, big.subarray(6))).toBe(1);
      expect(big.toString()).toBe('..abc.d.');
      big.fill(0x2e);
      write(w, new Uint8Array([1, 2, 3, 4]));
      expect(read(r, u16)).toBe(4);
      expect(Buffer.from(u16.buffer).toString('hex')).toBe('01020304');
    }
    close(r);
    close(w);
  });

  it('a view whose ArrayBuffer was detached reads and writes 0 bytes; a count > 0 is a RangeError', () => {
    const [r, w] = pipe();
    const ab = new ArrayBuffer(8);
    const view = new Uint8Array(ab);
    write(w, 'xy');
    expect(read(r, view)).toBe(2); // binds view's address
    expect(write(w, view, 2)).toBe(2); // and for write
    structuredClone(ab, { transfer: [ab] }); // detaches: the memory is freed or moved
    expect(view.byteLength).toBe(0);
    expect(write(w, view)).toBe(0);
    expect(read(r, view)).toBe(0);
    expect(() => read(r, view, 1)).toThrow(RangeError);
    expect(() => write(w, view, 1)).toThrow(RangeError);
    const out = Buffer.alloc(4);
    expect(read(r, out)).toBe(2); // the 2 bytes written before the detach
    expect(out.subarray(0, 2).toString()).toBe('xy');
    close(r);
    close(w);
  });

  it('a resizable ArrayBuffer that grows past the bound size is bound again, one that shrinks reads less', () => {
    const Resizable = ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer & { resize(n: number): void };
    let ab: ArrayBuffer & { resize(n: number): void };
    try {
      ab = new Resizable(2, { maxByteLength: 64 });
    } catch {
      return; // a Node without resizable ArrayBuffers
    }
    const [r, w] = pipe();
    const view = new Uint8Array(ab); // tracks the buffer's length
    write(w, '0123456789');
    expect(read(r, view)).toBe(2);
    ab.resize(16);
    expect(view.length).toBe(16);
    expect(read(r, view)).toBe(8);
    expect(Buffer.from(view.subarray(0, 8)).toString()).toBe('23456789');
    ab.resize(1);
    write(w, 'abc');
    expect(read(r, view)).toBe(1);
    expect(view[0]).toBe(0x61);
    close(r);
    close(w);
  });

  it('a small typed array (kept on the V8 heap until its address is taken) stays right across GCs', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const [r, w] = pipe();
    const small = new Uint8Array(4);
    for (let i = 0; i < 3; i++) {
      write(w, `ab${i}d`);
      expect(read(r, small)).toBe(4);
      expect(Buffer.from(small).toString()).toBe(`ab${i}d`);
      gc();
      const garbage = Array.from({ length: 1000 }, (_, k) => new Uint8Array(k % 60));
      expect(garbage.length).toBe(1000);
      gc();
    }
    close(r);
    close(w);
  });

  // send and recv take the same path (lib/socket.ts), sharing read's and write's bound views.
  it('send and recv interleaved with read and write land in their own views, with their flags', () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
    const one = Buffer.alloc(4);
    const two = Buffer.alloc(4);
    expect(send(a, Buffer.from('abcdefgh'))).toBe(8);
    expect(recv(b, one, 2, MSG_PEEK)).toBe(2); // looks without taking
    expect(one.toString('latin1', 0, 2)).toBe('ab');
    expect(read(b, two, 1)).toBe(1); // read binds `two`...
    expect(two.toString('latin1', 0, 1)).toBe('a');
    expect(recv(b, one, 3)).toBe(3); // ...and recv `one` again
    expect(one.toString('latin1', 0, 3)).toBe('bcd');
    expect(recv(b, two)).toBe(4);
    expect(two.toString('latin1')).toBe('efgh');
    expect(syscallError(() => recv(b, one, 4, MSG_DONTWAIT))).toMatchObject({ code: 'EAGAIN', syscall: 'recv', fd: b });
    expect(write(a, two, 2)).toBe(2); // write binds `two`, send then `one`
    expect(send(a, one, 3)).toBe(3);
    expect(recv(b, Buffer.alloc(8))).toBe(5);
    close(a);
    close(b);
    const [d1, d2] = socketpair(AF_UNIX, SOCK_DGRAM);
    const ab = new ArrayBuffer(8);
    const view = new Uint8Array(ab);
    expect(send(d1, view, 3)).toBe(3); // binds view's address for send
    expect(recv(d2, view)).toBe(3); // and for recv
    structuredClone(ab, { transfer: [ab] }); // detaches: the memory is freed or moved
    expect(send(d1, view)).toBe(0); // an empty datagram, from no memory
    expect(recv(d2, view)).toBe(0);
    expect(() => send(d1, view, 1)).toThrow(RangeError);
    expect(() => recv(d2, view, 1)).toThrow(RangeError);
    close(d1);
    close(d2);
  });

  // The fast path trusts the view's size to prove its bound memory is still there: the size must
  // be the engine's, not what the view's own properties say.
  it('a view that lies about its size (own getters, a subclass) is measured by the engine: nothing touches a detached buffer', () => {
    class Lying extends Uint8Array {
      override get length() { return 4096; }
      override get byteLength() { return 4096; }
    }
    const makers = [
      (ab: ArrayBuffer) => {
        const v = new Uint8Array(ab);
        Object.defineProperty(v, 'length', { get: () => 4096 });
        Object.defineProperty(v, 'byteLength', { get: () => 4096 });
        return v;
      },
      (ab: ArrayBuffer) => new Lying(ab),
    ];
    const [a, b] = socketpair(AF_UNIX, SOCK_DGRAM);
    for (const make of makers) {
      const ab = new ArrayBuffer(4096);
      const view = make(ab);
      expect(view.length).toBe(4096);
      send(a, 'x');
      expect(recv(b, view, 1)).toBe(1); // binds the view's memory for recv...
      expect(send(a, view, 1)).toBe(1); // ...and for send
      expect(read(b, view, 1)).toBe(1);
      structuredClone(ab, { transfer: [ab] }); // detaches: that memory is no longer the view's
      expect(view.length).toBe(4096); // what the view says
      expect(send(a, Buffer.alloc(50, 0x42))).toBe(50);
      for (const call of [() => recv(b, view, 4096), () => read(b, view, 4096), () => send(a, view, 4096), () => write(a, view, 4096)]) {
        expect(call).toThrow(RangeError);
      }
      expect(recv(b, Buffer.alloc(64))).toBe(50); // the datagram was never taken
    }
    close(a);
    close(b);
  });

  it('posix-ipc/raw calls and posix-ipc calls on the same buffer agree', () => {
    const [r, w] = pipe();
    const buf = Buffer.alloc(3);
    write(w, 'abc');
    expect(raw.read(r, buf)).toBe(3);
    expect(raw.write(w, buf)).toBe(3);
    buf.fill(0);
    expect(read(r, buf)).toBe(3);
    expect(buf.toString()).toBe('abc');
    close(r);
    close(w);
  });

  it('works in worker threads alongside the main thread: each has its own', async () => {
    const code = `
      const { parentPort } = require('node:worker_threads');
      const { pipe, read, write, close } = require(${JSON.stringify(require.resolve('posix-ipc'))});
      const [r, w] = pipe();
      const out = Buffer.alloc(8), back = Buffer.alloc(8);
      let ok = 0;
      for (let i = 0; i < 20000; i++) {
        out.writeUInt32LE(i, 0);
        write(w, out);
        read(r, back);
        if (back.readUInt32LE(0) === i) ok++;
      }
      close(r); close(w);
      parentPort.postMessage(ok);`;
    const workers = [0, 1].map(() => new Worker(code, { eval: true }));
    const done = workers.map((wk) => new Promise<number>((resolve, reject) => {
      wk.once('message', resolve);
      wk.once('error', reject);
    }));
    const [r, w] = pipe();
    const out = Buffer.alloc(8);
    const back = Buffer.alloc(8);
    let ok = 0;
    for (let i = 0; i < 20000; i++) {
      out.writeUInt32LE(i ^ 0x5a5a, 0);
      write(w, out);
      read(r, back);
      if (back.readUInt32LE(0) === (i ^ 0x5a5a)) ok++;
    }
    close(r);
    close(w);
    expect(ok).toBe(20000);
    expect(await Promise.all(done)).toEqual([20000, 20000]);
  });

  it('the exports object is a fast one, so ipc.read(...) and TypeScript\'s CommonJS imports are cheap', () => {
    // lib/index.ts: TypeScript's re-exports leave the object in dictionary mode unless it is fixed.
    const script = `const p = require(${JSON.stringify(require.resolve('posix-ipc'))});
      function f() { return p.read; }
      for (let i = 0; i < 1000; i++) f();
      process.stdout.write(String(%HasFastProperties(p)));`;
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('true');
  });

  it.each(['posix-ipc', 'posix-ipc-socket'])('allocates nothing on the JavaScript heap per call (bench/tools/alloc.js --module %s: no GC in 200,000 pairs)', (module) => {
    const tool = path.join(__dirname, '..', 'bench', 'tools', 'alloc.js');
    const r = spawnSync(process.execPath, [tool, '200000', '--module', module], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { minorGCs: number; majorGCs: number; youngGrowth: number };
    expect(out).toMatchObject({ minorGCs: 0, majorGCs: 0 });
    // 200,000 pairs allocating even 16 bytes each would be 3.2 MB: collections, or this.
    expect(out.youngGrowth).toBeLessThan(64 * 1024);
  });
});
