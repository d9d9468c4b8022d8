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
  // sockets (lib/socket.ts) and addresses (lib/address.ts). An address goes in as five arguments
  // (family, text, port, flowinfo, scopeid) and comes out in `meta` ([family, port, flowinfo,
  // scopeid]) and `text[0]` (the address or path; null: none).
  socket(domain: number, type: number, protocol: number): number;
  socketpair(out: Int32Array, domain: number, type: number, protocol: number): number;
  bind(fd: number, family: number, text: string, port: number, flowinfo: number, scopeid: number): number;
  listen(fd: number, backlog: number): number;
  accept(fd: number, meta: Uint32Array, text: (string | null)[]): number;
  connect(fd: number, family: number, text: string, port: number, flowinfo: number, scopeid: number): number;
  send(fd: number, buf: ArrayBufferView, len: number, flags: number): number;
  recv(fd: number, buf: ArrayBufferView, len: number, flags: number): number;
  sendto(fd: number, buf: ArrayBufferView, len: number, flags: number, family: number, text: string, port: number, flowinfo: number, scopeid: number): number;
  recvfrom(fd: number, buf: ArrayBufferView, len: number, flags: number, meta: Uint32Array, text: (string | null)[]): number;
  shutdown(fd: number, how: number): number;
  getsockname(fd: number, meta: Uint32Array, text: (string | null)[]): number;
  getpeername(fd: number, meta: Uint32Array, text: (string | null)[]): number;
  setsockopt(fd: number, level: number, option: number, value: number): number;
  getsockopt(fd: number, level: number, option: number, out: Int32Array): number;
  getaddrinfo(node: string | null, service: string | null, flags: number, family: number, socktype: number, protocol: number, errOut: Int32Array): NativeAddrInfo[] | number;
  inet_pton(family: number, text: string, out: Uint8Array): number;
  inet_ntop(family: number, bytes: ArrayBufferView, text: (string | null)[]): number;
  poll(fds: Int32Array, nfds: number, timeout: number): number;
  // processes, FIFOs, redirection
  fork(beforeFork: () => void): number;
  _exit(status: number): never;
  waitpid(pid: number, options: number, out: Int32Array): number;
  execvp(file: string, argv: string[]): number;
  posix_spawnp(file: string, argv: string[], dup2: Int32Array, close: Int32Array, chdir: string | undefined,
    setsid: boolean, env: string[] | undefined, out: Int32Array): number;
  getpid(): number;
  getppid(): number;
  kill(pid: number, sig: number): number;
  mkfifo(path: string, mode: number): number;
  open(path: string, flags: number, mode: number): number;
  unlink(path: string): number;
  dup(fd: number): number;
  dup2(oldfd: number, newfd: number): number;
}

/**
 * posix-ipc/promises' native side (native/napi/wait.h, promises.cc). Each call returns its result
 * (`>= 0` or `-errno`) when it settled at once, or a promise of it; `id` is 0 or the number
 * `cancel(id)` uses when the call's AbortSignal fires.
 */
export interface NativePromises {
  read(fd: number, buf: ArrayBufferView, count: number, id: number): number | Promise<number>;
  write(fd: number, buf: ArrayBufferView, count: number, id: number): number | Promise<number>;
  poll(fds: Int32Array, nfds: number, timeout: number, id: number): number | Promise<number>;
  // Sockets. `slot` is [text, meta: Uint32Array(4), buf?]: where accept and recvfrom put the
  // address (as `decoded` for the sync calls) and recvfrom's buffer; kept until the call settles.
  accept(fd: number, slot: AddressSlot, id: number): number | Promise<number>;
  connect(fd: number, family: number, text: string, port: number, flowinfo: number, scopeid: number, id: number): number | Promise<number>;
  send(fd: number, buf: ArrayBufferView, len: number, flags: number, id: number): number | Promise<number>;
  recv(fd: number, buf: ArrayBufferView, len: number, flags: number, id: number): number | Promise<number>;
  sendto(fd: number, buf: ArrayBufferView, len: number, flags: number, family: number, text: string, port: number, flowinfo: number, scopeid: number, id: number): number | Promise<number>;
  recvfrom(fd: number, slot: AddressSlot, len: number, flags: number, id: number): number | Promise<number>;
  /** `out` as the sync waitpid's: [status, kind, value, core dumped]. */
  waitpid(pid: number, options: number, out: Int32Array, id: number): number | Promise<number>;
  open(path: string, flags: number, mode: number, id: number): number | Promise<number>;
  /** The EAI code at once for arguments it cannot read; else a promise of the entries or the EAI code (-ECANCELED once cancelled). */
  getaddrinfo(node: string | null, service: string | null, flags: number, family: number, socktype: number, protocol: number, errOut: Int32Array, id: number): number | Promise<NativeAddrInfo[] | number>;
  /**
   * Settles the waiting call `id` with -ECANCELED, having consumed nothing: true. False if it is
   * not waiting, or if it settles with what it already did (a recv with MSG_WAITALL that has
   * taken bytes resolves with their count).
   */
  cancel(id: number): boolean;
  /** fd is about to be closed: its waiting calls settle with -EBADF. */
  closing(fd: number): void;
  /**
   * Sets what read, write, recv and send given `-code` as their last argument (no AbortSignal)
   * reject with, when they waited and then failed: `make(rc, code, fd)`.
   */
  rejectWith(make: (rc: number, code: number, fd: number) => Error): void;
  /** `[0]`: how many descriptors have waiting calls. */
  watched: Int32Array;
}

/** Where a promise accept or recvfrom puts the address: [text, meta, buffer?]. */
export type AddressSlot = [text: string | null, meta: Uint32Array, buf?: ArrayBufferView];

/** One getaddrinfo result: [family, socktype, protocol, address family, text, port, flowinfo, scopeid, canonname?]. */
export type NativeAddrInfo = [number, number, number, number, string, number, number, number, string | undefined];

export interface NativeAddon extends NativeCalls {
  raw: NativeCalls;
  promises: NativePromises;
  constants: Record<string, number>;
  /** The fast path of read and write; absent where the runtime refuses external ArrayBuffers. */
  fast?: FastCalls;
  errnos: Record<string, number>;
  strerror(errnum: number): string;
  gai_strerror(code: number): string;
  /** What the address calls return for an IP text inet_pton refuses (not an errno). */
  badAddress: number;
  /** The longest AF_UNIX path in bytes (sun_path less its terminating NUL). */
  unixPathMax: number;
  /** The int-valued socket options: [name, level, option, settable]. */
  sockopts: [string, number, number, boolean][];
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
 * The native tables: `sync` restarts on EINTR (posix-ipc), `raw` reports it (posix-ipc/raw),
 * `promises` waits in the event loop (posix-ipc/promises). Tracing replaces them with wrapped
 * copies (lib/trace.ts) and puts them back when turned off.
 * @internal
 */
export const tables: { sync: NativeCalls; raw: NativeCalls; promises: NativePromises } = { sync: addon, raw: addon.raw, promises: addon.promises };

/**
 * The table the public functions call through: `tables.sync`, except during a posix-ipc/raw call,
 * which swaps in `tables.raw` for its duration. With tracing off this is the addon itself, so the
 * hot path pays one property load for all of this.
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
  recv(): void;
  send(): void;
  /** Keeps the view's address for `read` and `recv`; returns its size in bytes. */
  bindIn(view: ArrayBufferView): number;
  /** Keeps the view's address for `write` and `send`; returns its size in bytes. */
  bindOut(view: ArrayBufferView): number;
}
