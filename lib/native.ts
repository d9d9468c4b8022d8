/**
 * The compiled addon, loaded once per process by node-gyp-build from `build/Release` or
 * `prebuilds/<platform>-<arch>`, and the typed view of what it exports.
 *
 * Native calls return `>= 0` on success and `-errno` on failure; they never throw for a failed
 * system call (see native/napi/module.cc). The TypeScript modules validate arguments before calling.
 * @internal
 */
import * as path from 'node:path';

// node-gyp-build has no types of its own: it takes the package root and returns the addon.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = require('node-gyp-build') as (root: string) => unknown;

/** The native calls shared by `posix-ipc` (EINTR retried) and `posix-ipc/raw` (EINTR reported). */
export interface NativeCalls {
  read(fd: number, buf: ArrayBufferView, count: number): number;
  write(fd: number, buf: ArrayBufferView, count: number): number;
  close(fd: number): number;
  fcntl(fd: number, cmd: number, arg: number): number;
  pipe(out: Int32Array): number;
  pipe2(out: Int32Array, flags: number): number;
  fionread(fd: number): number;
  pidfd_open(pid: number): number;
  pidfd_getfd(pidfd: number, fd: number): number;
}

export interface NativeAddon extends NativeCalls {
  raw: NativeCalls;
  constants: Record<string, number>;
  errnos: Record<string, number>;
  strerror(errnum: number): string;
}

/**
 * The addon. `POSIX_IPC_ADDON=/path/to/posix_ipc.node` loads a specific build instead (the
 * sanitizer run, `npm run test:asan`, loads its ASan+UBSan build this way).
 * @internal
 */
export const addon = (process.env.POSIX_IPC_ADDON
  ? require(path.resolve(process.env.POSIX_IPC_ADDON))
  : load(path.join(__dirname, '..'))) as NativeAddon;

/**
 * The two native tables: `sync` restarts on EINTR (posix-ipc), `raw` reports it (posix-ipc/raw).
 * Tracing replaces both with wrapped copies (lib/trace.ts) and puts them back when turned off.
 * @internal
 */
export const tables: { sync: NativeCalls; raw: NativeCalls } = { sync: addon, raw: addon.raw };

/**
 * The table the public functions call through: `tables.sync`, except during a posix-ipc/raw call,
 * which swaps in `tables.raw` for its duration. With tracing off this is the addon itself, so the
 * hot path pays one property load for all of this.
 * @internal
 */
export const calls: { current: NativeCalls } = { current: addon };

/** A scratch array for calls that return two descriptors (pipe, socketpair). @internal */
export const pair = new Int32Array(2);
