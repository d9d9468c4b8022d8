// The socket calls one by one: a success test and errno tests (code, syscall, context) for each,
// blocking as in C (peers in other processes), wrong arguments, and posix-ipc/raw.
import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import {
  accept, bind, close, connect, fcntl, pipe, getpeername, getsockname, getsockopt, listen, recv, recvfrom, send, sendto,
  setsockopt, shutdown, socket, socketpair, SyscallError,
  AF_INET, AF_INET6, AF_UNIX, FD_CLOEXEC, F_GETFD, F_GETFL, F_SETFL, IPPROTO_IPV6, IPPROTO_TCP, IPV6_V6ONLY,
  MSG_DONTWAIT, MSG_PEEK, MSG_WAITALL, O_NONBLOCK, SHUT_RDWR, SHUT_WR, SOCK_CLOEXEC, SOCK_DGRAM, SOCK_NONBLOCK,
  SOCK_SEQPACKET, SOCK_STREAM, SOL_SOCKET, SO_ACCEPTCONN, SO_ERROR, SO_RCVBUF, SO_REUSEADDR, SO_TYPE, TCP_NODELAY, TCP_USER_TIMEOUT,
  type SockAddr,
} from 'posix-ipc';
import * as raw from 'posix-ipc/raw';
import { openFds, syscallError } from './helpers';
import { pollFd, refusedPort, socketPath, tcpListener, tcpPair } from './socket-helpers';

const loopback = (port = 0): SockAddr => ({ family: 'AF_INET', address: '127.0.0.1', port });

function text(buf: Buffer, n: number): string {
  return buf.toString('utf8', 0, n);
}

/** A python3 peer, started before this process blocks; resolves with its output when it exits. */
function python(script: string): { child: ChildProcess; done: Promise<{ code: number | null; out: string; err: string }> } {
  const child = spawn('python3', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) => child.on('close', (code) => resolve({ code, out, err })));
  return { child, done };
}

describe('socket', () => {
  it('creates a blocking, inheritable descriptor, as in C', () => {
    const fd = socket(AF_INET, SOCK_STREAM);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(openFds()).toContain(fd);
    expect(fcntl(fd, F_GETFD) & FD_CLOEXEC).toBe(0);
    expect(fcntl(fd, F_GETFL) & O_NONBLOCK).toBe(0);
    expect(getsockopt(fd, SOL_SOCKET, SO_TYPE)).toBe(SOCK_STREAM);
    close(fd);
  });

  it('honours SOCK_NONBLOCK and SOCK_CLOEXEC, and the protocol argument', () => {
    const fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 17 /* IPPROTO_UDP */);
    expect(fcntl(fd, F_GETFD) & FD_CLOEXEC).toBe(FD_CLOEXEC);
    expect(fcntl(fd, F_GETFL) & O_NONBLOCK).toBe(O_NONBLOCK);
    expect(getsockopt(fd, SOL_SOCKET, SO_TYPE)).toBe(SOCK_DGRAM);
    close(fd);
  });

  it('fails with EAFNOSUPPORT, EINVAL, EPROTONOSUPPORT', () => {
    expect(syscallError(() => socket(12345, SOCK_STREAM))).toMatchObject({ code: 'EAFNOSUPPORT', syscall: 'socket' });
    expect(syscallError(() => socket(AF_INET, 12345))).toMatchObject({ code: 'EINVAL', syscall: 'socket' });
    expect(syscallError(() => socket(AF_INET, SOCK_STREAM, 17))).toMatchObject({ code: 'EPROTONOSUPPORT', syscall: 'socket' });
  });
});

describe('socketpair', () => {
  it('gives two connected ends of each type', () => {
    for (const type of [SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET]) {
      const [a, b] = socketpair(AF_UNIX, type);
      expect(a).not.toBe(b);
      expect(getsockopt(b, SOL_SOCKET, SO_TYPE)).toBe(type);
      expect(getpeername(a)).toEqual({ family: 'AF_UNIX', path: '' });
      send(b, 'x');
      expect(recv(a, Buffer.alloc(2))).toBe(1);
      close(a);
      close(b);
    }
  });

  it('fails for AF_INET (no socketpair there), with syscall socketpair', () => {
    expect(syscallError(() => socketpair(AF_INET, SOCK_STREAM))).toMatchObject({ code: 'ENOTSUP', syscall: 'socketpair' });
  });
});

describe('bind / getsockname', () => {
  it('binds IPv4, IPv6 and AF_UNIX addresses and reads them back', () => {
    const v4 = socket(AF_INET, SOCK_DGRAM);
    bind(v4, loopback());
    expect(getsockname(v4)).toMatchObject({ family: 'AF_INET', address: '127.0.0.1' });
    const v6 = socket(AF_INET6, SOCK_DGRAM);
    bind(v6, { family: 'AF_INET6', address: '::1', port: 0 });
    const a6 = getsockname(v6);
    expect(a6).toMatchObject({ family: 'AF_INET6', address: '::1', flowinfo: 0, scopeid: 0 });
    expect((a6 as { port: number }).port).toBeGreaterThan(0);
    const path = socketPath('bind');
    const un = socket(AF_UNIX, SOCK_STREAM);
    bind(un, { family: 'AF_UNIX', path });
    expect(fs.statSync(path).isSocket()).toBe(true);
    expect(getsockname(un)).toEqual({ family: 'AF_UNIX', path });
    for (const fd of [v4, v6, un]) close(fd);
  });

  it('an unbound socket reports the wildcard address or an unnamed path', () => {
    const v4 = socket(AF_INET, SOCK_STREAM);
    expect(getsockname(v4)).toEqual({ family: 'AF_INET', address: '0.0.0.0', port: 0 });
    const un = socket(AF_UNIX, SOCK_STREAM);
    expect(getsockname(un)).toEqual({ family: 'AF_UNIX', path: '' });
    close(v4);
    close(un);
  });

  it('Linux abstract names: embedded NULs kept, no file; path "" autobinds one', () => {
    const name = `\0posix-ipc\0test-${process.pid}`;
    const a = socket(AF_UNIX, SOCK_DGRAM);
    bind(a, { family: 'AF_UNIX', path: name });
    expect(getsockname(a)).toEqual({ family: 'AF_UNIX', path: name });
    const b = socket(AF_UNIX, SOCK_DGRAM);
    bind(b, { family: 'AF_UNIX', path: '' });
    const auto = getsockname(b) as { path: string };
    expect(auto.path.charCodeAt(0)).toBe(0);
    expect(auto.path.length).toBeGreaterThan(1);
    sendto(b, 'to the abstract name', { family: 'AF_UNIX', path: name });
    const buf = Buffer.alloc(64);
    const [n, src] = recvfrom(a, buf);
    expect(text(buf, n)).toBe('to the abstract name');
    expect(src).toEqual({ family: 'AF_UNIX', path: auto.path });
    const other = socket(AF_UNIX, SOCK_DGRAM);
    expect(syscallError(() => bind(other, { family: 'AF_UNIX', path: name }))).toMatchObject({ code: 'EADDRINUSE', path: name });
    for (const fd of [a, b, other]) close(fd);
  });

  it('fails with EADDRINUSE (an existing socket file), EINVAL (bound twice), ENOENT, with the path or address', () => {
    const path = socketPath('twice');
    const a = socket(AF_UNIX, SOCK_STREAM);
    bind(a, { family: 'AF_UNIX', path });
    const b = socket(AF_UNIX, SOCK_STREAM);
    expect(syscallError(() => bind(b, { family: 'AF_UNIX', path }))).toMatchObject({ code: 'EADDRINUSE', syscall: 'bind', path, fd: b });
    expect(syscallError(() => bind(a, { family: 'AF_UNIX', path: socketPath('again') }))).toMatchObject({ code: 'EINVAL', syscall: 'bind', fd: a });
    const missing = `${socketPath('dir')}/nope/s`;
    expect(syscallError(() => bind(b, { family: 'AF_UNIX', path: missing }))).toMatchObject({ code: 'ENOENT', path: missing });
    const udp = socket(AF_INET, SOCK_DGRAM);
    const e = syscallError(() => bind(udp, { family: 'AF_INET', address: '192.0.2.1', port: 7 }));
    expect(e).toMatchObject({ code: 'EADDRNOTAVAIL', syscall: 'bind', address: '192.0.2.1', port: 7, fd: udp });
    expect(e.message).toBe('bind EADDRNOTAVAIL 192.0.2.1:7 (Cannot assign requested address)');
    for (const fd of [a, b, udp]) close(fd);
  });
});

describe('listen / accept / connect', () => {
  it('a TCP server and client: accept gives a new fd and the client\'s address, as C\'s accept fills client_sin', () => {
    const l = tcpListener();
    expect(getsockopt(l.fd, SOL_SOCKET, SO_ACCEPTCONN)).toBe(1);
    const c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC);
    connect(c, l.address);
    expect(getpeername(c)).toEqual(l.address);
    const [s, peer] = accept(l.fd);
    expect(s).not.toBe(l.fd);
    expect(peer).toEqual(getsockname(c));
    expect(getpeername(s)).toEqual(peer);
    expect(fcntl(s, F_GETFD) & FD_CLOEXEC).toBe(0);   // accept, not accept4: inheritable
    for (const fd of [s, c, l.fd]) close(fd);
  });

  it('over IPv6 and AF_UNIX too', () => {
    const l6 = socket(AF_INET6, SOCK_STREAM);
    bind(l6, { family: 'AF_INET6', address: '::1', port: 0 });
    listen(l6);
    const c6 = socket(AF_INET6, SOCK_STREAM);
    connect(c6, getsockname(l6));
    const [s6, peer6] = accept(l6);
    expect(peer6).toMatchObject({ family: 'AF_INET6', address: '::1', flowinfo: 0, scopeid: 0 });
    expect(peer6).toEqual(getsockname(c6));

    const path = socketPath('server');
    const lu = socket(AF_UNIX, SOCK_SEQPACKET);
    bind(lu, { family: 'AF_UNIX', path });
    listen(lu, 1);
    const cu = socket(AF_UNIX, SOCK_SEQPACKET);
    const clientPath = socketPath('client');
    bind(cu, { family: 'AF_UNIX', path: clientPath });
    connect(cu, { family: 'AF_UNIX', path });
    const [su, peeru] = accept(lu);
    expect(peeru).toEqual({ family: 'AF_UNIX', path: clientPath });
    expect(getpeername(cu)).toEqual({ family: 'AF_UNIX', path });
    for (const fd of [s6, c6, l6, su, cu, lu]) close(fd);
  });

  it('listen fails with EOPNOTSUPP (named ENOTSUP, as Node names 95) on a datagram socket; accept with EINVAL when not listening', () => {
    const udp = socket(AF_INET, SOCK_DGRAM);
    expect(syscallError(() => listen(udp))).toMatchObject({ code: 'ENOTSUP', errno: -95, syscall: 'listen', fd: udp });
    const tcp = socket(AF_INET, SOCK_STREAM);
    expect(syscallError(() => accept(tcp))).toMatchObject({ code: 'EINVAL', syscall: 'accept', fd: tcp });
    close(udp);
    close(tcp);
  });

  it('connect errors carry the address: ECONNREFUSED over IPv4 and IPv6, ENOENT and ECONNREFUSED for AF_UNIX', () => {
    const { fd: holder, port } = refusedPort();
    const c = socket(AF_INET, SOCK_STREAM);
    expect(syscallError(() => connect(c, loopback(port)))).toMatchObject({ code: 'ECONNREFUSED', address: '127.0.0.1', port, fd: c });
    const h6 = socket(AF_INET6, SOCK_STREAM);
    bind(h6, { family: 'AF_INET6', address: '::1', port: 0 });
    const p6 = (getsockname(h6) as { port: number }).port;
    const c6 = socket(AF_INET6, SOCK_STREAM);
    const e6 = syscallError(() => connect(c6, { family: 'AF_INET6', address: '::1', port: p6 }));
    expect(e6).toMatchObject({ code: 'ECONNREFUSED', address: '::1', port: p6 });
    expect((e6.message as string).split('\n')[0]).toBe(`connect ECONNREFUSED [::1]:${p6} (Connection refused)`);

    const u = socket(AF_UNIX, SOCK_STREAM);
    const nowhere = socketPath('nobody');
    expect(syscallError(() => connect(u, { family: 'AF_UNIX', path: nowhere }))).toMatchObject({ code: 'ENOENT', syscall: 'connect', path: nowhere, fd: u });
    const bound = socketPath('bound-not-listening');
    const b = socket(AF_UNIX, SOCK_STREAM);
    bind(b, { family: 'AF_UNIX', path: bound });
    expect(syscallError(() => connect(u, { family: 'AF_UNIX', path: bound }))).toMatchObject({ code: 'ECONNREFUSED', path: bound });
    for (const fd of [holder, c, h6, c6, u, b]) close(fd);
  });

  it('a non-blocking TCP connect fails with EINPROGRESS (then EALREADY) and completes in the background; then 0, then EISCONN', () => {
    // A full queue drops the SYN, so the connection is surely still in progress when connect returns
    // (on loopback it may otherwise complete within the call).
    const l = tcpListener(0);
    const first = socket(AF_INET, SOCK_STREAM);
    connect(first, l.address);
    const c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK);
    expect(syscallError(() => connect(c, l.address))).toMatchObject({ code: 'EINPROGRESS', syscall: 'connect', address: '127.0.0.1', port: l.address.port, fd: c });
    expect(syscallError(() => connect(c, l.address))).toMatchObject({ code: 'EALREADY' });
    expect(syscallError(() => getpeername(c))).toMatchObject({ code: 'ENOTCONN' });
    const [s1] = accept(l.fd);                     // room in the queue: the SYN's retransmission gets in
    expect(pollFd(c, 'out', 10_000).writable).toBe(true);
    expect(getsockopt(c, SOL_SOCKET, SO_ERROR)).toBe(0);
    expect(getpeername(c)).toEqual(l.address);
    connect(c, l.address);                         // Linux: connect again reports the completed connection (0)
    expect(syscallError(() => connect(c, l.address))).toMatchObject({ code: 'EISCONN' });
    for (const fd of [s1, first, c, l.fd]) close(fd);
  });

  it('a non-blocking connect that is refused reports ECONNREFUSED through SO_ERROR', async () => {
    const { fd: holder, port } = refusedPort();
    const c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK);
    let code: unknown;
    try {
      connect(c, loopback(port));
    } catch (e) {
      code = (e as SyscallError).code;
    }
    if (code === 'EINPROGRESS') {
      let err = 0;
      for (let i = 0; i < 200 && err === 0; i++) {
        err = getsockopt(c, SOL_SOCKET, SO_ERROR);
        if (err === 0) await new Promise((r) => setTimeout(r, 10));
      }
      expect(err).toBe(111);
    } else {
      expect(code).toBe('ECONNREFUSED');
    }
    close(c);
    close(holder);
  });
});

describe('send / recv', () => {
  it('sends strings (as UTF-8), Buffers, typed arrays and DataViews, honouring len', () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
    expect(send(a, 'é€')).toBe(5);
    expect(send(a, Buffer.from('abc'), 2)).toBe(2);
    expect(send(a, new Uint16Array([0x6463]))).toBe(2);
    const ab = new ArrayBuffer(4);
    new Uint8Array(ab).set([0x65, 0x66, 0x67, 0x68]);
    expect(send(a, new DataView(ab, 1, 2))).toBe(2);
    const buf = Buffer.alloc(32);
    expect(recv(b, buf, 11, MSG_WAITALL)).toBe(11);
    expect(text(buf, 11)).toBe('é€abcdfg');
    close(a);
    close(b);
  });

  it('MSG_PEEK leaves the data; MSG_DONTWAIT fails with EAGAIN on a blocking socket; recv into part of a buffer', () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
    const buf = Buffer.alloc(8, 0x2e);
    expect(syscallError(() => recv(b, buf, 8, MSG_DONTWAIT))).toMatchObject({ code: 'EAGAIN', syscall: 'recv', fd: b });
    send(a, 'peek');
    expect(recv(b, buf, 4, MSG_PEEK)).toBe(4);
    expect(recv(b.valueOf(), buf.subarray(4), 4)).toBe(4);
    expect(buf.toString()).toBe('peekpeek');
    close(a);
    close(b);
  });

  it('a zero-length send returns 0 and sends nothing; a zero-length recv returns 0 once data is there', () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
    expect(send(a, '')).toBe(0);
    expect(send(a, 'x', 0)).toBe(0);
    expect(syscallError(() => recv(b, Buffer.alloc(4), 0, MSG_DONTWAIT))).toMatchObject({ code: 'EAGAIN' });   // on a stream it waits for a byte, as in C
    send(a, 'x');
    expect(recv(b, Buffer.alloc(4), 0)).toBe(0);
    expect(recv(b, Buffer.alloc(4))).toBe(1);
    close(a);
    close(b);
  });

  it('fails with ENOTCONN on an unconnected stream, EPIPE after shutdown(SHUT_WR), ENOTSOCK on a pipe', () => {
    const t = socket(AF_INET, SOCK_STREAM);
    expect(syscallError(() => recv(t, Buffer.alloc(1)))).toMatchObject({ code: 'ENOTCONN', syscall: 'recv', fd: t });
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
    shutdown(a, SHUT_WR);
    expect(syscallError(() => send(a, 'x'))).toMatchObject({ code: 'EPIPE', syscall: 'send', fd: a });
    expect(send(b, 'y')).toBe(1);   // the other direction is still open
    expect(recv(a, Buffer.alloc(1))).toBe(1);
    const [r, w] = pipe();
    expect(syscallError(() => send(w, 'x'))).toMatchObject({ code: 'ENOTSOCK', syscall: 'send', fd: w });
    for (const fd of [t, a, b, r, w]) close(fd);
  });
});

describe('sendto / recvfrom', () => {
  it('both sendto forms; recvfrom returns [n, src], src null on a connected stream', () => {
    const s = socket(AF_INET, SOCK_DGRAM);
    bind(s, loopback());
    const dest = getsockname(s);
    const c = socket(AF_INET, SOCK_DGRAM);
    expect(sendto(c, 'short form', dest)).toBe(10);
    expect(sendto(c, Buffer.from('C form, cut'), 6, 0, dest)).toBe(6);
    const buf = Buffer.alloc(32);
    const [n1, src1] = recvfrom(s, buf);
    expect(text(buf, n1)).toBe('short form');
    expect(src1).toMatchObject({ family: 'AF_INET', address: '127.0.0.1' });
    expect(src1).toEqual({ ...(getsockname(c) as object), address: '127.0.0.1' });
    expect(recvfrom(s, buf, 32, 0)[0]).toBe(6);
    expect(text(buf, 6)).toBe('C form');
    for (const fd of [s, c]) close(fd);

    const [x, y] = tcpPair();
    send(x, 'stream');
    expect(recvfrom(y, buf)).toEqual([6, null]);
    close(x);
    close(y);
  });

  it('over IPv6 the source carries flowinfo and scopeid', () => {
    const s = socket(AF_INET6, SOCK_DGRAM);
    bind(s, { family: 'AF_INET6', address: '::1', port: 0 });
    const c = socket(AF_INET6, SOCK_DGRAM);
    bind(c, { family: 'AF_INET6', address: '::1', port: 0 });
    sendto(c, 'six', { family: 'AF_INET6', address: '::1', port: (getsockname(s) as { port: number }).port, flowinfo: 0, scopeid: 0 });
    const [n, src] = recvfrom(s, Buffer.alloc(8));
    expect(n).toBe(3);
    expect(src).toEqual(getsockname(c));
    close(s);
    close(c);
  });

  it('an unbound AF_UNIX sender has no address: src is null', () => {
    const path = socketPath('dgram');
    const s = socket(AF_UNIX, SOCK_DGRAM);
    bind(s, { family: 'AF_UNIX', path });
    const c = socket(AF_UNIX, SOCK_DGRAM);
    sendto(c, 'anonymous', { family: 'AF_UNIX', path });
    expect(recvfrom(s, Buffer.alloc(16))).toEqual([9, null]);
    close(s);
    close(c);
  });

  it('fails with ENOENT (no socket file) with the path, EAFNOSUPPORT with the address, EAGAIN non-blocking', () => {
    const c = socket(AF_UNIX, SOCK_DGRAM);
    const path = socketPath('none');
    expect(syscallError(() => sendto(c, 'x', { family: 'AF_UNIX', path }))).toMatchObject({ code: 'ENOENT', syscall: 'sendto', path, fd: c });
    const u = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK);
    bind(u, loopback());
    expect(syscallError(() => sendto(u, 'x', { family: 'AF_INET6', address: '::1', port: 9 }))).toMatchObject({ code: 'EAFNOSUPPORT', address: '::1', port: 9 });
    expect(syscallError(() => recvfrom(u, Buffer.alloc(1)))).toMatchObject({ code: 'EAGAIN', syscall: 'recvfrom', fd: u });
    close(c);
    close(u);
  });
});

describe('shutdown', () => {
  it('SHUT_RDWR: the peer reads 0; recv after SHUT_RD gives 0', () => {
    const [a, b] = tcpPair();
    shutdown(a, SHUT_RDWR);
    expect(recv(b, Buffer.alloc(1))).toBe(0);
    expect(recv(a, Buffer.alloc(1))).toBe(0);
    close(a);
    close(b);
  });

  it('fails with ENOTCONN on an unconnected socket, EINVAL for a bad how', () => {
    const t = socket(AF_INET, SOCK_STREAM);
    expect(syscallError(() => shutdown(t, SHUT_WR))).toMatchObject({ code: 'ENOTCONN', syscall: 'shutdown', fd: t });
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
    expect(syscallError(() => shutdown(a, 99))).toMatchObject({ code: 'EINVAL', syscall: 'shutdown' });
    for (const fd of [t, a, b]) close(fd);
  });
});

describe('getpeername', () => {
  it('fails with ENOTCONN when not connected', () => {
    const t = socket(AF_INET, SOCK_STREAM);
    expect(syscallError(() => getpeername(t))).toMatchObject({ code: 'ENOTCONN', syscall: 'getpeername', fd: t });
    close(t);
  });
});

describe('setsockopt / getsockopt', () => {
  it('sets and reads int options; booleans are 1 and 0', () => {
    const fd = socket(AF_INET, SOCK_STREAM);
    expect(getsockopt(fd, IPPROTO_TCP, TCP_NODELAY)).toBe(0);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, true);
    expect(getsockopt(fd, IPPROTO_TCP, TCP_NODELAY)).toBe(1);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, false);
    expect(getsockopt(fd, IPPROTO_TCP, TCP_NODELAY)).toBe(0);
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, 65536);
    expect(getsockopt(fd, SOL_SOCKET, SO_RCVBUF)).toBe(131072);   // Linux doubles it
    expect(getsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT)).toBe(0);
    setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, 2500);
    expect(getsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT)).toBe(2500);
    expect(syscallError(() => setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, -1))).toMatchObject({ code: 'EINVAL', syscall: 'setsockopt', fd });
    close(fd);
  });

  it('refuses struct-valued and read-only options with a RangeError, before any call', () => {
    const fd = socket(AF_INET, SOCK_STREAM);
    expect(() => setsockopt(fd, SOL_SOCKET, 13 /* SO_LINGER: a struct linger */, 1)).toThrow(RangeError);
    expect(() => getsockopt(fd, SOL_SOCKET, 20 /* SO_RCVTIMEO: a struct timeval */)).toThrow(RangeError);
    expect(() => setsockopt(fd, SOL_SOCKET, SO_TYPE, 1)).toThrow(/can only be read/);
    expect(() => setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, 'yes' as never)).toThrow(TypeError);
    expect(() => setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1.5)).toThrow(RangeError);
    expect(() => getsockopt(fd, 'SOL_SOCKET' as never, SO_TYPE)).toThrow(TypeError);
    close(fd);
  });

  it('fails with ENOPROTOOPT for an option of another protocol, EBADF on a closed fd', () => {
    const fd = socket(AF_INET, SOCK_DGRAM);
    expect(syscallError(() => setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1))).toMatchObject({ code: 'ENOPROTOOPT', syscall: 'setsockopt', fd });
    close(fd);
    expect(syscallError(() => getsockopt(fd, SOL_SOCKET, SO_TYPE))).toMatchObject({ code: 'EBADF', syscall: 'getsockopt', fd });
  });
});

describe('blocking calls wait, as in C', () => {
  it('accept waits for a client that connects later, and recv for its data', async () => {
    const l = tcpListener();
    fcntl(l.fd, F_SETFL, O_NONBLOCK);
    expect(syscallError(() => accept(l.fd))).toMatchObject({ code: 'EAGAIN' });   // nobody yet
    fcntl(l.fd, F_SETFL, 0);
    const peer = python(`
import socket, time
time.sleep(0.3)
c = socket.create_connection(('127.0.0.1', ${l.address.port}))
time.sleep(0.3)
c.sendall(b'late hello')
c.close()`);
    const [s, from] = accept(l.fd);                       // blocks until python connects
    expect(from).toMatchObject({ family: 'AF_INET', address: '127.0.0.1' });
    expect(syscallError(() => recv(s, Buffer.alloc(1), 1, MSG_DONTWAIT))).toMatchObject({ code: 'EAGAIN' });   // no data yet
    const buf = Buffer.alloc(32);
    let n = 0;
    for (let r; (r = recv(s, buf.subarray(n))) > 0;) n += r;   // blocks until the data, then 0 at its close
    expect(text(buf, n)).toBe('late hello');
    expect((await peer.done).code).toBe(0);
    close(s);
    close(l.fd);
  });

  it('connect to a server whose queue is full waits until the server accepts', async () => {
    const server = python(`
import socket, sys, time
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0)
print(s.getsockname()[1], flush=True)
time.sleep(0.5)
for i in range(2):
    c, _ = s.accept(); c.sendall(b'accepted'); c.close()`);
    const port = await new Promise<number>((resolve) => server.child.stdout!.once('data', (d) => resolve(Number(String(d).trim()))));
    const first = socket(AF_INET, SOCK_STREAM);
    connect(first, loopback(port));                     // takes the only place in the queue
    const second = socket(AF_INET, SOCK_STREAM);
    connect(second, loopback(port));                    // its SYN is dropped: waits for room
    const buf = Buffer.alloc(16);
    expect(recv(second, buf, 8, MSG_WAITALL)).toBe(8);
    expect(text(buf, 8)).toBe('accepted');
    expect((await server.done).code).toBe(0);
    close(first);
    close(second);
  });
});

describe('wrong arguments never reach the kernel, and open nothing', () => {
  const [a, b] = socketpair(AF_UNIX, SOCK_DGRAM);
  const cases: [string, () => unknown, TypeErrorConstructor | RangeErrorConstructor][] = [
    ['socket("AF_INET", ...)', () => socket('AF_INET' as never, SOCK_STREAM), TypeError],
    ['socket(AF_INET, 1.5)', () => socket(AF_INET, 1.5), RangeError],
    ['socket(AF_INET, SOCK_STREAM, NaN)', () => socket(AF_INET, SOCK_STREAM, NaN), RangeError],
    ['socketpair(AF_UNIX)', () => (socketpair as (d: number) => unknown)(AF_UNIX), TypeError],
    ['bind(fd, null)', () => bind(a, null as never), TypeError],
    ['bind(fd, "127.0.0.1:80")', () => bind(a, '127.0.0.1:80' as never), TypeError],
    ['bind with family AF_INET as a number', () => bind(a, { family: AF_INET, address: '127.0.0.1', port: 0 } as never), TypeError],
    ['bind with family "inet"', () => bind(a, { family: 'inet', address: '127.0.0.1', port: 0 } as never), TypeError],
    ['bind with NaN port', () => bind(a, { family: 'AF_INET', address: '127.0.0.1', port: NaN }), RangeError],
    ['bind with port 65536', () => bind(a, { family: 'AF_INET', address: '127.0.0.1', port: 65536 }), RangeError],
    ['bind with port -1', () => bind(a, { family: 'AF_INET', address: '127.0.0.1', port: -1 }), RangeError],
    ['bind with port "80"', () => bind(a, { family: 'AF_INET', address: '127.0.0.1', port: '80' as never }), TypeError],
    ['bind with no port', () => bind(a, { family: 'AF_INET', address: '127.0.0.1' } as never), TypeError],
    ['connect to a host name', () => connect(a, { family: 'AF_INET', address: 'localhost', port: 80 }), TypeError],
    ['connect to 1.2.3', () => connect(a, { family: 'AF_INET', address: '1.2.3', port: 80 }), TypeError],
    ['connect to an IPv6 text as AF_INET', () => connect(a, { family: 'AF_INET', address: '::1', port: 80 }), TypeError],
    ['connect to an IPv6 text with a zone', () => connect(a, { family: 'AF_INET6', address: 'fe80::1%lo', port: 80 }), TypeError],
    ['connect with flowinfo 2**20', () => connect(a, { family: 'AF_INET6', address: '::1', port: 80, flowinfo: 2 ** 20 }), RangeError],
    ['connect with scopeid -1', () => connect(a, { family: 'AF_INET6', address: '::1', port: 80, scopeid: -1 }), RangeError],
    ['connect with address 127', () => connect(a, { family: 'AF_INET', address: 127 as never, port: 80 }), TypeError],
    ['bind a path with a NUL inside', () => bind(a, { family: 'AF_UNIX', path: '/tmp/a\0b' }), TypeError],
    ['bind a path Buffer', () => bind(a, { family: 'AF_UNIX', path: Buffer.from('/tmp/x') as never }), TypeError],
    ['listen(fd, "5")', () => listen(a, '5' as never), TypeError],
    ['accept("3")', () => accept('3' as never), TypeError],
    ['send(fd, 42)', () => send(a, 42 as never), TypeError],
    ['send(fd, buf, -1)', () => send(a, Buffer.alloc(4), -1), RangeError],
    ['send(fd, buf, 5) past a 4-byte buffer', () => send(a, Buffer.alloc(4), 5), RangeError],
    ['send(fd, buf, 1, -1)', () => send(a, Buffer.alloc(4), 1, -1), RangeError],
    ['recv(fd, "text")', () => recv(b, 'text' as never), TypeError],
    ['recv(fd, ArrayBuffer)', () => recv(b, new ArrayBuffer(4) as never), TypeError],
    ['recv(fd, buf, NaN)', () => recv(b, Buffer.alloc(4), NaN), RangeError],
    ['sendto(fd, data) without dest', () => (sendto as (fd: number, d: string) => number)(a, 'x'), TypeError],
    ['sendto(fd, data, len, flags, "addr")', () => sendto(a, 'x', 1, 0, 'addr' as never), TypeError],
    ['sendto(fd, data, 2, 0, dest) past the data', () => sendto(a, 'x', 2, 0, { family: 'AF_UNIX', path: '/tmp/x' }), RangeError],
    ['recvfrom(fd, buf, -2)', () => recvfrom(b, Buffer.alloc(4), -2), RangeError],
    ['shutdown(fd, "SHUT_WR")', () => shutdown(a, 'SHUT_WR' as never), TypeError],
    ['setsockopt(fd, SOL_SOCKET, SO_REUSEADDR)', () => (setsockopt as (...x: number[]) => void)(a, SOL_SOCKET, SO_REUSEADDR), TypeError],
    ['getsockname(1.5)', () => getsockname(1.5), RangeError],
  ];
  for (const [name, fn, type] of cases) {
    it(`${name} throws ${type.name}`, () => {
      const before = openFds();
      expect(fn).toThrow(type);
      expect(openFds()).toEqual(before);
    });
  }
  it('the sockets used above are untouched: unbound and unconnected', () => {
    expect(getsockname(a)).toEqual({ family: 'AF_UNIX', path: '' });
    expect(send(a, 'still works')).toBe(11);
    close(a);
    close(b);
  });
});

describe('posix-ipc/raw sockets', () => {
  it('return -1 and set errno instead of throwing', () => {
    const { fd: holder, port } = refusedPort();
    const fd = raw.socket(AF_INET, SOCK_STREAM) as number;
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(raw.connect(fd, loopback(port))).toBe(-1);
    expect(raw.errno()).toBe(111);
    expect(raw.strerror(raw.errno())).toBe('Connection refused');
    expect(raw.accept(fd)).toBe(-1);
    expect(raw.errno()).toBe(22);
    expect(raw.close(fd)).toBe(0);
    expect(raw.close(holder)).toBe(0);
  });

  it('return C\'s values on success', () => {
    const pair = raw.socketpair(AF_UNIX, SOCK_DGRAM) as [number, number];
    expect(raw.send(pair[0], 'raw')).toBe(3);
    const buf = Buffer.alloc(8);
    expect(raw.recvfrom(pair[1], buf)).toEqual([3, null]);
    expect(raw.shutdown(pair[0], SHUT_RDWR)).toBe(0);
    expect(raw.setsockopt(pair[0], SOL_SOCKET, SO_RCVBUF, 4096)).toBe(0);
    expect(raw.getsockopt(pair[0], SOL_SOCKET, SO_TYPE)).toBe(SOCK_DGRAM);
    expect(raw.getsockname(pair[0])).toEqual({ family: 'AF_UNIX', path: '' });
    expect(raw.getpeername(999)).toBe(-1);
    expect(raw.errno()).toBe(9);
    const s = raw.socket(AF_INET, SOCK_DGRAM) as number;
    expect(raw.bind(s, loopback())).toBe(0);
    expect(raw.sendto(s, 'me', raw.getsockname(s) as SockAddr)).toBe(2);
    expect(raw.recv(s, buf)).toBe(2);
    expect(raw.listen(s)).toBe(-1);
    expect(raw.errno()).toBe(95);
    for (const fd of [...pair, s]) raw.close(fd);
  });

  it('wrong arguments still throw', () => {
    expect(() => raw.bind(0, { family: 'AF_INET', address: 'nope', port: 1 })).toThrow(TypeError);
    expect(() => raw.connect(0, { family: 'AF_INET', address: '1.2.3.4', port: 1e6 })).toThrow(RangeError);
  });
});
