/**
 * 14. Seeing it: tracing. With tracing on, every system call posix-ipc makes is printed the way
 * strace(1) prints it, after it returns:
 *
 *     [pid 4242] pipe([3, 4]) = 0
 *     [pid 4242] write(4, "hello", 5) = 5
 *     [pid 4242] connect(3, {AF_INET, 127.0.0.1:2021}) = -1 ECONNREFUSED (Connection refused)
 *
 * Turn it on with `POSIX_IPC_TRACE=1` in the environment or `trace(true)`. Off, the calls go
 * straight to the addon: tracing costs nothing then.
 */
import * as fs from 'node:fs';
import { errnoName, strerror } from './errors';
import { addon, calls, tables, type NativeCalls, type NativePromises } from './native';

/** Where trace lines go: a descriptor (written synchronously), or a function given each line. */
export type TraceSink = number | ((line: string) => void);

/**
 * Formats one traced call: gets the native arguments and the native result (>= 0 or -errno), and
 * returns `name(args)` as strace shows it. The result part is added by the tracer.
 */
export type TraceFormatter = (args: readonly unknown[], rc: number) => string;

const MAX_STRING = 32;

/** A C string literal of the first bytes of a buffer, strace-style: `"hello\n"...`. */
export function quoteBytes(view: ArrayBufferView, length: number): string {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, Math.min(view.byteLength, Math.max(0, length)));
  let s = '"';
  const n = Math.min(bytes.length, MAX_STRING);
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0x22) s += '\\"';
    else if (b === 0x5c) s += '\\\\';
    else if (b === 0x0a) s += '\\n';
    else if (b === 0x09) s += '\\t';
    else if (b === 0x0d) s += '\\r';
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += `\\${b.toString(8)}`;
  }
  s += '"';
  return bytes.length > MAX_STRING ? `${s}...` : s;
}

/** A string argument (a path), quoted like strace. */
export function quoteString(text: string): string {
  return quoteBytes(Buffer.from(text, 'utf8'), Number.MAX_SAFE_INTEGER);
}

/** Decodes a bit mask into `A|B|0x10` using the exported constants named in `names`. */
export function flagNames(value: number, names: readonly string[]): string {
  if (value === 0) return '0';
  const c = addon.constants;
  const parts: string[] = [];
  let rest = value;
  for (const name of names) {
    const bit = c[name];
    if (bit !== undefined && bit !== 0 && (rest & bit) === bit) {
      parts.push(name);
      rest &= ~bit;
    }
  }
  if (rest !== 0) parts.push(`0x${rest.toString(16)}`);
  return parts.join('|');
}

/** The name of a constant with this value among `names`, or the number. */
export function constantName(value: number, names: readonly string[]): string {
  const c = addon.constants;
  for (const name of names) if (c[name] === value) return name;
  return String(value);
}

const openFlags = ['O_NONBLOCK', 'O_CLOEXEC', 'O_CREAT', 'O_EXCL', 'O_TRUNC', 'O_APPEND', 'O_NOCTTY', 'O_DIRECT'];
const fcntlCmds = ['F_GETFL', 'F_SETFL', 'F_GETFD', 'F_SETFD', 'F_DUPFD', 'F_DUPFD_CLOEXEC', 'F_GETPIPE_SZ', 'F_SETPIPE_SZ'];

/** The access mode and flags of open(2)/F_GETFL: `O_WRONLY|O_NONBLOCK`. */
export function openFlagNames(flags: number): string {
  const mode = flags & 3;
  const head = constantName(mode, ['O_RDONLY', 'O_WRONLY', 'O_RDWR']);
  const rest = flagNames(flags & ~3, openFlags);
  return rest === '0' ? head : `${head}|${rest}`;
}

function fcntlArg(cmd: number, arg: number): string {
  const c = addon.constants;
  if (cmd === c.F_SETFL) return `, ${openFlagNames(arg)}`;
  if (cmd === c.F_SETFD) return `, ${flagNames(arg, ['FD_CLOEXEC'])}`;
  if (cmd === c.F_GETFL || cmd === c.F_GETFD || cmd === c.F_GETPIPE_SZ) return '';
  return `, ${arg}`;
}

const int = (v: unknown) => String(v);

const families = ['AF_UNIX', 'AF_INET', 'AF_INET6', 'AF_UNSPEC'];
const sockTypes = ['SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_SEQPACKET', 'SOCK_RAW'];
const msgFlags = ['MSG_PEEK', 'MSG_WAITALL', 'MSG_DONTWAIT', 'MSG_NOSIGNAL', 'MSG_OOB', 'MSG_TRUNC', 'MSG_EOR', 'MSG_MORE', 'MSG_CONFIRM'];
const pollEvents = ['POLLIN', 'POLLPRI', 'POLLOUT', 'POLLERR', 'POLLHUP', 'POLLNVAL', 'POLLRDHUP'];

/** A socket type with its flags: `SOCK_STREAM|SOCK_NONBLOCK`. */
function sockType(type: number): string {
  const c = addon.constants;
  const extra = (c.SOCK_NONBLOCK ?? 0) | (c.SOCK_CLOEXEC ?? 0);
  const base = constantName(type & ~extra, sockTypes);
  const flags = flagNames(type & extra, ['SOCK_NONBLOCK', 'SOCK_CLOEXEC']);
  return flags === '0' ? base : `${base}|${flags}`;
}

/** An address as the native calls carry it: `{AF_INET, 127.0.0.1:2021}`, `{AF_UNIX, "/tmp/s"}`. */
export function formatAddress(family: number, text: string | null, port: number): string {
  const c = addon.constants;
  if (text === null) return 'NULL';
  if (family === c.AF_UNIX) {
    if (text === '') return '{AF_UNIX}';
    return text.charCodeAt(0) === 0 ? `{AF_UNIX, @${quoteString(text.slice(1))}}` : `{AF_UNIX, ${quoteString(text)}}`;
  }
  if (family === c.AF_INET6) return `{AF_INET6, [${text}]:${port}}`;
  return `{${constantName(family, families)}, ${text}:${port}}`;
}

/** An address a native call wrote into (meta, text) for the caller: shown after the call. */
function writtenAddress(meta: unknown, text: unknown, rc: number): string {
  if (rc < 0) return '0x0';
  const m = meta as Uint32Array;
  return formatAddress(m[0]!, (text as (string | null)[])[0] ?? null, m[1]!);
}

/** poll's array: native layout is struct pollfd, { int fd; short events; short revents; }. */
function pollList(fds: unknown, nfds: number, which: 'events' | 'revents', rc: number): string {
  const i32 = fds as Int32Array;
  const u16 = new Uint16Array(i32.buffer, i32.byteOffset, i32.length * 2);
  const items: string[] = [];
  for (let i = 0; i < nfds; i++) {
    const fd = i32[2 * i]!;
    if (which === 'events') items.push(`{fd=${fd}, events=${flagNames(u16[4 * i + 2]!, pollEvents)}}`);
    else if (rc >= 0 && u16[4 * i + 3]! !== 0) items.push(`{fd=${fd}, revents=${flagNames(u16[4 * i + 3]!, pollEvents)}}`);
  }
  return `[${items.join(', ')}]`;
}

/**
 * How each native call is shown. A topic adds its calls here. Arguments are the native ones
 * (see lib/native.ts `NativeCalls`); buffers read by the kernel are shown before the call, buffers
 * it fills after it, as strace does.
 */
export const formatters: Record<string, TraceFormatter> = {
  read: ([fd, buf, count], rc) => `read(${int(fd)}, ${rc >= 0 ? quoteBytes(buf as ArrayBufferView, rc) : '0x0'}, ${int(count)})`,
  write: ([fd, buf, count]) => `write(${int(fd)}, ${quoteBytes(buf as ArrayBufferView, count as number)}, ${int(count)})`,
  close: ([fd]) => `close(${int(fd)})`,
  pipe: ([out], rc) => `pipe(${rc >= 0 ? `[${(out as Int32Array)[0]}, ${(out as Int32Array)[1]}]` : '0x0'})`,
  pipe2: ([out, flags], rc) => `pipe2(${rc >= 0 ? `[${(out as Int32Array)[0]}, ${(out as Int32Array)[1]}]` : '0x0'}, ${openFlagNames(flags as number).replace(/^O_RDONLY\|?/, '') || '0'})`,
  fcntl: ([fd, cmd, arg]) => `fcntl(${int(fd)}, ${constantName(cmd as number, fcntlCmds)}${fcntlArg(cmd as number, arg as number)})`,
  socket: ([domain, type, protocol]) => `socket(${constantName(domain as number, families)}, ${sockType(type as number)}, ${int(protocol)})`,
  socketpair: ([out, domain, type, protocol], rc) =>
    `socketpair(${constantName(domain as number, families)}, ${sockType(type as number)}, ${int(protocol)}, ${rc >= 0 ? `[${(out as Int32Array)[0]}, ${(out as Int32Array)[1]}]` : '0x0'})`,
  bind: ([fd, family, text, port]) => `bind(${int(fd)}, ${formatAddress(family as number, text as string, port as number)})`,
  connect: ([fd, family, text, port]) => `connect(${int(fd)}, ${formatAddress(family as number, text as string, port as number)})`,
  listen: ([fd, backlog]) => `listen(${int(fd)}, ${int(backlog)})`,
  accept: ([fd, meta, text], rc) => `accept(${int(fd)}, ${writtenAddress(meta, text, rc)})`,
  send: ([fd, buf, len, flags]) => `send(${int(fd)}, ${quoteBytes(buf as ArrayBufferView, len as number)}, ${int(len)}, ${flagNames(flags as number, msgFlags)})`,
  recv: ([fd, buf, len, flags], rc) => `recv(${int(fd)}, ${rc >= 0 ? quoteBytes(buf as ArrayBufferView, rc) : '0x0'}, ${int(len)}, ${flagNames(flags as number, msgFlags)})`,
  sendto: ([fd, buf, len, flags, family, text, port]) =>
    `sendto(${int(fd)}, ${quoteBytes(buf as ArrayBufferView, len as number)}, ${int(len)}, ${flagNames(flags as number, msgFlags)}, ${formatAddress(family as number, text as string, port as number)})`,
  recvfrom: ([fd, buf, len, flags, meta, text], rc) =>
    `recvfrom(${int(fd)}, ${rc >= 0 ? quoteBytes(buf as ArrayBufferView, rc) : '0x0'}, ${int(len)}, ${flagNames(flags as number, msgFlags)}, ${writtenAddress(meta, text, rc)})`,
  shutdown: ([fd, how]) => `shutdown(${int(fd)}, ${constantName(how as number, ['SHUT_RD', 'SHUT_WR', 'SHUT_RDWR'])})`,
  getsockname: ([fd, meta, text], rc) => `getsockname(${int(fd)}, ${writtenAddress(meta, text, rc)})`,
  getpeername: ([fd, meta, text], rc) => `getpeername(${int(fd)}, ${writtenAddress(meta, text, rc)})`,
  setsockopt: ([fd, level, option, value]) => `setsockopt(${int(fd)}, ${sockoptLevel(level as number)}, ${sockoptName(level as number, option as number)}, ${int(value)})`,
  getsockopt: ([fd, level, option, out], rc) =>
    `getsockopt(${int(fd)}, ${sockoptLevel(level as number)}, ${sockoptName(level as number, option as number)}, ${rc >= 0 ? `[${(out as Int32Array)[0]}]` : '0x0'})`,
  inet_pton: ([family, text]) => `inet_pton(${constantName(family as number, families)}, ${quoteString(String(text))})`,
  poll: ([fds, nfds, timeout]) => `poll(${pollList(fds, nfds as number, 'events', 0)}, ${int(nfds)}, ${int(timeout)})`,
  // processes, FIFOs, redirection
  fork: () => 'fork()',
  _exit: ([status]) => `_exit(${int(status)})`,
  waitpid: ([pid, options, out], rc) => `waitpid(${int(pid)}, ${rc > 0 ? waitStatus(out as Int32Array) : 'NULL'}, ${flagNames(options as number, waitOptions)})`,
  execvp: ([file, argv]) => `execvp(${quoteString(String(file))}, ${stringList(argv)})`,
  posix_spawnp: ([file, argv, dup2s, closes]) => {
    const actions: string[] = [];
    const d = dup2s as Int32Array;
    for (let i = 0; i + 1 < d.length; i += 2) actions.push(`dup2(${d[i]}, ${d[i + 1]})`);
    for (const fd of closes as Int32Array) actions.push(`close(${fd})`);
    return `posix_spawnp(${quoteString(String(file))}, ${stringList(argv)}${actions.length ? `, {${actions.join(', ')}}` : ''})`;
  },
  kill: ([pid, sig]) => `kill(${int(pid)}, ${sig === 0 ? '0' : constantName(sig as number, signalNames())})`,
  mkfifo: ([path, mode]) => `mkfifo(${quoteString(String(path))}, 0${(mode as number).toString(8)})`,
  open: ([path, flags, mode]) => {
    const f = flags as number;
    const creat = (f & (addon.constants.O_CREAT ?? 0)) !== 0;
    return `open(${quoteString(String(path))}, ${openFlagNames(f)}${creat ? `, 0${(mode as number).toString(8)}` : ''})`;
  },
  unlink: ([path]) => `unlink(${quoteString(String(path))})`,
  dup: ([fd]) => `dup(${int(fd)})`,
  dup2: ([oldfd, newfd]) => `dup2(${int(oldfd)}, ${int(newfd)})`,
};

const waitOptions = ['WNOHANG', 'WUNTRACED', 'WCONTINUED'];

function signalNames(): string[] {
  return Object.keys(addon.constants).filter((k) => /^SIG[A-Z]+[0-9]*$/.test(k) && k !== 'SIGIOT' && k !== 'SIGPOLL');
}

/** An argv as strace prints one: `["ls", "-l"]`. */
function stringList(list: unknown): string {
  return `[${(list as string[]).map((a) => quoteString(String(a))).join(', ')}]`;
}

/** waitpid's status as strace decodes wait4's: `[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]`. */
function waitStatus(out: Int32Array): string {
  // out: [status, kind (0 exited, 1 signaled, 2 stopped, 3 continued), code or signal, core dumped]
  switch (out[1]) {
    case 0:
      return `[{WIFEXITED(s) && WEXITSTATUS(s) == ${out[2]}}]`;
    case 1:
      return `[{WIFSIGNALED(s) && WTERMSIG(s) == ${constantName(out[2]!, signalNames())}${out[3] ? ' && WCOREDUMP(s)' : ''}}]`;
    case 2:
      return `[{WIFSTOPPED(s) && WSTOPSIG(s) == ${constantName(out[2]!, signalNames())}}]`;
    default:
      return '[{WIFCONTINUED(s)}]';
  }
}

/**
 * Calls that do not return when they succeed: their line is printed before the call, with `= ?`
 * as strace prints `exit_group(0) = ?`. A failed execvp returns, and prints its result too.
 */
const noReturn = new Set(['_exit', 'execvp']);

function sockoptLevel(level: number): string {
  return constantName(level, ['SOL_SOCKET', 'IPPROTO_TCP', 'IPPROTO_IP', 'IPPROTO_IPV6', 'IPPROTO_UDP']);
}

function sockoptName(level: number, option: number): string {
  const table = (addon as unknown as { sockopts?: [string, number, number, boolean][] }).sockopts ?? [];
  for (const [name, l, o] of table) if (l === level && o === option) return name;
  return String(option);
}

/**
 * How a result is shown: `= 3`, or `= -1 EBADF (Bad file descriptor)`. A formatter may show
 * results differently (fcntl's flags); the default is the number.
 */
export const resultFormatters: Record<string, (args: readonly unknown[], rc: number) => string> = {
  poll: ([fds, nfds], rc) => (rc > 0 ? `${rc} (${pollList(fds, nfds as number, 'revents', rc)})` : rc === 0 ? '0 (Timeout)' : String(rc)),
  fcntl: ([, cmd], rc) => {
    const c = addon.constants;
    if (cmd === c.F_GETFL) return `0x${rc.toString(16)} (flags ${openFlagNames(rc)})`;
    if (cmd === c.F_GETFD) return `0x${rc.toString(16)} (flags ${flagNames(rc, ['FD_CLOEXEC'])})`;
    return String(rc);
  },
};

function currentPid(): number {
  const getpid = (addon as unknown as { getpid?: () => number }).getpid;
  return typeof getpid === 'function' ? getpid() : process.pid;
}

/** The line for one call. @internal */
export function traceLine(name: string, args: readonly unknown[], rc: number): string {
  const f = formatters[name];
  let call: string;
  try {
    call = f ? f(args, rc) : `${name}(${args.map((a) => (typeof a === 'number' ? a : '...')).join(', ')})`;
  } catch {
    call = `${name}(...)`;
  }
  let result: string;
  if (rc < 0) {
    result = `-1 ${errnoName(-rc) ?? `E${-rc}`} (${strerror(-rc)})`;
  } else {
    const rf = resultFormatters[name];
    result = rf ? rf(args, rc) : String(rc);
  }
  return `[pid ${currentPid()}] ${call} = ${result}`;
}

let sink: TraceSink | null = null;

function emit(line: string): void {
  const s = sink;
  if (s === null) return;
  if (typeof s === 'function') {
    s(line);
    return;
  }
  try {
    fs.writeSync(s, `${line}\n`);
  } catch {
    // A trace line that cannot be written must not change the traced program's behaviour.
  }
}

function wrap(table: NativeCalls): NativeCalls {
  const out: Record<string, unknown> = Object.create(table);
  for (const [name, fn] of Object.entries(table)) {
    if (typeof fn !== 'function') continue;
    const before = noReturn.has(name);
    out[name] = (...args: unknown[]) => {
      if (before) emit(traceLine(name, args, 0).replace(/ = 0$/, ' = ?'));
      const rc = (fn as (...a: unknown[]) => unknown).apply(table, args);
      if (typeof rc === 'number') emit(traceLine(name, args, rc));
      return rc;
    };
  }
  return out as unknown as NativeCalls;
}

// posix-ipc/promises' native calls (lib/native.ts NativePromises) as the sync formatters read
// them: accept and recvfrom carry the address (and recvfrom's buffer) in a slot, [text, meta, buf].
const promiseArgs: Record<string, (args: readonly unknown[]) => readonly unknown[]> = {
  read: (a) => a,
  write: (a) => a,
  send: (a) => a,
  recv: (a) => a,
  sendto: (a) => a,
  connect: (a) => a,
  poll: (a) => a,
  waitpid: (a) => a,
  open: (a) => a,
  accept: ([fd, slot]) => [fd, (slot as unknown[])[1], slot],
  recvfrom: ([fd, slot, len, flags]) => [fd, (slot as unknown[])[2], len, flags, (slot as unknown[])[1], slot],
};

/** A call's name and first argument, as strace prints a call that has not returned yet. */
function callHead(name: string, args: readonly unknown[]): string {
  if (name === 'poll') return `poll(${pollList(args[0], args[1] as number, 'events', 0)}`;
  if (name === 'open') return `open(${quoteString(String(args[0]))}`;
  return `${name}(${int(args[0])}`;
}

/**
 * The promise calls, traced. One that settles at once prints one line, as a sync call does. One
 * that waits prints two, as strace prints a call that blocks while other calls are made:
 *
 *     [pid 4242] recv(5, <unfinished ...>
 *     [pid 4242] write(1, "waiting", 7) = 7
 *     [pid 4242] <... recv resumed>"hello", 1024, 0) = 5
 *
 * (posix-ipc's own work meanwhile, the attempts without waiting and the readiness set, is not a
 * call of the program's: it is not shown.) getaddrinfo is a library function, not a system call,
 * and is not traced, as the sync one is not.
 */
function wrapPromises(table: NativePromises): NativePromises {
  const out: Record<string, unknown> = Object.create(table);
  for (const [name, toSync] of Object.entries(promiseArgs)) {
    const fn = (table as unknown as Record<string, (...a: unknown[]) => number | Promise<number>>)[name];
    if (typeof fn !== 'function') continue;
    out[name] = (...args: unknown[]) => {
      const r = fn.apply(table, args);
      if (typeof r === 'number') {
        emit(traceLine(name, toSync(args), r));
        return r;
      }
      const head = callHead(name, args);
      emit(`[pid ${currentPid()}] ${head}, <unfinished ...>`);
      const resumed = (rc: number) => {
        const line = traceLine(name, toSync(args), rc);
        const at = line.indexOf(head);
        emit(at < 0 ? line : `${line.slice(0, at)}<... ${name} resumed>${line.slice(at + head.length).replace(/^, /, '')}`);
      };
      return r.then(
        (rc) => {
          resumed(rc);
          return rc;
        },
        (err: unknown) => {
          const errno = (err as { errno?: unknown } | null)?.errno;
          if (typeof errno === 'number') resumed(errno);
          throw err;
        },
      );
    };
  }
  return out as unknown as NativePromises;
}

/**
 * Turns tracing on or off. `trace(true)` prints to standard error; `trace(fd)` writes to a
 * descriptor; `trace(line => ...)` hands each line to a function (a stream's `write`, an array's
 * `push`). Lines are written synchronously, so they also come out of a forked child, in order.
 * Returns whether tracing was on before.
 *
 * @example
 * trace(true);
 * const [r, w] = pipe();   // [pid 4242] pipe([3, 4]) = 0
 * trace(false);
 */
export function trace(on: boolean | TraceSink | { write(line: string): unknown }): boolean {
  const was = sink !== null;
  if (on === false) {
    sink = null;
    tables.sync = addon;
    tables.raw = addon.raw;
    tables.promises = addon.promises;
  } else {
    if (on === true) sink = 2;
    else if (typeof on === 'number') {
      if (!Number.isInteger(on) || on < 0) throw new RangeError('trace(fd): fd must be a non-negative integer');
      sink = on;
    } else if (typeof on === 'function') sink = on;
    else if (on && typeof (on as { write?: unknown }).write === 'function') {
      const stream = on as { write(line: string): unknown };
      sink = (line) => void stream.write(`${line}\n`);
    } else throw new TypeError('trace() takes a boolean, a descriptor, a function or a writable stream');
    if (!was) {
      tables.sync = wrap(addon);
      tables.raw = wrap(addon.raw);
      tables.promises = wrapPromises(addon.promises);
    }
  }
  // Keep a raw call in progress on its table; otherwise switch to the (un)traced sync table.
  calls.current = tables.sync;
  return was;
}

/** Whether tracing is on. */
export function tracing(): boolean {
  return sink !== null;
}

if (process.env.POSIX_IPC_TRACE && process.env.POSIX_IPC_TRACE !== '0') trace(true);
