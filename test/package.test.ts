// The package as a user gets it: installed from its path into another folder, loaded with both
// `import` and `require`, types included.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');

describe('package', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posix-ipc-consumer-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--offline', root], { cwd: dir, stdio: 'pipe' });

  it('require() and import of posix-ipc/promises work from another folder', () => {
    fs.writeFileSync(path.join(dir, 'p.cjs'), `
      const { pipe, close } = require('posix-ipc');
      const { read, write, AbortError } = require('posix-ipc/promises');
      const [r, w] = pipe(); const b = Buffer.alloc(8);
      const p = read(r, b); write(w, 'later');
      p.then((n) => { console.log(JSON.stringify([b.toString('utf8', 0, n), typeof AbortError])); close(r); close(w); });`);
    expect(JSON.parse(execFileSync(process.execPath, ['p.cjs'], { cwd: dir, encoding: 'utf8' }))).toEqual(['later', 'function']);
    fs.writeFileSync(path.join(dir, 'p.mjs'), `
      import { pipe, close } from 'posix-ipc';
      import { read, write, POLLIN } from 'posix-ipc/promises';
      const [r, w] = pipe(); const b = Buffer.alloc(8);
      setTimeout(() => write(w, 'esm'), 10);
      console.log(JSON.stringify([await read(r, b), POLLIN])); close(r); close(w);`);
    expect(JSON.parse(execFileSync(process.execPath, ['p.mjs'], { cwd: dir, encoding: 'utf8' }))).toEqual([3, 1]);
  });

  it('require() of posix-ipc and posix-ipc/raw works from another folder', () => {
    fs.writeFileSync(path.join(dir, 'a.cjs'), `
      const { pipe, read, write, close, O_NONBLOCK, SyscallError } = require('posix-ipc');
      const raw = require('posix-ipc/raw');
      const [r, w] = pipe(); write(w, 'cjs'); const b = Buffer.alloc(8); const n = read(r, b); close(r); close(w);
      let code; try { close(999); } catch (e) { code = e instanceof SyscallError && e.code; }
      console.log(JSON.stringify([b.toString('utf8', 0, n), typeof O_NONBLOCK, code, raw.close(999), raw.errno()]));`);
    const out = execFileSync(process.execPath, ['a.cjs'], { cwd: dir, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(['cjs', 'number', 'EBADF', -1, 9]);
  });

  it('import of posix-ipc and posix-ipc/raw works from another folder, with named exports', () => {
    fs.writeFileSync(path.join(dir, 'b.mjs'), `
      import { pipe, read, write, close, PIPE_BUF } from 'posix-ipc';
      import { close as rclose, errno } from 'posix-ipc/raw';
      const [r, w] = pipe(); write(w, 'esm'); const b = Buffer.alloc(8); const n = read(r, b); close(r); close(w);
      console.log(JSON.stringify([b.toString('utf8', 0, n), PIPE_BUF, rclose(999), errno()]));`);
    const out = execFileSync(process.execPath, ['b.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(['esm', 4096, -1, 9]);
  });

  it('ships its types: a TypeScript consumer type-checks against them', () => {
    fs.writeFileSync(path.join(dir, 'c.ts'), `
      import { pipe, read, kill, waitpid, SyscallError, type ErrnoCode, type WaitStatus } from 'posix-ipc';
      const st: WaitStatus | null = waitpid(-1, 1);
      if (st?.kind === 'signaled') kill(st.pid, st.signal);
      // @ts-expect-error not a signal name
      kill(1, 'SIGNOPE');
      import { close, errno } from 'posix-ipc/raw';
      import { read as readLater, poll, type PollFd } from 'posix-ipc/promises';
      const [r, w]: [number, number] = pipe();
      const later: Promise<number> = readLater(r, new Uint8Array(4), { signal: new AbortController().signal });
      const fds: PollFd[] = [{ fd: r, events: 1 }];
      const ready: Promise<number> = poll(fds, 100);
      // @ts-expect-error the options come last
      readLater(r, new Uint8Array(4), { signal: undefined }, 4);
      const n: number = read(r, new Uint8Array(4));
      const code: ErrnoCode = 'EPIPE';
      const rc: 0 | -1 = close(w);
      const e: number = errno();
      // @ts-expect-error read needs a buffer, not a string
      read(r, 'text');
      export { n, code, rc, e, SyscallError, later, ready };`);
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', types: [], skipLibCheck: false },
      files: ['c.ts'],
    }));
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    execFileSync(process.execPath, [tsc, '-p', dir], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
  });
});
