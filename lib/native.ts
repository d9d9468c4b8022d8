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
}

export interface NativeAddon extends NativeCalls {
  raw: NativeCalls;
  constants: Record<string, number>;
  /** The fast path of read and write; absent where the runtime refuses external ArrayBuffers. */
  fast?: FastCalls;
  errnos: Record<string, number>;
  strerror(errnum: number): string;
}

/** @internal */
export const addon = load(path.join(__dirname, '..')) as NativeAddon;

/**
 * The table the public functions call through. `posix-ipc/raw` swaps in `addon.raw` for the
 * duration of one call (so EINTR is reported); tracing swaps in a wrapped table.
 * @internal
 */
export const calls: { current: NativeCalls } = { current: addon };

/** A scratch array for calls that return two descriptors (pipe, socketpair). @internal */
export const pair = new Int32Array(2);

/**
 * The fast path of read and write (native/napi/fastpath.h): the arguments and the result travel
 * through `block` (Int32Array [fd, result] at 0, Float64Array [count] at 8) and the buffer is bound
 * beforehand, so a call passes no JavaScript value. Used by lib/io.ts only.
 */
export interface FastCalls {
  block: ArrayBuffer;
  read(): void;
  write(): void;
  /** Keeps the view's address for `read`; returns its size in bytes. */
  bindIn(view: ArrayBufferView): number;
  /** Keeps the view's address for `write`; returns its size in bytes. */
  bindOut(view: ArrayBufferView): number;
}
