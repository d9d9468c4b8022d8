/**
 * 5-9 and 12. Sockets: `socket`, `socketpair` (5), the server's `bind`, `listen`, `accept` (6),
 * the client's `connect` (7), the data calls `send`, `recv`, `sendto`, `recvfrom` (8), `shutdown`
 * (9), `getsockname`, `getpeername` (10) and the int-valued socket options `setsockopt`,
 * `getsockopt` (12). Every call is the system call: as blocking as in C, with C's errno.
 */
import { addressFail, decode, decoded, encode, encoded as e, type SockAddr } from './address';
import { fail } from './errors';
import { fastRecv, fastSend, fastTable } from './io';
import { addon, calls, pair } from './native';
import * as v from './validate';

/**
 * Creates a socket, an endpoint for communication, and returns its descriptor. `domain` is
 * `AF_UNIX` (same host), `AF_INET` or `AF_INET6` (IP); `type` is `SOCK_STREAM` (a reliable byte
 * stream: TCP over IP), `SOCK_DGRAM` (messages: UDP) or `SOCK_SEQPACKET` (messages over a
 * connection), optionally OR'd with `SOCK_NONBLOCK` (calls that would wait fail with `EAGAIN` /
 * `EINPROGRESS`) and `SOCK_CLOEXEC` (closed on exec). Without them the descriptor is blocking and
 * inherited by children, as in C. `protocol` 0 picks the usual one.
 *
 * See socket(2). Errors: `EAFNOSUPPORT`, `EPROTONOSUPPORT`, `EINVAL` (unknown type or flags),
 * `EMFILE`, `ENFILE`, `EACCES`.
 *
 * @example
 * const server_sd = socket(AF_INET, SOCK_STREAM, 0);
 * console.log(`socket has created for The Server with sd:${server_sd}`);
 */
export function socket(domain: number, type: number, protocol?: number): number {
  v.int(domain, 'domain');
  v.int(type, 'type');
  const p = protocol === undefined ? 0 : v.int(protocol, 'protocol');
  const rc = calls.current.socket(domain, type, p);
  return rc < 0 ? fail(rc, 'socket') : rc;
}

/**
 * Creates two connected sockets, like a pipe that works both ways: bytes sent on one arrive on
 * the other. `domain` is `AF_UNIX` on Linux; `type` may OR in `SOCK_NONBLOCK` / `SOCK_CLOEXEC`.
 *
 * See socketpair(2). Errors: `EAFNOSUPPORT` (not AF_UNIX), `EOPNOTSUPP`, `EMFILE`.
 *
 * @example
 * const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
 * send(a, 'ping');
 * const buf = Buffer.alloc(16);
 * console.log(buf.toString('utf8', 0, recv(b, buf)));   // ping
 */
export function socketpair(domain: number, type: number, protocol?: number): [number, number] {
  v.int(domain, 'domain');
  v.int(type, 'type');
  const p = protocol === undefined ? 0 : v.int(protocol, 'protocol');
  const rc = calls.current.socketpair(pair, domain, type, p);
  return rc < 0 ? fail(rc, 'socketpair') : [pair[0]!, pair[1]!];
}

/**
 * Gives a socket its address: the server's "phone number". For IP, port 0 lets the kernel pick a
 * free port (read it back with {@link getsockname}) and `'0.0.0.0'` / `'::'` mean every local
 * address. For AF_UNIX the path becomes a socket file, which stays until unlinked; `path: ''`
 * autobinds a Linux abstract name.
 *
 * See bind(2). Errors: `EADDRINUSE` (another socket has it: a server still running, an old
 * connection in TIME_WAIT without `SO_REUSEADDR`, or an existing socket file), `EACCES` (a port
 * below 1024 without privilege), `EADDRNOTAVAIL` (not a local address), `EINVAL` (already
 * bound), `ENAMETOOLONG` (an AF_UNIX path over 107 bytes: nothing is bound), `ENOENT`, `EBADF`,
 * `ENOTSOCK`. A malformed address is a TypeError/RangeError before any call.
 *
 * @example
 * bind(server_sd, { family: 'AF_INET', address: '127.0.0.1', port: 2021 });
 * bind(fd, { family: 'AF_UNIX', path: '/tmp/unix_socket' });
 */
export function bind(fd: number, address: SockAddr): void {
  v.fd(fd);
  encode(address, 'address');
  const rc = calls.current.bind(fd, e.family, e.text, e.port, e.flowinfo, e.scopeid);
  if (rc < 0) addressFail(rc, 'bind', fd, 'address');
}

/**
 * Marks a bound stream (or seqpacket) socket passive: the kernel now completes connections to it
 * and queues them, at most about `backlog` of them (default 128), until {@link accept} takes
 * them. `listen(fd, 0)` is accepted (a queue of one on Linux).
 *
 * See listen(2). Errors: `EADDRINUSE`, `EOPNOTSUPP` (a datagram socket), `EINVAL`, `EBADF`, `ENOTSOCK`.
 *
 * @example
 * listen(server_sd, 5);   // up to 5 calls wait; more are refused
 */
export function listen(fd: number, backlog?: number): void {
  v.fd(fd);
  const b = backlog === undefined ? 128 : v.int(backlog, 'backlog');
  const rc = calls.current.listen(fd, b);
  if (rc < 0) fail(rc, 'listen', { fd });
}

/**
 * Takes the next connection from a listening socket's queue, waiting for one if there is none (on
 * a blocking socket), and returns a new descriptor for it with the client's address:
 * `[fd, peer]`. Each connection has its own descriptor; the listening socket keeps listening. The
 * new descriptor is blocking and inheritable whatever the listener's flags (accept(2), not
 * accept4), as in C.
 *
 * See accept(2). Errors: `EAGAIN` (non-blocking, nothing pending), `EINVAL` (not listening),
 * `ECONNABORTED`, `EMFILE`, `EBADF`, `ENOTSOCK`. EINTR is retried (reported by posix-ipc/raw).
 *
 * @example
 * const [client_sd, client] = accept(server_sd);   // waits for a client
 * if (client.family === 'AF_INET') console.log(`The Server opened the request from client ${client.address}:${client.port}`);
 */
export function accept(fd: number): [fd: number, peer: SockAddr] {
  v.fd(fd);
  const rc = calls.current.accept(fd, decoded.meta, decoded.text);
  return rc < 0 ? fail(rc, 'accept', { fd }) : [rc, decode()!];
}

/**
 * Connects a socket to a server's address (a stream socket), or sets the only address a datagram
 * socket talks to. A blocking stream connect waits until the server's kernel accepts the
 * connection (a full listen queue makes it wait longer); on a `SOCK_NONBLOCK` socket a TCP
 * connect fails at once with `EINPROGRESS` and completes in the background (poll for POLLOUT,
 * then read `SO_ERROR`).
 *
 * A signal does not restart it blindly (the kernel goes on connecting, and POSIX lets a second
 * connect fail with `EALREADY`): when EINTR interrupts a blocking connect, posix-ipc waits for the
 * connection the kernel goes on making and reports its result from `SO_ERROR`, as Python does
 * (an AF_UNIX connect, which had not started, is called again); `posix-ipc/raw` reports EINTR.
 *
 * See connect(2). Errors: `ECONNREFUSED` (nothing listens there), `ENOENT` (no AF_UNIX socket
 * file), `ETIMEDOUT`, `ENETUNREACH`, `EINPROGRESS`, `EAGAIN` (AF_UNIX non-blocking and the
 * queue is full), `EISCONN`, `EALREADY`, `EADDRNOTAVAIL`, `EAFNOSUPPORT`, `ENAMETOOLONG`,
 * `EBADF`. A malformed address is a TypeError/RangeError before any call.
 *
 * @example
 * connect(client_sd, { family: 'AF_INET', address: '127.0.0.1', port: 2021 });
 */
export function connect(fd: number, address: SockAddr): void {
  v.fd(fd);
  encode(address, 'address');
  const rc = calls.current.connect(fd, e.family, e.text, e.port, e.flowinfo, e.scopeid);
  if (rc < 0) addressFail(rc, 'connect', fd, 'address');
}

/**
 * Sends bytes on a connected socket: up to `len` (default: all) of `data`, a buffer or a string
 * (sent as UTF-8). Returns how many were sent; on a stream that can be fewer (a partial send),
 * which is why servers loop. `flags`: `MSG_DONTWAIT`, `MSG_NOSIGNAL`, `MSG_OOB`, ...
 *
 * Node ignores SIGPIPE, so sending to a peer that has closed fails with `EPIPE` (or
 * `ECONNRESET`) and the process lives on.
 *
 * See send(2). Errors: `EPIPE`, `ECONNRESET`, `EAGAIN` (non-blocking and the buffer is full),
 * `ENOTCONN`, `EDESTADDRREQ`, `EMSGSIZE` (a datagram too big), `EBADF`, `ENOTSOCK`.
 *
 * @example
 * send(client_sd, 'hello\0', 6, 0);
 */
export function send(fd: number, data: ArrayBufferView | string, len?: number, flags?: number): number {
  v.fd(fd);
  if (typeof data === 'string') return sendString(fd, data, len, flags);
  const n = v.count(v.view(data, 'data'), len, 'len');
  const f = flags === undefined ? 0 : v.flags(flags);
  const table = calls.current;
  // A view and at least one byte through the addon's own table: the fast path (lib/io.ts).
  const rc = n > 0 && table === fastTable ? fastSend(fd, data, n, f) : table.send(fd, data, n, f);
  return rc < 0 ? failed(rc, 'send', fd) : rc;
}

// A string is a new Buffer each time: binding it would cost more than it saves (as write's).
function sendString(fd: number, data: string, len: number | undefined, flags: number | undefined): number {
  const buf = Buffer.from(data, 'utf8');
  const n = v.count(buf, len, 'len');
  const f = flags === undefined ? 0 : v.flags(flags);
  const rc = calls.current.send(fd, buf, n, f);
  return rc < 0 ? failed(rc, 'send', fd) : rc;
}

// fail() for a call on `fd`, out of line: the context object is made only when the call failed.
function failed(rc: number, syscall: string, fd: number): never {
  return fail(rc, syscall, { fd });
}

/**
 * Receives up to `len` bytes (default: the whole buffer) into `buf`, waiting for some on a
 * blocking socket. Returns how many arrived; `0` means the peer has shut down (end of stream). A
 * stream keeps no message boundaries; a datagram is received whole (the rest is dropped if `buf`
 * is too small). `flags`: `MSG_PEEK`, `MSG_WAITALL`, `MSG_DONTWAIT`, ...
 *
 * See recv(2). Errors: `EAGAIN` (non-blocking and nothing there), `ECONNRESET`, `ENOTCONN`,
 * `EBADF`, `ENOTSOCK`. EINTR is retried (reported by posix-ipc/raw).
 *
 * @example
 * const msg = Buffer.alloc(10);
 * const n = recv(client_sd, msg, 10, 0);
 * console.log(msg.toString('utf8', 0, n));
 */
export function recv(fd: number, buf: ArrayBufferView, len?: number, flags?: number): number {
  v.fd(fd);
  const n = v.count(v.view(buf, 'buf'), len, 'len');
  const f = flags === undefined ? 0 : v.flags(flags);
  const table = calls.current;
  const rc = n > 0 && table === fastTable ? fastRecv(fd, buf, n, f) : table.recv(fd, buf, n, f);
  return rc < 0 ? failed(rc, 'recv', fd) : rc;
}

/**
 * Sends a message to an address: the datagram call (UDP, AF_UNIX `SOCK_DGRAM`). Two forms:
 * `sendto(fd, data, dest)` and, as in C, `sendto(fd, data, len, flags, dest)`. Returns the bytes
 * sent; a datagram goes whole or not at all.
 *
 * See sendto(2). Errors: `EMSGSIZE` (too big for one datagram), `ECONNREFUSED` (an AF_UNIX
 * datagram socket with nobody bound there... or a previous UDP datagram was refused), `ENOENT`
 * (no AF_UNIX socket file), `EAGAIN`, `EACCES` (a broadcast address without SO_BROADCAST),
 * `EISCONN`, `EPIPE`, `ENAMETOOLONG`, `EBADF`. A malformed address is a TypeError/RangeError.
 *
 * @example
 * sendto(fd, 'ping', { family: 'AF_INET', address: '127.0.0.1', port: 9000 });
 */
export function sendto(fd: number, data: ArrayBufferView | string, dest: SockAddr): number;
export function sendto(fd: number, data: ArrayBufferView | string, len: number | undefined, flags: number, dest: SockAddr): number;
export function sendto(fd: number, data: ArrayBufferView | string, lenOrDest: number | undefined | SockAddr, flags?: number, dest?: SockAddr): number {
  v.fd(fd);
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : v.view(data, 'data');
  let n: number;
  let f = 0;
  if (typeof lenOrDest === 'object' && lenOrDest !== null) {
    n = buf.byteLength;
    encode(lenOrDest, 'dest');
  } else {
    n = v.count(buf, lenOrDest, 'len');
    f = flags === undefined ? 0 : v.flags(flags);
    encode(dest, 'dest');
  }
  const rc = calls.current.sendto(fd, buf, n, f, e.family, e.text, e.port, e.flowinfo, e.scopeid);
  return rc < 0 ? addressFail(rc, 'sendto', fd, 'dest') : rc;
}

/**
 * Receives a message and says who sent it: `[n, src]`, the datagram call. `src` is the sender's
 * address, or null when the kernel reports none: on a connected stream, and for an AF_UNIX sender
 * that never bound an address (it cannot be answered: a client that wants replies binds a path,
 * or `''` to autobind an abstract name). Accepted AF_UNIX clients without a name show as
 * `{ family: 'AF_UNIX', path: '' }`.
 *
 * See recvfrom(2). Errors: as {@link recv}. EINTR is retried (reported by posix-ipc/raw).
 *
 * @example
 * const buf = Buffer.alloc(1024);
 * const [n, src] = recvfrom(fd, buf);
 * sendto(fd, buf.subarray(0, n), src!);   // echo it back
 */
export function recvfrom(fd: number, buf: ArrayBufferView, len?: number, flags?: number): [n: number, src: SockAddr | null] {
  v.fd(fd);
  v.view(buf, 'buf');
  const n = v.count(buf, len, 'len');
  const f = flags === undefined ? 0 : v.flags(flags);
  const rc = calls.current.recvfrom(fd, buf, n, f, decoded.meta, decoded.text);
  return rc < 0 ? fail(rc, 'recvfrom', { fd }) : [rc, decode()];
}

/**
 * Shuts down one or both directions of a connection, for every descriptor of the socket (unlike
 * close, which only drops this descriptor). `SHUT_WR`: no more sending; the peer reads what was
 * sent, then 0, and can still answer. `SHUT_RD`: no more receiving. `SHUT_RDWR`: both. The
 * descriptor stays open: close it too.
 *
 * See shutdown(2). Errors: `ENOTCONN`, `EINVAL` (bad `how`), `EBADF`, `ENOTSOCK`.
 *
 * @example
 * send(fd, request);
 * shutdown(fd, SHUT_WR);       // "I am done talking": the server's recv() returns 0
 * const n = recv(fd, reply);   // the answer still arrives
 */
export function shutdown(fd: number, how: number): void {
  v.fd(fd);
  v.int(how, 'how');
  const rc = calls.current.shutdown(fd, how);
  if (rc < 0) fail(rc, 'shutdown', { fd });
}

/**
 * The address a socket is bound to: after `bind` with port 0, the port the kernel picked; after a
 * client's `connect`, its own address and ephemeral port. An unbound AF_UNIX socket gives
 * `{ family: 'AF_UNIX', path: '' }`; an unbound IP socket the wildcard address and port 0.
 *
 * See getsockname(2). Errors: `EBADF`, `ENOTSOCK`.
 *
 * @example
 * bind(fd, { family: 'AF_INET', address: '127.0.0.1', port: 0 });
 * const { port } = getsockname(fd) as { port: number };   // the port to tell the clients
 */
export function getsockname(fd: number): SockAddr {
  v.fd(fd);
  const rc = calls.current.getsockname(fd, decoded.meta, decoded.text);
  return rc < 0 ? fail(rc, 'getsockname', { fd }) : (decode() as SockAddr);
}

/**
 * The address of the peer a socket is connected to.
 *
 * See getpeername(2). Errors: `ENOTCONN` (not connected), `EBADF`, `ENOTSOCK`.
 *
 * @example
 * const peer = getpeername(client_sd);
 */
export function getpeername(fd: number): SockAddr {
  v.fd(fd);
  const rc = calls.current.getpeername(fd, decoded.meta, decoded.text);
  return rc < 0 ? fail(rc, 'getpeername', { fd }) : (decode() as SockAddr);
}

/** The int-valued options, by level and option: their names, and whether they can be set. */
const options = new Map<number, { name: string; settable: boolean }>();
for (const [name, level, option, settable] of addon.sockopts) options.set(optionKey(level, option), { name, settable });
const optionNames = [...options.values()].map((o) => o.name).join(', ');

function optionKey(level: number, option: number): number {
  return level * 0x10000 + option;
}

function knownOption(level: number, option: number): { name: string; settable: boolean } {
  v.int(level, 'level');
  v.int(option, 'name');
  const o = options.get(optionKey(level, option));
  if (!o) throw v.rangeError('name', `an int-valued option of that level (${optionNames})`, option);
  return o;
}

/**
 * Sets an int-valued socket option: `SO_REUSEADDR` (rebind a port with old connections in
 * TIME_WAIT), `SO_REUSEPORT`, `SO_KEEPALIVE`, `SO_RCVBUF`, `SO_SNDBUF`, `SO_BROADCAST` at level
 * `SOL_SOCKET`; `TCP_NODELAY` at `IPPROTO_TCP`; `IPV6_V6ONLY` at `IPPROTO_IPV6`... `true`/`false`
 * mean 1/0. Options whose value is a struct (`SO_LINGER`, `SO_RCVTIMEO`) and read-only ones
 * (`SO_ERROR`, `SO_TYPE`) are a RangeError, so no argument can make the kernel read memory of the
 * wrong size.
 *
 * See setsockopt(2), socket(7), tcp(7). Errors: `ENOPROTOOPT` (not for this socket's protocol),
 * `EINVAL`, `EBADF`, `ENOTSOCK`.
 *
 * @example
 * setsockopt(server_sd, SOL_SOCKET, SO_REUSEADDR, 1);   // before bind(): restart the server at once
 */
export function setsockopt(fd: number, level: number, name: number, value: number | boolean): void {
  v.fd(fd);
  const o = knownOption(level, name);
  if (!o.settable) throw v.rangeError('name', `an option that can be set (${o.name} can only be read)`, name);
  const n = typeof value === 'boolean' ? (value ? 1 : 0) : v.int(value, 'value');
  const rc = calls.current.setsockopt(fd, level, name, n);
  if (rc < 0) fail(rc, 'setsockopt', { fd });
}

/**
 * Reads an int-valued socket option (the same ones as {@link setsockopt}, plus `SO_ERROR`,
 * `SO_TYPE`, `SO_ACCEPTCONN`, `SO_DOMAIN`, `SO_PROTOCOL`). Flags read as 0 or 1; `SO_ERROR`
 * returns (and clears) the socket's pending errno, e.g. after a non-blocking connect.
 *
 * See getsockopt(2), socket(7). Errors: `ENOPROTOOPT`, `EBADF`, `ENOTSOCK`.
 *
 * @example
 * getsockopt(fd, SOL_SOCKET, SO_TYPE) === SOCK_STREAM;
 * const err = getsockopt(fd, SOL_SOCKET, SO_ERROR);   // 111: ECONNREFUSED
 */
export function getsockopt(fd: number, level: number, name: number): number {
  v.fd(fd);
  knownOption(level, name);
  const rc = calls.current.getsockopt(fd, level, name, pair);
  return rc < 0 ? fail(rc, 'getsockopt', { fd }) : pair[0]!;
}
