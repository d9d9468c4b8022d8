/**
 * 14. Seeing it: the descriptor table. `fds()` lists every open descriptor of a process with its
 * kind and flags and, for pipes, FIFOs and sockets, what they connect — the `lsof -p` demo of the
 * lectures, typed.
 */
import * as fs from 'node:fs';
import { decode, decoded, type SockAddr } from './address';
import { SyscallError } from './errors';
import { addon, pair } from './native';
import { constantName } from './trace';
import * as v from './validate';

/** What a descriptor refers to. */
export type FdKind = 'pipe' | 'fifo' | 'socket' | 'file' | 'directory' | 'tty' | 'device' | 'other';

/** An address as fds() reads it from the kernel's tables. */
export type FdAddress =
  | { family: 'AF_UNIX'; path: string }
  | { family: 'AF_INET'; address: string; port: number }
  | { family: 'AF_INET6'; address: string; port: number };

/** One open descriptor of a process. */
export interface FdInfo {
  fd: number;
  kind: FdKind;
  /** What /proc shows it pointing at: a path, `pipe:[1234]`, `socket:[5678]`, `anon_inode:[eventfd]`. */
  target: string;
  /** The access mode: `'r'` (O_RDONLY), `'w'` (O_WRONLY) or `'rw'` (O_RDWR). */
  access: 'r' | 'w' | 'rw';
  /** O_NONBLOCK on the open file description (shared with dups and forked children). */
  nonblocking: boolean;
  /** FD_CLOEXEC on this descriptor: it closes when the process execs. */
  cloexec: boolean;
  /** The open flags as the kernel reports them (/proc/PID/fdinfo). */
  flags: number;
  /** The inode: for pipes and sockets, the kernel object; two fds with the same one share it. */
  inode: number;
  /** For files, FIFOs, directories, ttys and devices: the path. */
  path?: string;
  /** For pipes and FIFOs: the buffer's capacity in bytes (F_GETPIPE_SZ). */
  capacity?: number;
  /** For pipes, FIFOs and sockets: the bytes waiting to be read (FIONREAD). */
  queued?: number;
  /** For sockets: the domain (`'AF_UNIX'`, `'AF_INET'`, `'AF_INET6'`, or another `AF_*`/number). */
  domain?: string;
  /** For sockets: `'SOCK_STREAM'`, `'SOCK_DGRAM'`, `'SOCK_SEQPACKET'`... */
  type?: string;
  /** For sockets: the TCP state (`'LISTEN'`, `'ESTABLISHED'`...) or the UNIX socket state. */
  state?: string;
  /** For sockets: the local address (getsockname). An unnamed AF_UNIX socket has path `''`. */
  local?: FdAddress;
  /**
   * For connected sockets: the peer's address (getpeername). An AF_UNIX peer that never bound
   * (a client, either end of a socketpair) has path `''`.
   */
  peer?: FdAddress;
}

const TCP_STATES = ['', 'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING'];
const UNIX_TYPES: Record<number, string> = { 1: 'SOCK_STREAM', 2: 'SOCK_DGRAM', 5: 'SOCK_SEQPACKET' };
const UNIX_STATES: Record<number, string> = { 1: 'UNCONNECTED', 2: 'CONNECTING', 3: 'CONNECTED', 4: 'DISCONNECTING' };

interface SocketEntry {
  domain: string;
  type: string;
  state?: string;
  local?: FdAddress;
  peer?: FdAddress;
}

function readText(path: string): string | null {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

// /proc/net/tcp prints each address as the 32-bit words of the in-memory (network order) address,
// printed as host-order hex: on a little-endian machine "0100007F" is 127.0.0.1.
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
function wordBytes(hex: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < hex.length; i += 8) {
    const word = parseInt(hex.slice(i, i + 8), 16) >>> 0;
    const b = [(word >>> 24) & 255, (word >>> 16) & 255, (word >>> 8) & 255, word & 255];
    bytes.push(...(littleEndian ? b.reverse() : b));
  }
  return bytes;
}

function ipAddress(hexAddr: string, hexPort: string, family: 'AF_INET' | 'AF_INET6'): FdAddress {
  const bytes = wordBytes(hexAddr);
  const port = parseInt(hexPort, 16);
  if (family === 'AF_INET') return { family, address: bytes.join('.'), port };
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  // Compress the longest run of zero groups, as inet_ntop does.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  let text = groups.join(':');
  if (best >= 0) text = `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255) {
    text = `::ffff:${bytes.slice(12).join('.')}`;
  }
  return { family, address: text, port };
}

/** The sockets the kernel lists in /proc/PID/net, by inode. */
function socketTable(pid: number | 'self'): Map<number, SocketEntry> {
  const table = new Map<number, SocketEntry>();
  const unix = readText(`/proc/${pid}/net/unix`);
  if (unix) {
    for (const line of unix.split('\n').slice(1)) {
      // Num RefCount Protocol Flags Type St Inode Path
      const f = line.trim().split(/\s+/);
      if (f.length < 7) continue;
      const type = parseInt(f[4]!, 16);
      const st = parseInt(f[5]!, 16);
      const flags = parseInt(f[3]!, 16);
      const inode = Number(f[6]);
      const path = f.length > 7 ? line.slice(line.indexOf(f[7]!)).replace(/^@/, '\0') : '';
      table.set(inode, {
        domain: 'AF_UNIX',
        type: UNIX_TYPES[type] ?? String(type),
        state: flags & 0x10000 ? 'LISTEN' : UNIX_STATES[st] ?? String(st),
        local: { family: 'AF_UNIX', path },
      });
    }
  }
  const ip: [string, 'AF_INET' | 'AF_INET6', string][] = [
    ['tcp', 'AF_INET', 'SOCK_STREAM'], ['tcp6', 'AF_INET6', 'SOCK_STREAM'],
    ['udp', 'AF_INET', 'SOCK_DGRAM'], ['udp6', 'AF_INET6', 'SOCK_DGRAM'],
  ];
  for (const [file, family, type] of ip) {
    const text = readText(`/proc/${pid}/net/${file}`);
    if (!text) continue;
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const [la, lp] = f[1]!.split(':') as [string, string];
      const [ra, rp] = f[2]!.split(':') as [string, string];
      const st = parseInt(f[3]!, 16);
      const inode = Number(f[9]);
      const peer = ipAddress(ra, rp, family);
      const connected = (peer as { port: number }).port !== 0;
      table.set(inode, {
        domain: family,
        type,
        state: type === 'SOCK_STREAM' ? TCP_STATES[st] ?? String(st) : connected ? 'CONNECTED' : 'UNCONNECTED',
        local: ipAddress(la, lp, family),
        ...(connected ? { peer } : {}),
      });
    }
  }
  return table;
}

function fdAddress(a: SockAddr | null): FdAddress | undefined {
  if (a === null) return undefined;
  return a.family === 'AF_UNIX' ? { family: a.family, path: a.path } : { family: a.family, address: a.address, port: a.port };
}

/**
 * What the socket itself says, asked through a descriptor of this process: its domain and type
 * (getsockopt SO_DOMAIN, SO_TYPE), and the addresses /proc did not give (getsockname,
 * getpeername: /proc/net/unix has no peer). A call that fails (ENOTCONN: no peer) leaves the
 * field out. The calls go to the addon directly: fds() is not traced.
 */
function askSocket(fd: number, entry: FdInfo): void {
  const c = addon.constants;
  if (addon.getsockopt(fd, c.SOL_SOCKET!, c.SO_DOMAIN!, pair) >= 0) {
    entry.domain = constantName(pair[0]!, ['AF_UNIX', 'AF_INET', 'AF_INET6']);
  }
  if (addon.getsockopt(fd, c.SOL_SOCKET!, c.SO_TYPE!, pair) >= 0) {
    entry.type = constantName(pair[0]!, ['SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_SEQPACKET', 'SOCK_RAW']);
  }
  if (entry.local === undefined && addon.getsockname(fd, decoded.meta, decoded.text) >= 0) {
    const local = fdAddress(decode());
    if (local) entry.local = local;
  }
  if (entry.peer === undefined && addon.getpeername(fd, decoded.meta, decoded.text) >= 0) {
    const peer = fdAddress(decode());
    if (peer) entry.peer = peer;
  }
}

function kindOf(target: string, stat: fs.Stats | null): FdKind {
  if (target.startsWith('pipe:')) return 'pipe';
  if (target.startsWith('socket:')) return 'socket';
  if (!stat) return 'other';
  if (stat.isFIFO()) return 'fifo';
  if (stat.isSocket()) return 'socket';
  if (stat.isFile()) return 'file';
  if (stat.isDirectory()) return 'directory';
  if (stat.isCharacterDevice()) {
    // Terminals: pseudo-terminals (major 136-143), the console and virtual terminals (major 4, 5).
    const major = Number((BigInt(stat.rdev) >> 8n) & 0xfffn);
    return (major >= 136 && major <= 143) || major === 4 || major === 5 ? 'tty' : 'device';
  }
  if (stat.isBlockDevice()) return 'device';
  return 'other';
}

/** Runs `f` on a descriptor of this process that refers to `pid`'s descriptor `fd`. */
function withLocalCopy<T>(pid: number, self: boolean, fd: number, pidfd: number, f: (local: number) => T): T | undefined {
  if (self) return f(fd);
  if (pidfd < 0) return undefined;
  const local = addon.pidfd_getfd(pidfd, fd);
  if (local < 0) return undefined;
  try {
    return f(local);
  } finally {
    addon.close(local);
  }
}

/**
 * Lists the open descriptors of a process (default: this one), like `lsof -p PID`: each with its
 * kind (pipe, FIFO, socket, file, tty...), access mode, `O_NONBLOCK` and `FD_CLOEXEC`; for pipes and
 * FIFOs the inode, capacity and bytes queued; for sockets the domain, type, state, local and peer
 * address.
 *
 * It reads /proc/PID/fd, /proc/PID/fdinfo and /proc/PID/net, and asks each socket for its domain,
 * type and addresses (getsockopt SO_DOMAIN/SO_TYPE, getsockname, getpeername: /proc has no AF_UNIX
 * peer). For another process, those answers, the capacity and the bytes queued need a copy of its
 * descriptor (pidfd_getfd(2), which needs ptrace rights over it: your own children, or root);
 * without them those fields are absent, or for sockets what /proc/PID/net says (no AF_UNIX peer).
 * Descriptors that close while they are being read are left out.
 *
 * Errors: `ENOENT` (no such process), `EACCES` (another user's process).
 *
 * @example
 * const [r, w] = pipe();
 * console.table(fds().map(({ fd, kind, access, inode, capacity, queued }) => ({ fd, kind, access, inode, capacity, queued })));
 */
export function fds(pid?: number): FdInfo[] {
  const self = pid === undefined || pid === process.pid;
  const p = pid === undefined ? process.pid : v.int(pid, 'pid', 1);
  let names: string[];
  try {
    names = fs.readdirSync(`/proc/${p}/fd`);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new SyscallError(err.errno ?? -2, 'open', { path: `/proc/${p}/fd` });
  }
  const pidfd = self ? -1 : addon.pidfd_open(p);
  const sockets = socketTable(self ? 'self' : p);
  const list: FdInfo[] = [];
  try {
    for (const name of names) {
      const fd = Number(name);
      let target: string;
      let info: string;
      try {
        target = fs.readlinkSync(`/proc/${p}/fd/${fd}`);
        info = fs.readFileSync(`/proc/${p}/fdinfo/${fd}`, 'utf8');
      } catch {
        continue; // closed meanwhile (or the descriptor readdir itself used)
      }
      const flags = parseInt(/^flags:\s+([0-7]+)/m.exec(info)?.[1] ?? '0', 8);
      const inodeMatch = /^ino:\s+(\d+)/m.exec(info) ?? /\[(\d+)\]$/.exec(target);
      let stat: fs.Stats | null = null;
      try {
        stat = fs.statSync(`/proc/${p}/fd/${fd}`);
      } catch {
        stat = null;
      }
      const kind = kindOf(target, stat);
      const mode = flags & 3;
      const entry: FdInfo = {
        fd,
        kind,
        target,
        access: mode === 0 ? 'r' : mode === 1 ? 'w' : 'rw',
        nonblocking: (flags & addon.constants.O_NONBLOCK!) !== 0,
        cloexec: (flags & addon.constants.O_CLOEXEC!) !== 0,
        flags,
        inode: inodeMatch ? Number(inodeMatch[1]) : stat ? Number(stat.ino) : 0,
      };
      if (kind !== 'pipe' && kind !== 'socket' && target.startsWith('/')) entry.path = target;
      if (kind === 'pipe' || kind === 'fifo') {
        withLocalCopy(p, self, fd, pidfd, (local) => {
          const cap = addon.fcntl(local, addon.constants.F_GETPIPE_SZ!, 0);
          const queued = addon.fionread(local);
          if (cap >= 0) entry.capacity = cap;
          if (queued >= 0) entry.queued = queued;
        });
      } else if (kind === 'socket') {
        const s = sockets.get(entry.inode);
        if (s) {
          entry.domain = s.domain;
          entry.type = s.type;
          if (s.state) entry.state = s.state;
          if (s.local) entry.local = s.local;
          if (s.peer) entry.peer = s.peer;
        }
        withLocalCopy(p, self, fd, pidfd, (local) => {
          const queued = addon.fionread(local);
          if (queued >= 0) entry.queued = queued;
          askSocket(local, entry);
        });
      }
      list.push(entry);
    }
  } finally {
    if (pidfd >= 0) addon.close(pidfd);
  }
  return list.sort((a, b) => a.fd - b.fd);
}
