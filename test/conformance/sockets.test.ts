// ../shared/CONFORMANCE.md, "Sockets": one test per line, named after it. Loopback only.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import {
  accept, bind, close, connect, fcntl, getaddrinfo, getsockname, getsockopt, listen, recv, recvfrom, send,
  sendto, setsockopt, shutdown, socket, socketpair, AddrInfoError, SyscallError,
  AF_INET, AF_INET6, AF_UNIX, AI_NUMERICSERV, F_GETFL, F_SETFL, O_NONBLOCK, SHUT_WR, SOCK_DGRAM, SOCK_NONBLOCK,
  SOCK_SEQPACKET, SOCK_STREAM, SOL_SOCKET, SO_REUSEADDR, SO_TYPE, type SockAddr,
} from 'posix-ipc';
import { openFds, syscallError } from '../helpers';
import { pollFd, refusedPort, socketPath, tcpListener, tcpPair } from '../socket-helpers';

function text(buf: Buffer, n: number): string {
  return buf.toString('utf8', 0, n);
}

describe('conformance: sockets', () => {
  it('14. connect to a loopback TCP port where nothing listens fails with ECONNREFUSED', () => {
    const { fd: holder, port } = refusedPort();
    const fd = socket(AF_INET, SOCK_STREAM);
    const e = syscallError(() => connect(fd, { family: 'AF_INET', address: '127.0.0.1', port }));
    expect(e).toBeInstanceOf(SyscallError);
    expect(e).toMatchObject({ code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1', port, fd });
    expect(e.message).toContain(`connect ECONNREFUSED 127.0.0.1:${port} (Connection refused)`);
    close(fd);
    close(holder);
  });

  it('15. a second bind to a TCP address and port in use fails with EADDRINUSE', () => {
    const l = tcpListener();
    const fd = socket(AF_INET, SOCK_STREAM);
    const e = syscallError(() => bind(fd, l.address));
    expect(e).toMatchObject({ code: 'EADDRINUSE', syscall: 'bind', address: '127.0.0.1', port: l.address.port, fd });
    close(fd);
    close(l.fd);
  });

  it('16. non-blocking accept: EAGAIN at once; after a connect poll says readable and accept works; the accepted fd blocks', () => {
    const l = tcpListener(16, SOCK_STREAM | SOCK_NONBLOCK);
    expect(syscallError(() => accept(l.fd))).toMatchObject({ code: 'EAGAIN', syscall: 'accept', fd: l.fd });
    expect(pollFd(l.fd, 'in', 0).readable).toBe(false);
    const c = socket(AF_INET, SOCK_STREAM);
    connect(c, l.address);
    expect(pollFd(l.fd, 'in').readable).toBe(true);
    const [s, peer] = accept(l.fd);
    expect(peer).toEqual(getsockname(c));
    expect(fcntl(s, F_GETFL) & O_NONBLOCK).toBe(0);
    expect(fcntl(l.fd, F_GETFL) & O_NONBLOCK).toBe(O_NONBLOCK);
    for (const fd of [s, c, l.fd]) close(fd);
  });

  it('17. non-blocking recv with no data fails with EAGAIN; after poll says readable it returns the data', () => {
    const [c, s] = tcpPair();
    fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK);
    const buf = Buffer.alloc(16);
    expect(syscallError(() => recv(s, buf))).toMatchObject({ code: 'EAGAIN', syscall: 'recv', fd: s });
    send(c, 'data');
    expect(pollFd(s, 'in').readable).toBe(true);
    expect(text(buf, recv(s, buf))).toBe('data');
    close(c);
    close(s);
  });

  it('18. the peer sends x and closes: recv gives the byte, then 0; data sent before shutdown(SHUT_WR) arrives and the peer can still answer', () => {
    let [c, s] = tcpPair();
    send(c, 'x');
    close(c);
    const buf = Buffer.alloc(4);
    expect(recv(s, buf)).toBe(1);
    expect(buf[0]).toBe(0x78);
    expect(recv(s, buf)).toBe(0);
    expect(recv(s, buf)).toBe(0);
    close(s);

    [c, s] = tcpPair();
    send(c, 'request');
    shutdown(c, SHUT_WR);
    const got = Buffer.alloc(32);
    let n = 0;
    for (let r; (r = recv(s, got.subarray(n))) > 0;) n += r;
    expect(text(got, n)).toBe('request');   // everything, then 0: the client is done talking
    expect(send(s, 'reply')).toBe(5);       // but the server can still answer
    expect(text(got, recv(c, got))).toBe('reply');
    close(s);
    close(c);
  });

  it('19. a stream keeps no message boundaries; SOCK_DGRAM and SOCK_SEQPACKET keep them', () => {
    const [c, s] = tcpPair();
    send(c, 'hello ');
    send(c, 'world');
    const buf = Buffer.alloc(32);
    const first = recv(s, buf, 3);
    expect(text(buf, first)).toBe('hel');
    let n = first;
    while (n < 11) n += recv(s, buf.subarray(n));
    expect(text(buf, n)).toBe('hello world');
    close(c);
    close(s);

    for (const type of [SOCK_DGRAM, SOCK_SEQPACKET]) {
      const [a, b] = socketpair(AF_UNIX, type);
      send(a, 'hello ');
      send(a, 'world');
      expect(text(buf, recv(b, buf))).toBe('hello ');
      expect(text(buf, recv(b, buf))).toBe('world');
      send(a, 'truncated');
      expect(text(buf, recv(b, buf, 4))).toBe('trun');   // the rest of the message is gone
      send(a, 'next');
      expect(text(buf, recv(b, buf))).toBe('next');
      close(a);
      close(b);
    }
  });

  it('20. UDP and AF_UNIX datagrams: sendto then recvfrom gives the message and the sender\'s address', () => {
    const server = socket(AF_INET, SOCK_DGRAM);
    bind(server, { family: 'AF_INET', address: '127.0.0.1', port: 0 });
    const client = socket(AF_INET, SOCK_DGRAM);
    bind(client, { family: 'AF_INET', address: '127.0.0.1', port: 0 });
    expect(sendto(client, 'ping', getsockname(server))).toBe(4);
    const buf = Buffer.alloc(64);
    const [n, src] = recvfrom(server, buf);
    expect(text(buf, n)).toBe('ping');
    expect(src).toEqual(getsockname(client));
    expect(sendto(server, buf, n, 0, src!)).toBe(4);   // answer the sender
    expect(recvfrom(client, buf)).toEqual([4, getsockname(server)]);
    close(server);
    close(client);

    const serverPath = socketPath('dgram-server');
    const clientPath = socketPath('dgram-client');
    const us = socket(AF_UNIX, SOCK_DGRAM);
    bind(us, { family: 'AF_UNIX', path: serverPath });
    const uc = socket(AF_UNIX, SOCK_DGRAM);
    bind(uc, { family: 'AF_UNIX', path: clientPath });
    expect(sendto(uc, 'over unix', { family: 'AF_UNIX', path: serverPath })).toBe(9);
    const [m, from] = recvfrom(us, buf);
    expect(text(buf, m)).toBe('over unix');
    expect(from).toEqual({ family: 'AF_UNIX', path: clientPath });
    close(us);
    close(uc);
  });

  it('21. accept gives the peer address the client\'s getsockname reports; getsockname after bind gives the bound address (port 0 becomes real)', () => {
    const fd = socket(AF_INET, SOCK_STREAM);
    bind(fd, { family: 'AF_INET', address: '127.0.0.1', port: 0 });
    const bound = getsockname(fd) as SockAddr & { port: number };
    expect(bound).toMatchObject({ family: 'AF_INET', address: '127.0.0.1' });
    expect(bound.port).toBeGreaterThan(0);
    listen(fd);
    const c = socket(AF_INET, SOCK_STREAM);
    connect(c, bound);
    const [s, peer] = accept(fd);
    expect(peer).toEqual(getsockname(c));
    expect((peer as { port: number }).port).toBeGreaterThan(0);
    expect(getsockname(s)).toEqual(bound);
    for (const x of [s, c, fd]) close(x);
  });

  it('22. using a closed fd fails with EBADF; close(-1) fails with EBADF', () => {
    const fd = socket(AF_INET, SOCK_STREAM);
    close(fd);
    expect(syscallError(() => send(fd, 'x'))).toMatchObject({ code: 'EBADF', syscall: 'send', fd });
    expect(syscallError(() => bind(fd, { family: 'AF_INET', address: '127.0.0.1', port: 0 }))).toMatchObject({ code: 'EBADF', syscall: 'bind', fd });
    expect(syscallError(() => getsockname(fd))).toMatchObject({ code: 'EBADF', syscall: 'getsockname', fd });
    expect(syscallError(() => close(fd))).toMatchObject({ code: 'EBADF', syscall: 'close', fd });
    expect(syscallError(() => close(-1))).toMatchObject({ code: 'EBADF', syscall: 'close', fd: -1 });
  });

  it('23. listen(fd, 0) is accepted; a backlog that is not an integer is a TypeError/RangeError', () => {
    const fd = socket(AF_INET, SOCK_STREAM);
    bind(fd, { family: 'AF_INET', address: '127.0.0.1', port: 0 });
    expect(() => listen(fd, 1.5)).toThrow(RangeError);
    expect(() => listen(fd, NaN)).toThrow(RangeError);
    expect(() => listen(fd, '5' as never)).toThrow(TypeError);
    expect(() => listen(fd, null as never)).toThrow(TypeError);
    expect(() => getsockopt(fd, SOL_SOCKET, SO_TYPE)).not.toThrow();
    listen(fd, 0);
    const c = socket(AF_INET, SOCK_STREAM);
    connect(c, getsockname(fd));   // a queue of one
    const [s] = accept(fd);
    for (const x of [s, c, fd]) close(x);
  });

  it('24. an AF_UNIX path longer than sun_path fails (ENAMETOOLONG) and nothing is bound; one that fits exactly works and round-trips', () => {
    const base = socketPath('x');
    const longest = base + 'p'.repeat(107 - Buffer.byteLength(base));
    expect(Buffer.byteLength(longest)).toBe(107);
    const tooLong = longest + 'p';
    const fd = socket(AF_UNIX, SOCK_STREAM);
    const before = openFds();
    const e = syscallError(() => bind(fd, { family: 'AF_UNIX', path: tooLong }));
    expect(e).toBeInstanceOf(SyscallError);
    expect(e).toMatchObject({ code: 'ENAMETOOLONG', syscall: 'bind', path: tooLong, fd });
    expect(fs.existsSync(tooLong)).toBe(false);
    expect(fs.existsSync(tooLong.slice(0, 107))).toBe(false);   // not truncated either
    expect(getsockname(fd)).toEqual({ family: 'AF_UNIX', path: '' });
    expect(openFds()).toEqual(before);
    const far = '/tmp/' + 'y'.repeat(195);
    expect(syscallError(() => bind(fd, { family: 'AF_UNIX', path: far }))).toMatchObject({ code: 'ENAMETOOLONG', path: far });
    expect(syscallError(() => connect(fd, { family: 'AF_UNIX', path: far }))).toMatchObject({ code: 'ENAMETOOLONG', syscall: 'connect' });

    bind(fd, { family: 'AF_UNIX', path: longest });
    expect(fs.statSync(longest).isSocket()).toBe(true);
    expect(getsockname(fd)).toEqual({ family: 'AF_UNIX', path: longest });
    listen(fd);
    const c = socket(AF_UNIX, SOCK_STREAM);
    connect(c, { family: 'AF_UNIX', path: longest });
    const [s, peer] = accept(fd);
    expect(peer).toEqual({ family: 'AF_UNIX', path: '' });   // the client is unnamed
    for (const x of [s, c, fd]) close(x);
    fs.unlinkSync(longest);
  });

  it('25. socketpair(AF_UNIX, SOCK_STREAM) gives two connected ends; bytes sent on one arrive on the other', () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
    const buf = Buffer.alloc(16);
    expect(send(a, 'ping')).toBe(4);
    expect(text(buf, recv(b, buf))).toBe('ping');
    expect(send(b, 'pong')).toBe(4);
    expect(text(buf, recv(a, buf))).toBe('pong');
    expect(getsockopt(a, SOL_SOCKET, SO_TYPE)).toBe(SOCK_STREAM);
    close(a);
    close(b);
  });

  it('26. send on a socket whose peer has closed fails with EPIPE or ECONNRESET, and the process survives', () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
    close(b);
    expect(syscallError(() => send(a, 'x'))).toMatchObject({ code: 'EPIPE', errno: -32, syscall: 'send', fd: a });
    close(a);

    const [c, s] = tcpPair();
    close(s);
    let err: Record<string, unknown> | undefined;
    for (let i = 0; i < 100 && !err; i++) {   // the first sends may still go out; the peer's RST ends that
      try {
        send(c, 'after the close');
      } catch (e) {
        err = e as Record<string, unknown>;
      }
    }
    expect(err).toBeInstanceOf(SyscallError);
    expect(['EPIPE', 'ECONNRESET']).toContain(err!.code);
    expect(err).toMatchObject({ syscall: 'send', fd: c });
    close(c);
  });

  it('27. getaddrinfo(localhost, 80) gives loopback addresses; an unknown host fails with an EAI_* code; a service name with AI_NUMERICSERV fails', () => {
    const found = getaddrinfo('localhost', '80', { socktype: SOCK_STREAM });
    expect(found.length).toBeGreaterThan(0);
    for (const ai of found) {
      expect([AF_INET, AF_INET6]).toContain(ai.family);
      expect(ai.socktype).toBe(SOCK_STREAM);
      expect(ai.address).toMatchObject({ port: 80 });
      expect(['127.0.0.1', '::1']).toContain((ai.address as { address: string }).address);
    }
    let e: unknown;
    try {
      getaddrinfo('nosuch.invalid', '80');
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(AddrInfoError);
    expect(e).not.toBeInstanceOf(SyscallError);
    expect((e as AddrInfoError).code).toMatch(/^EAI_/);
    expect(e).toMatchObject({ syscall: 'getaddrinfo', hostname: 'nosuch.invalid', service: '80' });
    expect(getaddrinfo('127.0.0.1', '2021', { flags: AI_NUMERICSERV })[0]!.address).toMatchObject({ port: 2021 });
    expect(() => getaddrinfo('localhost', 'http', { flags: AI_NUMERICSERV })).toThrow(expect.objectContaining({ code: 'EAI_NONAME' }));
  });

  it('28. SO_REUSEADDR lets a server rebind its port while an old connection is in TIME_WAIT', () => {
    const server = socket(AF_INET, SOCK_STREAM);
    setsockopt(server, SOL_SOCKET, SO_REUSEADDR, 1);
    bind(server, { family: 'AF_INET', address: '127.0.0.1', port: 0 });
    listen(server);
    const where = getsockname(server) as SockAddr & { port: number };
    const c = socket(AF_INET, SOCK_STREAM);
    connect(c, where);
    const [s] = accept(server);
    close(s);                                  // the server closes first: its side goes to TIME_WAIT
    expect(recv(c, Buffer.alloc(1))).toBe(0);
    close(c);
    close(server);
    const again = socket(AF_INET, SOCK_STREAM);
    expect(syscallError(() => bind(again, where))).toMatchObject({ code: 'EADDRINUSE', port: where.port });
    setsockopt(again, SOL_SOCKET, SO_REUSEADDR, true);
    expect(getsockopt(again, SOL_SOCKET, SO_REUSEADDR)).toBe(1);
    bind(again, where);
    listen(again);
    close(again);
  });
});
