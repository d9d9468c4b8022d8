import { describe, expect, it } from 'vitest';
import { close, pipe, pipe2, read, write, O_NONBLOCK, SyscallError } from 'posix-ipc';
import { syscallError } from './helpers';

describe('didactic hints', () => {
  it('EPIPE says the reader closed and that Node ignores SIGPIPE', () => {
    const [r, w] = pipe();
    close(r);
    const e = syscallError(() => write(w, 'x')) as unknown as SyscallError;
    expect(e.message.split('\n')[0]).toBe(`write EPIPE fd ${w} (Broken pipe)`);
    expect(e.message.split('\n')[1]).toMatch(/^ {2}hint: .*reader.*SIGPIPE/);
    expect(e.hint).toMatch(/SIGPIPE/);
    close(w);
  });

  it('EAGAIN points at O_NONBLOCK on the shared open file description', () => {
    const [r, w] = pipe2(O_NONBLOCK);
    const e = syscallError(() => read(r, Buffer.alloc(1))) as unknown as SyscallError;
    expect(e.hint).toMatch(/non-blocking.*open file description/);
    close(r);
    close(w);
  });

  it('the classic socket mistakes have hints; other errors have none', () => {
    expect(new SyscallError(111, 'connect', { address: '127.0.0.1', port: 2021 }).hint).toMatch(/listen/);
    expect(new SyscallError(98, 'bind', { address: '0.0.0.0', port: 2021 }).hint).toMatch(/SO_REUSEADDR/);
    expect(new SyscallError(2, 'connect', { path: '/tmp/nope.sock' }).hint).toMatch(/bind\(\)/);
    expect(new SyscallError(2, 'open', { path: '/nope' }).hint).toBeUndefined();
    expect(new SyscallError(2, 'open', { path: '/nope' }).message).not.toContain('hint');
    expect(new SyscallError(9, 'close', { fd: 9 }).hint).toMatch(/not open/);
  });
});
