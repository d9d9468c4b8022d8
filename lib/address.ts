/**
 * 10. Addresses: the {@link SockAddr} union that every socket call takes and returns (C's
 * `sockaddr_un`, `sockaddr_in`, `sockaddr_in6`), `getaddrinfo`, `inet_pton`, `inet_ntop` and the
 * byte-order calls `htons`, `ntohs`, `htonl`, `ntohl`.
 *
 * The conversion to and from the kernel's structures happens in one place, native/sys/address.cc;
 * this module validates what it is given and builds the objects it returns.
 */
import * as os from 'node:os';
import { fail, strerror, errnoName, type ErrnoCode, type ErrorContext } from './errors';
import { addon, calls, type NativeAddrInfo } from './native';
import * as v from './validate';

/**
 * A socket address, as C's `struct sockaddr_*` says it, with the port in host byte order and the
 * IP address as text:
 *
 * - `{ family: 'AF_UNIX', path }`: a socket file's path (UTF-8, at most 107 bytes on Linux, so
 *   that the terminating NUL fits `sun_path`; a longer one is `ENAMETOOLONG`, never truncated).
 *   `''` is unnamed (binding it autobinds a Linux abstract name); a leading `'\0'` makes a Linux
 *   abstract name (no file; every byte counts, NULs included, up to 108 with the leading one). A
 *   NUL anywhere else is a TypeError.
 * - `{ family: 'AF_INET', address, port }`: a numeric IPv4 address (`'127.0.0.1'`, `'0.0.0.0'` for
 *   INADDR_ANY) and a port 0..65535 (0: the kernel picks one; see getsockname).
 * - `{ family: 'AF_INET6', address, port, flowinfo?, scopeid? }`: a numeric IPv6 address
 *   (`'::1'`, `'::'`), the port, and optionally the flow label (20 bits) and scope (interface) id.
 *
 * Host names are not addresses: turn them into SockAddrs with {@link getaddrinfo}.
 */
export type SockAddr =
  | { family: 'AF_UNIX'; path: string }
  | { family: 'AF_INET'; address: string; port: number }
  | { family: 'AF_INET6'; address: string; port: number; flowinfo?: number; scopeid?: number };

/** What getaddrinfo(3)'s `hints` may say; every field defaults to 0 (`AF_UNSPEC`: any family). */
export interface AddrInfoHints {
  /** `AI_PASSIVE`, `AI_CANONNAME`, `AI_NUMERICHOST`, `AI_NUMERICSERV`, ... OR'd together. */
  flags?: number;
  /** `AF_INET`, `AF_INET6` or `AF_UNSPEC`. */
  family?: number;
  /** `SOCK_STREAM`, `SOCK_DGRAM`, ... or 0 for any. */
  socktype?: number;
  /** `IPPROTO_TCP`, `IPPROTO_UDP`, ... or 0 for any. */
  protocol?: number;
}

/** One result of {@link getaddrinfo}: the arguments for socket(), and the address for bind or connect. */
export interface AddrInfo {
  family: number;
  socktype: number;
  protocol: number;
  address: SockAddr;
  /** The host's canonical name, on the first result when `AI_CANONNAME` was asked for. */
  canonname?: string;
}

const c = addon.constants;
const AF_UNIX = c.AF_UNIX!;
const AF_INET = c.AF_INET!;
const AF_INET6 = c.AF_INET6!;

/**
 * A SockAddr checked and flattened into what the native calls take (family number, text, port,
 * flowinfo, scopeid). One object reused by every call: no allocation per call.
 * @internal
 */
export const encoded = { family: 0, text: '', port: 0, flowinfo: 0, scopeid: 0 };

function property(name: string, key: string): string {
  return `${name}.${key}`;
}

/**
 * Checks a SockAddr and puts it in {@link encoded}. A wrong shape is a TypeError, a port or
 * flowinfo/scopeid out of range a RangeError. The IP text is checked by inet_pton(3) itself in
 * the native call (see {@link addressFail}); the length of an AF_UNIX path by the native encoder.
 * @internal
 */
export function encode(a: unknown, name: string): void {
  if (typeof a !== 'object' || a === null) throw v.typeError(name, 'a SockAddr object ({ family, ... })', a);
  const sa = a as Record<string, unknown>;
  const family = sa.family;
  if (family === 'AF_INET' || family === 'AF_INET6') {
    const address = sa.address;
    if (typeof address !== 'string') throw v.typeError(property(name, 'address'), 'of type string (a numeric IP address)', address);
    encoded.text = address;
    encoded.port = v.int(sa.port, property(name, 'port'), 0, 0xffff);
    if (family === 'AF_INET') {
      encoded.family = AF_INET;
      encoded.flowinfo = 0;
      encoded.scopeid = 0;
    } else {
      encoded.family = AF_INET6;
      encoded.flowinfo = sa.flowinfo === undefined ? 0 : v.int(sa.flowinfo, property(name, 'flowinfo'), 0, 0xfffff);
      encoded.scopeid = sa.scopeid === undefined ? 0 : v.int(sa.scopeid, property(name, 'scopeid'), 0, 0xffffffff);
    }
    return;
  }
  if (family === 'AF_UNIX') {
    const path = sa.path;
    if (typeof path !== 'string') throw v.typeError(property(name, 'path'), 'of type string', path);
    if (path.indexOf('\0', 1) !== -1 && path.charCodeAt(0) !== 0) {
      throw v.invalidValue(property(name, 'path'), 'a path without NUL bytes (only an abstract name, which starts with "\\0", may hold them)', path);
    }
    encoded.family = AF_UNIX;
    encoded.text = path;
    encoded.port = 0;
    encoded.flowinfo = 0;
    encoded.scopeid = 0;
    return;
  }
  throw v.invalidValue(property(name, 'family'), "one of 'AF_UNIX', 'AF_INET', 'AF_INET6'", family);
}

/** Where a failed call was pointed, from the address in {@link encoded}. @internal */
export function encodedContext(fd: number): ErrorContext {
  return encoded.family === AF_UNIX ? { fd, path: encoded.text } : { fd, address: encoded.text, port: encoded.port };
}

/**
 * Throws for a failed native call that was given the address in {@link encoded}: a TypeError if
 * the native encoder refused the IP text (no system call was made), else the SyscallError.
 * @internal
 */
export function addressFail(rc: number, syscall: string, fd: number, name: string): never {
  if (rc === addon.badAddress) throw badAddressError(name);
  return fail(rc, syscall, encodedContext(fd));
}

/** The TypeError for the IP text in {@link encoded}, which the native encoder refused. @internal */
export function badAddressError(name: string): TypeError {
  const kind = encoded.family === AF_INET ? 'IPv4' : 'IPv6';
  return v.invalidValue(property(name, 'address'), `a numeric ${kind} address (inet_pton(3); for a host name use getaddrinfo())`, encoded.text);
}

const ptonScratch = new Uint8Array(16);

/**
 * Whether the native encoder will take the address in {@link encoded} (its IP text, checked by
 * inet_pton(3) as the encoder does), for a call that must report a malformed address without
 * making its system call (a promise call whose signal is already aborted). @internal
 */
export function encodedTextValid(): boolean {
  if (encoded.family !== AF_INET && encoded.family !== AF_INET6) return true;
  return addon.inet_pton(encoded.family, encoded.text, ptonScratch) === 1;
}

/**
 * Where the native calls that return an address put it: `meta` = [family, port, flowinfo,
 * scopeid], `text[0]` = the address text or path (null: no address).
 * @internal
 */
export const decoded = { meta: new Uint32Array(4), text: [null] as (string | null)[] };

/** The SockAddr the last native call put in {@link decoded}, or null for none. @internal */
export function decode(): SockAddr | null {
  return build(decoded.meta[0]!, decoded.text[0] ?? null, decoded.meta[1]!, decoded.meta[2]!, decoded.meta[3]!);
}

/** The SockAddr a promise call put in its own slot ([text, meta, ...]), or null for none. @internal */
export function slotAddress(slot: readonly [string | null, Uint32Array, ...unknown[]]): SockAddr | null {
  const meta = slot[1];
  return build(meta[0]!, slot[0] ?? null, meta[1]!, meta[2]!, meta[3]!);
}

function build(family: number, text: string | null, port: number, flowinfo: number, scopeid: number): SockAddr | null {
  if (text === null) return null;
  if (family === AF_INET) return { family: 'AF_INET', address: text, port };
  if (family === AF_INET6) return { family: 'AF_INET6', address: text, port, flowinfo, scopeid };
  return { family: 'AF_UNIX', path: text };
}

/** The names of getaddrinfo's error codes (C's `EAI_*`). */
export type EaiCode =
  | 'EAI_AGAIN'
  | 'EAI_BADFLAGS'
  | 'EAI_FAIL'
  | 'EAI_FAMILY'
  | 'EAI_MEMORY'
  | 'EAI_NONAME'
  | 'EAI_SERVICE'
  | 'EAI_SOCKTYPE'
  | 'EAI_SYSTEM'
  | 'EAI_OVERFLOW'
  | 'EAI_NODATA'
  | 'EAI_ADDRFAMILY';

const eaiNames = new Map<number, EaiCode>();
for (const [name, value] of Object.entries(c)) {
  if (name.startsWith('EAI_') && !eaiNames.has(value)) eaiNames.set(value, name as EaiCode);
}

/** The text of a getaddrinfo error code, as gai_strerror(3) gives it: `gai_strerror(EAI_NONAME)`. */
export function gai_strerror(code: number): string {
  return addon.gai_strerror(v.int(code, 'code'));
}

/**
 * getaddrinfo failed. Not a {@link SyscallError}: getaddrinfo reports its own codes (`EAI_*`),
 * not errno. `code` is the name (`'EAI_NONAME'`), `eai` the platform's value (`EAI_NONAME`),
 * `hostname` and `service` what was looked up; for `EAI_SYSTEM`, `errno` (negative, as in Node) and
 * `errnoCode` say which system error it was.
 *
 * @example
 * try { getaddrinfo('nosuch.invalid', '80'); } catch (e) {
 *   if (e instanceof AddrInfoError) console.log(e.code);   // 'EAI_NONAME' (or 'EAI_AGAIN' offline)
 * }
 */
export class AddrInfoError extends Error {
  declare code: EaiCode;
  declare eai: number;
  declare syscall: 'getaddrinfo';
  declare hostname?: string;
  declare service?: string;
  declare errno?: number;
  declare errnoCode?: ErrnoCode;

  constructor(eai: number, hostname: string | null, service: string | null, sysErrno = 0) {
    const code = eaiNames.get(eai) ?? (`EAI_${eai}` as EaiCode);
    const what = [hostname, service].filter((s) => s !== null).join(' ');
    let text = addon.gai_strerror(eai);
    if (sysErrno !== 0) text += `: ${errnoName(sysErrno) ?? sysErrno} ${strerror(sysErrno)}`;
    super(`getaddrinfo ${code}${what ? ` ${what}` : ''} (${text})`);
    this.code = code;
    this.eai = eai;
    this.syscall = 'getaddrinfo';
    if (hostname !== null) this.hostname = hostname;
    if (service !== null) this.service = service;
    if (sysErrno !== 0) {
      this.errno = -Math.abs(sysErrno);
      const name = errnoName(sysErrno);
      if (name) this.errnoCode = name;
    }
  }

  override get name(): string {
    return 'AddrInfoError';
  }
}

function hostArg(value: unknown, name: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw v.typeError(name, 'of type string or null', value);
  if (value.includes('\0')) throw v.invalidValue(name, 'a string without NUL bytes', value);
  return value;
}

const gaiErrno = new Int32Array(1);

/**
 * getaddrinfo's arguments, checked, as the native calls take them: [node, service, flags, family,
 * socktype, protocol].
 * @internal
 */
export function lookupArgs(node: unknown, service: unknown, hints?: AddrInfoHints): [string | null, string | null, number, number, number, number] {
  const host = hostArg(node, 'node');
  const serv = hostArg(service, 'service');
  let flags = 0, family = 0, socktype = 0, protocol = 0;
  if (hints !== undefined) {
    if (typeof hints !== 'object' || hints === null) throw v.typeError('hints', 'an object', hints);
    if (hints.flags !== undefined) flags = v.flags(hints.flags, 'hints.flags');
    if (hints.family !== undefined) family = v.int(hints.family, 'hints.family');
    if (hints.socktype !== undefined) socktype = v.int(hints.socktype, 'hints.socktype');
    if (hints.protocol !== undefined) protocol = v.int(hints.protocol, 'hints.protocol');
  }
  return [host, serv, flags, family, socktype, protocol];
}

/** The AddrInfo list of a native getaddrinfo's entries. @internal */
export function addrInfoList(entries: NativeAddrInfo[]): AddrInfo[] {
  return entries.map(([fam, type, proto, addrFamily, text, port, flowinfo, scopeid, canonname]) => {
    const info: AddrInfo = { family: fam, socktype: type, protocol: proto, address: build(addrFamily, text, port, flowinfo, scopeid)! };
    if (canonname !== undefined) info.canonname = canonname;
    return info;
  });
}

/**
 * Checks getaddrinfo's arguments and runs it: the results, or the EAI_* code (and for EAI_SYSTEM
 * the errno in {@link lookupErrno}).
 * @internal
 */
export function lookup(node: unknown, service: unknown, hints?: AddrInfoHints): AddrInfo[] | number {
  const args = lookupArgs(node, service, hints);
  gaiErrno[0] = 0;
  const r = calls.current.getaddrinfo(...args, gaiErrno);
  return typeof r === 'number' ? r : addrInfoList(r);
}

/** The errno of the last lookup that failed with EAI_SYSTEM (0 otherwise). @internal */
export function lookupErrno(): number {
  return gaiErrno[0]!;
}

/**
 * Turns a host and a service into socket addresses, ready for `socket`, `bind` or `connect`:
 * `node` is a host name or numeric address (null with `AI_PASSIVE`: the wildcard address, for a
 * server), `service` a port number or service name (`'80'`, `'http'`). Each result has the
 * `family`, `socktype` and `protocol` to give socket(), and the `address`.
 *
 * It may ask DNS and block while it does, as in C. Failures are {@link AddrInfoError}s with
 * getaddrinfo's own codes: `EAI_NONAME` (unknown host or service; also a service name with
 * `AI_NUMERICSERV`, a host name with `AI_NUMERICHOST`), `EAI_AGAIN` (DNS unreachable, try later),
 * `EAI_SERVICE` (service not available for the socket type), `EAI_FAMILY`, `EAI_SOCKTYPE`,
 * `EAI_BADFLAGS`, `EAI_SYSTEM` (with the errno).
 *
 * See getaddrinfo(3).
 *
 * @example
 * // The client's lookup_host() of the lecture:
 * const [server] = getaddrinfo('localhost', '2021', { family: AF_UNSPEC, socktype: SOCK_STREAM });
 * const fd = socket(server.family, server.socktype, server.protocol);
 * connect(fd, server.address);
 */
export function getaddrinfo(node: string | null, service: string | null, hints?: AddrInfoHints): AddrInfo[] {
  const r = lookup(node, service, hints);
  if (typeof r === 'number') throw new AddrInfoError(r, node ?? null, service ?? null, gaiErrno[0]);
  return r;
}

const ptonOut = new Uint8Array(16);

/**
 * Converts a numeric address text to its bytes in network order: 4 for `AF_INET`
 * (`'127.0.0.1'` → `[127, 0, 0, 1]`), 16 for `AF_INET6`. A text that is not a numeric address of
 * that family is a TypeError (where C returns 0); another family is `EAFNOSUPPORT`, as in C.
 *
 * See inet_pton(3).
 *
 * @example
 * inet_pton(AF_INET, '137.207.82.52');   // Uint8Array [137, 207, 82, 52]
 */
export function inet_pton(family: number, text: string): Uint8Array {
  v.int(family, 'family');
  if (typeof text !== 'string') throw v.typeError('text', 'of type string', text);
  const rc = calls.current.inet_pton(family, text, ptonOut);
  if (rc < 0) return fail(rc, 'inet_pton');
  if (rc === 0) throw v.invalidValue('text', `a numeric ${family === AF_INET ? 'IPv4' : 'IPv6'} address`, text);
  return ptonOut.slice(0, family === AF_INET ? 4 : 16);
}

const ntopOut: (string | null)[] = [null];

/**
 * Converts an address's bytes (network order: 4 for `AF_INET`, 16 for `AF_INET6`) to its text.
 * Bytes of another length are a RangeError; another family is `EAFNOSUPPORT`, as in C.
 *
 * See inet_ntop(3).
 *
 * @example
 * inet_ntop(AF_INET, new Uint8Array([127, 0, 0, 1]));   // '127.0.0.1'
 * inet_ntop(AF_INET6, inet_pton(AF_INET6, '0:0::1'));   // '::1'
 */
export function inet_ntop(family: number, bytes: ArrayBufferView): string {
  v.int(family, 'family');
  v.view(bytes, 'bytes');
  if (family === AF_INET || family === AF_INET6) {
    const need = family === AF_INET ? 4 : 16;
    if (bytes.byteLength !== need) throw v.rangeError('bytes.byteLength', `${need} for ${family === AF_INET ? 'AF_INET' : 'AF_INET6'}`, bytes.byteLength);
  }
  const rc = calls.current.inet_ntop(family, bytes, ntopOut);
  return rc < 0 ? fail(rc, 'inet_ntop') : ntopOut[0]!;
}

const littleEndian = os.endianness() === 'LE';

/**
 * Host to network byte order, 16 bits: what C puts in `sin_port`. `htons(2021)` is 58631 on a
 * little-endian machine (x86, ARM), 2021 on a big-endian one. Only 0..65535 is accepted (C would
 * silently truncate).
 *
 * See byteorder(3).
 *
 * @example
 * console.log(`${htons(2021)}`);   // 58631: the "port" the lecture's server prints
 */
export function htons(n: number): number {
  v.int(n, 'n', 0, 0xffff);
  return littleEndian ? ((n & 0xff) << 8) | (n >>> 8) : n;
}

/** Network to host byte order, 16 bits (the inverse of {@link htons}). See byteorder(3). @example ntohs(htons(2021)) === 2021 */
export function ntohs(n: number): number {
  return htons(n);
}

/**
 * Host to network byte order, 32 bits, as an unsigned number: what C puts in `s_addr`. Only
 * 0..4294967295 is accepted.
 *
 * See byteorder(3).
 *
 * @example
 * htonl(INADDR_LOOPBACK);   // 16777343 on a little-endian machine: 127.0.0.1 as C stores it
 */
export function htonl(n: number): number {
  v.int(n, 'n', 0, 0xffffffff);
  if (!littleEndian) return n;
  return (((n & 0xff) << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) | (n >>> 24)) >>> 0;
}

/** Network to host byte order, 32 bits (the inverse of {@link htonl}). See byteorder(3). @example ntohl(htonl(1)) === 1 */
export function ntohl(n: number): number {
  return htonl(n);
}
