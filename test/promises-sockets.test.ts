// posix-ipc/promises: the socket calls (accept, connect, send, recv, sendto, recvfrom) and
// getaddrinfo. Each waits in the event loop, takes an AbortSignal, consumes nothing when aborted,
// rejects with EBADF when its descriptor is closed with posix-ipc's close, and leaves the
// descriptor's flags as they were.
import { describe, expect, it } from 'vitest';
import {
  accept as acceptSync, bind, close, connect as connectSync, fcntl, getaddrinfo as getaddrinfoSync, getpeername, getsockname,
  listen, pipe, poll as pollSync, recv as recvSync, send as sendSync, sendto as sendtoSync, shutdown, socket, socketpair,
  SyscallError, type SockAddr,
  AF_INET, AF_INET6, AF_UNIX, AI_NUMERICHOST, F_GETFD, F_GETFL, FD_CLOEXEC, MSG_DONTWAIT, MSG_PEEK, MSG_WAITALL, O_NONBLOCK, POLLIN,
  SHUT_WR, SOCK_DGRAM, SOCK_NONBLOCK, SOCK_SEQPACKET, SOCK_STREAM,
} from 'posix-ipc';
import {
  accept, connect, getaddrinfo, recv, recvfrom, send, sendto, AbortError, AddrInfoError,
} from 'posix-ipc/promises';
import { openFds, refusedArguments, type RefusedCase } from './helpers';
import { isPending, rejection } from './promises-helpers';
import { refusedPort, socketPath, tcpListener, tcpPair } from './socket-helpers';

/** The bytes queued on a socket now, taken without waiting. */
function takeNow(fd: number): string {
  let out = '';
  const buf = Buffer.alloc(65536);
  try {
    for (let n; (n = recvSync(fd, buf, undefined, MSG_DONTWAIT)) > 0;) out += buf.toString('latin1', 0, n);
  } catch (e) {
    if ((e as SyscallError).code !== 'EAGAIN') throw e;
  }
  return out;
}

/** Whether a connection waits in a listener's backlog now. */
function queued(listener: number): boolean {
  const fds = [{ fd: listener, events: POLLIN, revents: 0 }];
  return pollSync(fds, 0) === 1;
}

/** A listening AF_UNIX stream socket on a fresh path. */
function unixListener(backlog = 16, type = SOCK_STREAM): { fd: number; address: SockAddr } {
  const fd = socket(AF_UNIX, type);
  const address: SockAddr = { family: 'AF_UNIX', path: socketPath('l') };
  bind(fd, address);
  listen(fd, backlog);
  return { fd, address };
}

/** A bound AF_UNIX datagram socket on a fresh path. */
function unixDgram(): { fd: number; address: SockAddr } {
  const fd = socket(AF_UNIX, SOCK_DGRAM);
  const address: SockAddr = { family: 'AF_UNIX', path: socketPath('d') };
  bind(fd, address);
  return { fd, address };
}

/** A UDP socket bound to a port of 127.0.0.1 the kernel picked. */
function udpSocket(): { fd: number; address: SockAddr } {
  const fd = socket(AF_INET, SOCK_DGRAM);
  bind(fd, { family: 'AF_INET', address: '127.0.0.1', port: 0 });
  return { fd, address: getsockname(fd) };
}

/** Fills a socket's send side (and the peer's receive side) with MSG_DONTWAIT sends: how many bytes. */
function fill(fd: number, chunk = 65536): number {
  let total = 0;
  const data = Buffer.alloc(chunk, 0x2e);
  for (;;) {
    try {
      total += sendSync(fd, data, undefined, MSG_DONTWAIT);
    } catch (e) {
      if ((e as SyscallError).code === 'EAGAIN') return total;
      throw e;
    }
  }
}

/** Datagrams sent to `dest` with MSG_DONTWAIT until the receiver's queue is full: how many. */
function fillDgram(fd: number, dest: SockAddr): number {
  for (let n = 0; ; n++) {
    try {
      sendtoSync(fd, 'f', undefined, MSG_DONTWAIT, dest);
    } catch (e) {
      if ((e as SyscallError).code === 'EAGAIN') return n;
      throw e;
    }
  }
}

const flagsOf = (...fds: number[]) => fds.map((fd) => [fcntl(fd, F_GETFL), fcntl(fd, F_GETFD)]);

describe('promises: accept', () => {
  it('waits for a client, then resolves with [fd, peer]; the new descriptor is blocking and inheritable', async () => {
    const l = tcpListener();
    const before = flagsOf(l.fd);
    const pending = accept(l.fd);
    expect(await isPending(pending)).toBe(true);
    expect(flagsOf(l.fd)).toEqual(before);
    const c = socket(AF_INET, SOCK_STREAM);
    connectSync(c, l.address);
    const [s, peer] = await pending;
    expect(flagsOf(l.fd)).toEqual(before);
    expect(peer).toEqual(getsockname(c));
    expect(getpeername(s)).toEqual(getsockname(c));
    expect(fcntl(s, F_GETFL) & O_NONBLOCK).toBe(0);
    expect(fcntl(s, F_GETFD) & FD_CLOEXEC).toBe(0);
    sendSync(c, 'hi');
    expect(await recv(s, Buffer.alloc(2))).toBe(2);
    for (const fd of [s, c, l.fd]) close(fd);
  });

  it('resolves at once when a connection is queued; AF_UNIX peers without a name are path ""', async () => {
    const l = unixListener();
    const c = socket(AF_UNIX, SOCK_STREAM);
    connectSync(c, l.address);
    const [s, peer] = await accept(l.fd);
    expect(peer).toEqual({ family: 'AF_UNIX', path: '' });
    for (const fd of [s, c, l.fd]) close(fd);
  });

  it('waiting accepts on one listener take the connections in the order they were made', async () => {
    const l = tcpListener();
    const accepts = [accept(l.fd), accept(l.fd), accept(l.fd)];
    expect(await isPending(accepts[2]!)).toBe(true);
    const clients = [0, 1, 2].map(() => socket(AF_INET, SOCK_STREAM));
    for (const c of clients) connectSync(c, l.address);
    const got = await Promise.all(accepts);
    expect(got.map(([, peer]) => peer)).toEqual(clients.map((c) => getsockname(c)));
    for (const [s] of got) close(s);
    for (const fd of [...clients, l.fd]) close(fd);
  });

  it('a SOCK_NONBLOCK listener: the promise waits all the same', async () => {
    const l = tcpListener(16, SOCK_STREAM | SOCK_NONBLOCK);
    const pending = accept(l.fd);
    expect(await isPending(pending)).toBe(true);
    const c = socket(AF_INET, SOCK_STREAM);
    connectSync(c, l.address);
    const [s] = await pending;
    for (const fd of [s, c, l.fd]) close(fd);
  });

  it('rejects with SyscallError (code, syscall, fd): EINVAL not listening (at once), ENOTSOCK, EOPNOTSUPP, EBADF', async () => {
    const notListening = socket(AF_INET, SOCK_STREAM);
    const einval = await rejection(accept(notListening));
    expect(einval).toBeInstanceOf(SyscallError);
    expect(einval).toMatchObject({ code: 'EINVAL', syscall: 'accept', fd: notListening });
    const [r, w] = pipe();
    expect(await rejection(accept(r))).toMatchObject({ code: 'ENOTSOCK', syscall: 'accept', fd: r });
    const d = socket(AF_INET, SOCK_DGRAM);
    expect(await rejection(accept(d))).toMatchObject({ errno: -95, syscall: 'accept', fd: d }); // EOPNOTSUPP (ENOTSUP)
    for (const fd of [notListening, r, w, d]) close(fd);
    const e = await rejection(accept(r));
    expect(e).toMatchObject({ code: 'EBADF', syscall: 'accept', fd: r });
    expect(String(e.message).split('\n')[0]).toBe(`accept EBADF fd ${r} (Bad file descriptor)`);
  });

  it('abort before, while waiting, and after the client came: the connection stays in the backlog', async () => {
    const l = tcpListener();
    const c1 = socket(AF_INET, SOCK_STREAM);
    const c2 = socket(AF_INET, SOCK_STREAM);
    // Before: an aborted signal with a connection queued.
    connectSync(c1, l.address);
    const done = new AbortController();
    done.abort();
    expect(await rejection(accept(l.fd, { signal: done.signal }))).toBeInstanceOf(AbortError);
    expect(queued(l.fd)).toBe(true);
    const [s1, p1] = await accept(l.fd);
    expect(p1).toEqual(getsockname(c1));
    // While waiting.
    const ac = new AbortController();
    const waiting = accept(l.fd, { signal: ac.signal });
    expect(await isPending(waiting)).toBe(true);
    ac.abort();
    expect(await rejection(waiting)).toBeInstanceOf(AbortError);
    // After readiness: the client connects, and the abort comes before the loop serves the call.
    const ac2 = new AbortController();
    const ready = accept(l.fd, { signal: ac2.signal });
    expect(await isPending(ready)).toBe(true);
    connectSync(c2, l.address);
    expect(queued(l.fd)).toBe(true);
    ac2.abort();
    expect(await rejection(ready)).toBeInstanceOf(AbortError);
    const [s2, p2] = acceptSync(l.fd); // a later accept gets it
    expect(p2).toEqual(getsockname(c2));
    for (const fd of [s1, s2, c1, c2, l.fd]) close(fd);
  });

  it('closing the listener with posix-ipc close rejects the waiting accepts with EBADF', async () => {
    const l = tcpListener();
    const a = accept(l.fd);
    const b = accept(l.fd);
    expect(await isPending(b)).toBe(true);
    close(l.fd);
    for (const p of [a, b]) expect(await rejection(p)).toMatchObject({ code: 'EBADF', syscall: 'accept', fd: l.fd });
  });
});

describe('promises: connect', () => {
  it('TCP: resolves once connected; the socket is then connected as after a blocking connect', async () => {
    const l = tcpListener();
    const c = socket(AF_INET, SOCK_STREAM);
    const before = flagsOf(c);
    expect(await connect(c, l.address)).toBeUndefined();
    expect(flagsOf(c)).toEqual(before);
    expect(getpeername(c)).toEqual(l.address);
    const again = await rejection(connect(c, l.address));
    expect(again).toMatchObject({ code: 'EISCONN', syscall: 'connect', fd: c, address: '127.0.0.1', port: l.address.port });
    expect(() => connectSync(c, l.address)).toThrow(expect.objectContaining({ code: 'EISCONN' }));
    const [s] = acceptSync(l.fd);
    sendSync(c, 'tcp');
    expect(takeNow(s)).toBe('tcp');
    for (const fd of [s, c, l.fd]) close(fd);
  });

  it('TCP refused: ECONNREFUSED with the address and port', async () => {
    const { fd: holder, port } = refusedPort();
    const c = socket(AF_INET, SOCK_STREAM);
    const e = await rejection(connect(c, { family: 'AF_INET', address: '127.0.0.1', port }));
    expect(e).toBeInstanceOf(SyscallError);
    expect(e).toMatchObject({ code: 'ECONNREFUSED', syscall: 'connect', fd: c, address: '127.0.0.1', port });
    expect(String(e.message).split('\n')[0]).toBe(`connect ECONNREFUSED 127.0.0.1:${port} (Connection refused)`);
    // The socket can try again, as after a blocking connect that was refused.
    const l = tcpListener();
    await connect(c, l.address);
    for (const fd of [c, holder, l.fd]) close(fd);
  });

  it('IPv6 loopback, and a SOCK_NONBLOCK socket (the promise waits where the sync call says EINPROGRESS)', async () => {
    const l6 = socket(AF_INET6, SOCK_STREAM);
    bind(l6, { family: 'AF_INET6', address: '::1', port: 0 });
    listen(l6);
    const c6 = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK);
    const before = flagsOf(c6);
    await connect(c6, getsockname(l6));
    expect(flagsOf(c6)).toEqual(before);
    expect(getpeername(c6)).toEqual(getsockname(l6));
    for (const fd of [c6, l6]) close(fd);
  });

  it('TCP under way (the listener\'s queue is full): abort abandons it, and the socket can connect anew', async () => {
    const full = tcpListener(0);
    const clients: number[] = [];
    let waiting: Promise<void> | undefined;
    let ac: AbortController | undefined;
    for (let i = 0; i < 4 && !waiting; i++) {
      const c = socket(AF_INET, SOCK_STREAM);
      clients.push(c);
      const ctl = new AbortController();
      const p = connect(c, full.address, { signal: ctl.signal });
      if (await isPending(p)) [waiting, ac] = [p, ctl];
      else await p; // fitted in the queue
    }
    expect(waiting).toBeDefined(); // the SYN was dropped: it waits for a retransmission
    const c = clients[clients.length - 1]!;
    const before = flagsOf(c);
    ac!.abort();
    expect(await rejection(waiting!)).toBeInstanceOf(AbortError);
    expect(() => getpeername(c)).toThrow(expect.objectContaining({ code: 'ENOTCONN' }));
    expect(flagsOf(c)).toEqual(before);
    const other = tcpListener();
    await connect(c, other.address);
    expect(getpeername(c)).toEqual(other.address);
    for (const fd of [...clients, full.fd, other.fd]) close(fd);
  });

  it('AF_UNIX stream: resolves; ENOENT with the path; EPROTOTYPE for a datagram socket there; EISCONN', async () => {
    const l = unixListener();
    const c = socket(AF_UNIX, SOCK_STREAM);
    const before = flagsOf(c);
    await connect(c, l.address);
    expect(flagsOf(c)).toEqual(before);
    expect(await rejection(connect(c, l.address))).toMatchObject({ code: 'EISCONN', syscall: 'connect', fd: c });
    const missing = socketPath('missing');
    const c2 = socket(AF_UNIX, SOCK_STREAM);
    expect(await rejection(connect(c2, { family: 'AF_UNIX', path: missing }))).toMatchObject({ code: 'ENOENT', syscall: 'connect', fd: c2, path: missing });
    const bound = unixDgram(); // a datagram socket there: not a listener
    const c3 = socket(AF_UNIX, SOCK_STREAM);
    expect(await rejection(connect(c3, bound.address))).toMatchObject({ code: 'EPROTOTYPE', syscall: 'connect', fd: c3 });
    const [s] = acceptSync(l.fd);
    for (const fd of [s, c, c2, c3, bound.fd, l.fd]) close(fd);
  });

  it('AF_UNIX with the backlog full: waits (no event says there is room) and connects once the server accepts', async () => {
    for (const type of [SOCK_STREAM, SOCK_SEQPACKET]) {
      const l = unixListener(0, type);
      const first = socket(AF_UNIX, type);
      await connect(first, l.address); // the one place in the queue
      const second = socket(AF_UNIX, type);
      const before = flagsOf(second, l.fd);
      const pending = connect(second, l.address);
      expect(await isPending(pending)).toBe(true);
      expect(flagsOf(second, l.fd)).toEqual(before);
      const [s1] = await accept(l.fd); // makes room
      await pending;
      expect(flagsOf(second, l.fd)).toEqual(before);
      const [s2] = acceptSync(l.fd);
      sendSync(second, 'two');
      expect(await recv(s2, Buffer.alloc(3))).toBe(3);
      for (const fd of [s1, s2, first, second, l.fd]) close(fd);
    }
  });

  it('AF_UNIX with the backlog full, also when the server accepts in another process\'s way (the sync accept): the timer retries', async () => {
    const l = unixListener(0);
    const first = socket(AF_UNIX, SOCK_STREAM);
    connectSync(first, l.address);
    const second = socket(AF_UNIX, SOCK_STREAM);
    const pending = connect(second, l.address);
    expect(await isPending(pending)).toBe(true);
    const [s1] = acceptSync(l.fd); // nothing in this process's promise machinery hears of it
    await pending;
    const [s2] = acceptSync(l.fd);
    for (const fd of [s1, s2, first, second, l.fd]) close(fd);
  });

  it('AF_UNIX abort while waiting for room: nothing was queued, the socket is unconnected', async () => {
    const l = unixListener(0);
    const first = socket(AF_UNIX, SOCK_STREAM);
    await connect(first, l.address);
    const second = socket(AF_UNIX, SOCK_STREAM);
    const ac = new AbortController();
    const pending = connect(second, l.address, { signal: ac.signal });
    expect(await isPending(pending)).toBe(true);
    ac.abort();
    expect(await rejection(pending)).toBeInstanceOf(AbortError);
    const [s1] = acceptSync(l.fd);
    expect(queued(l.fd)).toBe(false);
    expect(() => getpeername(second)).toThrow(expect.objectContaining({ code: 'ENOTCONN' }));
    await connect(second, l.address); // and it can connect now
    const [s2] = acceptSync(l.fd);
    for (const fd of [s1, s2, first, second, l.fd]) close(fd);
  });

  it('closing the socket while it waits for room rejects with EBADF', async () => {
    const l = unixListener(0);
    const first = socket(AF_UNIX, SOCK_STREAM);
    await connect(first, l.address);
    const second = socket(AF_UNIX, SOCK_STREAM);
    const pending = connect(second, l.address);
    expect(await isPending(pending)).toBe(true);
    close(second);
    expect(await rejection(pending)).toMatchObject({ code: 'EBADF', syscall: 'connect', fd: second });
    for (const fd of [first, l.fd]) close(fd);
  });

  it('datagram sockets connect at once (UDP, AF_UNIX); ENOENT for a missing AF_UNIX path', async () => {
    const u = udpSocket();
    const c = socket(AF_INET, SOCK_DGRAM);
    await connect(c, u.address);
    expect(getpeername(c)).toEqual(u.address);
    const d = unixDgram();
    const cd = socket(AF_UNIX, SOCK_DGRAM);
    await connect(cd, d.address);
    const missing = socketPath('gone');
    expect(await rejection(connect(cd, { family: 'AF_UNIX', path: missing }))).toMatchObject({ code: 'ENOENT', syscall: 'connect', path: missing });
    for (const fd of [u.fd, c, d.fd, cd]) close(fd);
  });

  it('ENOTSOCK, EBADF, EAFNOSUPPORT, ENAMETOOLONG', async () => {
    const [r, w] = pipe();
    expect(await rejection(connect(r, { family: 'AF_INET', address: '127.0.0.1', port: 1 }))).toMatchObject({ code: 'ENOTSOCK', syscall: 'connect', fd: r });
    const c = socket(AF_INET, SOCK_STREAM);
    expect(await rejection(connect(c, { family: 'AF_UNIX', path: '/x' }))).toMatchObject({ syscall: 'connect', fd: c });
    const u = socket(AF_UNIX, SOCK_STREAM);
    expect(await rejection(connect(u, { family: 'AF_UNIX', path: `/tmp/${'x'.repeat(200)}` }))).toMatchObject({ code: 'ENAMETOOLONG', syscall: 'connect', fd: u });
    for (const fd of [r, w, c, u]) close(fd);
    expect(await rejection(connect(c, { family: 'AF_INET', address: '127.0.0.1', port: 1 }))).toMatchObject({ code: 'EBADF', syscall: 'connect', fd: c });
  });
});

describe('promises: send and recv', () => {
  it('recv waits for data while the event loop runs; send resolves with the count', async () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
    const before = flagsOf(a, b);
    const buf = Buffer.alloc(16);
    const pending = recv(b, buf);
    expect(await isPending(pending)).toBe(true);
    expect(flagsOf(a, b)).toEqual(before);
    expect(await send(a, 'hello')).toBe(5);
    expect(await pending).toBe(5);
    expect(buf.toString('utf8', 0, 5)).toBe('hello');
    expect(flagsOf(a, b)).toEqual(before);
    for (const fd of [a, b]) close(fd);
  });

  it('TCP: a send waits while the buffers are full and resolves once the peer reads; recv 0 after shutdown', async () => {
    const [c, s] = tcpPair();
    const before = flagsOf(c, s);
    let filled = 0;
    let pending: Promise<number>;
    for (;;) {
      filled += fill(c);
      pending = send(c, 'tail');
      if (await isPending(pending)) break;
      filled += await pending; // acknowledgements made room meanwhile: fill again
    }
    expect(filled).toBeGreaterThan(0);
    expect(flagsOf(c, s)).toEqual(before);
    const sink = Buffer.alloc(1 << 20);
    let got = 0;
    const done = pending.then((n) => n);
    while (got < filled) got += await recv(s, sink);
    expect(await done).toBe(4);
    shutdown(c, SHUT_WR);
    let rest = '';
    for (let n; (n = await recv(s, sink)) > 0;) rest += sink.toString('latin1', 0, n);
    expect(rest).toBe('tail');
    expect(flagsOf(c, s)).toEqual(before);
    for (const fd of [c, s]) close(fd);
  });

  it('the options in place of len or flags; MSG_PEEK looks without taking', async () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
    const { signal } = new AbortController();
    expect(await send(a, 'abcdef', { signal })).toBe(6);
    const buf = Buffer.alloc(8);
    expect(await recv(b, buf, 2, MSG_PEEK, { signal })).toBe(2);
    expect(await recv(b, buf, 1, { signal })).toBe(1);
    expect(await recv(b, buf, { signal })).toBe(5);
    expect(buf.toString('utf8', 0, 5)).toBe('bcdef');
    expect(await send(a, 'xyz', 2, { signal })).toBe(2);
    expect(await send(a, 'xyz', undefined, 0, { signal })).toBe(3);
    expect(takeNow(b)).toBe('xyxyz');
    for (const fd of [a, b]) close(fd);
  });

  it('MSG_WAITALL: resolves once len bytes have come, in pieces; fewer only at end of stream', async () => {
    const [c, s] = tcpPair();
    const buf = Buffer.alloc(10);
    const pending = recv(s, buf, 10, MSG_WAITALL);
    sendSync(c, 'abc');
    expect(await isPending(pending)).toBe(true);
    await new Promise((res) => setTimeout(res, 10));
    sendSync(c, 'defg');
    expect(await isPending(pending)).toBe(true);
    sendSync(c, 'hijKL');
    expect(await pending).toBe(10);
    expect(buf.toString()).toBe('abcdefghij');
    expect(takeNow(s)).toBe('KL'); // what did not fit stays
    const short = recv(s, buf, 10, MSG_WAITALL);
    sendSync(c, 'xy');
    shutdown(c, SHUT_WR);
    expect(await short).toBe(2);
    for (const fd of [c, s]) close(fd);
  });

  it('MSG_WAITALL aborted: nothing taken rejects; some taken resolves with their count (as C after a signal)', async () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
    const ac = new AbortController();
    const none = recv(b, Buffer.alloc(8), 8, MSG_WAITALL, { signal: ac.signal });
    expect(await isPending(none)).toBe(true);
    ac.abort();
    expect(await rejection(none)).toBeInstanceOf(AbortError);
    const ac2 = new AbortController();
    const buf = Buffer.alloc(8);
    const some = recv(b, buf, 8, MSG_WAITALL, { signal: ac2.signal });
    sendSync(a, 'abc');
    expect(await isPending(some)).toBe(true);
    await new Promise((res) => setTimeout(res, 10)); // the loop takes the 3 bytes
    ac2.abort();
    expect(await some).toBe(3);
    expect(buf.toString('utf8', 0, 3)).toBe('abc');
    for (const fd of [a, b]) close(fd);
  });

  it('MSG_PEEK | MSG_WAITALL: resolves once len bytes are queued, taking none', async () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
    const buf = Buffer.alloc(6);
    const pending = recv(b, buf, 6, MSG_PEEK | MSG_WAITALL);
    sendSync(a, 'abc');
    expect(await isPending(pending)).toBe(true);
    await new Promise((res) => setTimeout(res, 10));
    expect(await isPending(pending)).toBe(true);
    sendSync(a, 'defgh');
    expect(await pending).toBe(6);
    expect(buf.toString()).toBe('abcdef');
    expect(takeNow(b)).toBe('abcdefgh');
    for (const fd of [a, b]) close(fd);
  });

  it('MSG_DONTWAIT: the call does not wait, it rejects with EAGAIN', async () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
    expect(await rejection(recv(b, Buffer.alloc(4), 4, MSG_DONTWAIT))).toMatchObject({ code: 'EAGAIN', syscall: 'recv', fd: b });
    fill(a);
    expect(await rejection(send(a, 'x', 1, MSG_DONTWAIT))).toMatchObject({ code: 'EAGAIN', syscall: 'send', fd: a });
    for (const fd of [a, b]) close(fd);
  });

  it('rejects with SyscallError: ENOTCONN, EPIPE, ENOTSOCK, EBADF (code, syscall, fd)', async () => {
    const t = socket(AF_INET, SOCK_STREAM);
    expect(await rejection(recv(t, Buffer.alloc(1)))).toMatchObject({ code: 'ENOTCONN', syscall: 'recv', fd: t });
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
    close(b);
    const epipe = await rejection(send(a, 'x'));
    expect(epipe).toBeInstanceOf(SyscallError);
    expect(epipe).toMatchObject({ code: 'EPIPE', syscall: 'send', fd: a });
    const [r, w] = pipe();
    expect(await rejection(recv(r, Buffer.alloc(1)))).toMatchObject({ code: 'ENOTSOCK', syscall: 'recv', fd: r });
    expect(await rejection(send(w, 'x'))).toMatchObject({ code: 'ENOTSOCK', syscall: 'send', fd: w });
    for (const fd of [t, a, r, w]) close(fd);
    expect(await rejection(recv(a, Buffer.alloc(1)))).toMatchObject({ code: 'EBADF', syscall: 'recv', fd: a });
  });

  it('recv aborted before, while waiting and after the data came: nothing taken, the next recv gets the bytes', async () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
    const gone = new AbortController();
    gone.abort();
    sendSync(a, 'one');
    expect(await rejection(recv(b, Buffer.alloc(8), { signal: gone.signal }))).toBeInstanceOf(AbortError);
    expect(takeNow(b)).toBe('one');
    const ac = new AbortController();
    const buf = Buffer.alloc(8, 0x2e);
    const waiting = recv(b, buf, { signal: ac.signal });
    expect(await isPending(waiting)).toBe(true);
    ac.abort();
    expect(await rejection(waiting)).toBeInstanceOf(AbortError);
    const ac2 = new AbortController();
    const ready = recv(b, buf, { signal: ac2.signal });
    expect(await isPending(ready)).toBe(true);
    sendSync(a, 'two'); // ready now; the loop has not served the call yet
    ac2.abort();
    expect(await rejection(ready)).toBeInstanceOf(AbortError);
    expect(buf.toString()).toBe('........');
    const next = Buffer.alloc(8);
    expect(await recv(b, next)).toBe(3);
    expect(next.toString('utf8', 0, 3)).toBe('two');
    // After it settled: the abort changes nothing.
    const ac3 = new AbortController();
    const settled = recv(b, next, { signal: ac3.signal });
    sendSync(a, 'three');
    expect(await settled).toBe(5);
    ac3.abort();
    expect(await settled).toBe(5);
    for (const fd of [a, b]) close(fd);
  });

  it('send aborted while waiting sent nothing', async () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
    const filled = fill(a);
    const ac = new AbortController();
    const pending = send(a, Buffer.alloc(10, 0x21), { signal: ac.signal });
    expect(await isPending(pending)).toBe(true);
    ac.abort();
    expect(await rejection(pending)).toBeInstanceOf(AbortError);
    const all = takeNow(b);
    expect(all.length).toBe(filled);
    expect(all.includes('!')).toBe(false);
    for (const fd of [a, b]) close(fd);
  });

  it('closing the socket rejects the waiting recv and send with EBADF', async () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
    fill(a);
    const s = send(a, 'x');
    const r = recv(a, Buffer.alloc(4));
    expect(await isPending(s)).toBe(true);
    expect(await isPending(r)).toBe(true);
    close(a);
    expect(await rejection(s)).toMatchObject({ code: 'EBADF', syscall: 'send', fd: a });
    expect(await rejection(r)).toMatchObject({ code: 'EBADF', syscall: 'recv', fd: a });
    // A MSG_WAITALL recv that has taken some bytes: EBADF too.
    const [c, d] = socketpair(AF_UNIX, SOCK_STREAM);
    const all = recv(d, Buffer.alloc(8), 8, MSG_WAITALL);
    sendSync(c, 'abc');
    expect(await isPending(all)).toBe(true);
    close(d);
    expect(await rejection(all)).toMatchObject({ code: 'EBADF', syscall: 'recv', fd: d });
    close(b);
    close(c);
  });
});

describe('promises: sendto and recvfrom', () => {
  it('UDP: recvfrom waits and resolves with [n, sender]; sendto in both forms', async () => {
    const server = udpSocket();
    const client = udpSocket();
    const before = flagsOf(server.fd, client.fd);
    const buf = Buffer.alloc(32);
    const pending = recvfrom(server.fd, buf);
    expect(await isPending(pending)).toBe(true);
    expect(await sendto(client.fd, 'ping', server.address)).toBe(4);
    expect(await pending).toEqual([4, client.address]);
    expect(await sendto(server.fd, 'pong!', 4, 0, client.address)).toBe(4);
    expect(await recvfrom(client.fd, buf, 3, 0)).toEqual([3, server.address]); // the rest of the datagram is dropped
    expect(flagsOf(server.fd, client.fd)).toEqual(before);
    for (const fd of [server.fd, client.fd]) close(fd);
  });

  it('recvfrom on a connected stream: src is null; the options in place of len', async () => {
    const [c, s] = tcpPair();
    sendSync(c, 'abc');
    const { signal } = new AbortController();
    expect(await recvfrom(s, Buffer.alloc(8), { signal })).toEqual([3, null]);
    for (const fd of [c, s]) close(fd);
  });

  it('AF_UNIX datagram to a full receiver: sendto waits (no event says there is room) and goes once it has been read', async () => {
    const receiver = unixDgram();
    const sender = unixDgram();
    const before = flagsOf(sender.fd, receiver.fd);
    const n = fillDgram(sender.fd, receiver.address);
    expect(n).toBeGreaterThan(0);
    const pending = sendto(sender.fd, 'late', receiver.address);
    expect(await isPending(pending)).toBe(true);
    expect(flagsOf(sender.fd, receiver.fd)).toEqual(before);
    const buf = Buffer.alloc(8);
    expect(await recvfrom(receiver.fd, buf)).toEqual([1, sender.address]); // makes room
    expect(await pending).toBe(4);
    for (let i = 1; i < n; i++) expect(recvSync(receiver.fd, buf)).toBe(1);
    expect(await recvfrom(receiver.fd, buf)).toEqual([4, sender.address]);
    // The same when the room is made outside the promise calls (the retry timer).
    fillDgram(sender.fd, receiver.address);
    const again = sendto(sender.fd, 'timer', receiver.address);
    expect(await isPending(again)).toBe(true);
    recvSync(receiver.fd, buf);
    expect(await again).toBe(5);
    expect(flagsOf(sender.fd, receiver.fd)).toEqual(before);
    for (const fd of [sender.fd, receiver.fd]) close(fd);
  });

  it('a sendto aborted while waiting for room sent nothing', async () => {
    const receiver = unixDgram();
    const sender = unixDgram();
    const n = fillDgram(sender.fd, receiver.address);
    const ac = new AbortController();
    const pending = sendto(sender.fd, 'never', receiver.address, { signal: ac.signal });
    expect(await isPending(pending)).toBe(true);
    ac.abort();
    expect(await rejection(pending)).toBeInstanceOf(AbortError);
    const buf = Buffer.alloc(8);
    for (let i = 0; i < n; i++) expect(recvSync(receiver.fd, buf)).toBe(1);
    expect(await rejection(recv(receiver.fd, buf, 8, MSG_DONTWAIT))).toMatchObject({ code: 'EAGAIN' });
    for (const fd of [sender.fd, receiver.fd]) close(fd);
  });

  it('recvfrom aborted after the datagram came: not taken, the next recvfrom gets it', async () => {
    const server = udpSocket();
    const client = udpSocket();
    const ac = new AbortController();
    const pending = recvfrom(server.fd, Buffer.alloc(8), { signal: ac.signal });
    expect(await isPending(pending)).toBe(true);
    sendtoSync(client.fd, 'kept', server.address);
    ac.abort();
    expect(await rejection(pending)).toBeInstanceOf(AbortError);
    expect(await recvfrom(server.fd, Buffer.alloc(8))).toEqual([4, client.address]);
    for (const fd of [server.fd, client.fd]) close(fd);
  });

  it('rejects with SyscallError carrying the destination: ENOENT, ECONNREFUSED (AF_UNIX), EMSGSIZE; EBADF when closed', async () => {
    const d = socket(AF_UNIX, SOCK_DGRAM);
    const missing = socketPath('none');
    expect(await rejection(sendto(d, 'x', { family: 'AF_UNIX', path: missing }))).toMatchObject({ code: 'ENOENT', syscall: 'sendto', fd: d, path: missing });
    const u = udpSocket();
    const big = Buffer.alloc(70_000);
    expect(await rejection(sendto(u.fd, big, u.address))).toMatchObject({ code: 'EMSGSIZE', syscall: 'sendto', fd: u.fd, address: '127.0.0.1' });
    const waiting = recvfrom(u.fd, Buffer.alloc(4));
    expect(await isPending(waiting)).toBe(true);
    close(u.fd);
    expect(await rejection(waiting)).toMatchObject({ code: 'EBADF', syscall: 'recvfrom', fd: u.fd });
    close(d);
  });
});

describe('promises (sockets): abort', () => {
  it('an already aborted signal rejects every call with AbortError before any system call', async () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
    close(a);
    close(b); // closed: a system call would say EBADF
    const signal = AbortSignal.abort();
    const dest: SockAddr = { family: 'AF_INET', address: '127.0.0.1', port: 9 };
    const calls = [
      accept(a, { signal }), connect(a, dest, { signal }), send(a, 'x', { signal }), recv(a, Buffer.alloc(1), { signal }),
      sendto(a, 'x', dest, { signal }), recvfrom(a, Buffer.alloc(1), { signal }), getaddrinfo('127.0.0.1', '9', {}, { signal }),
    ];
    for (const p of calls) expect(await rejection(p)).toBeInstanceOf(AbortError);
  });

  it('send and sendto aborted once there is room, before the loop served them: nothing sent', async () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
    const filled = fill(a);
    const ac = new AbortController();
    const pending = send(a, 'never', { signal: ac.signal });
    expect(await isPending(pending)).toBe(true);
    const drained = takeNow(b); // room now
    ac.abort();
    expect(await rejection(pending)).toBeInstanceOf(AbortError);
    expect(drained.length).toBe(filled);
    expect(takeNow(b)).toBe('');
    const receiver = unixDgram();
    const sender = unixDgram();
    const n = fillDgram(sender.fd, receiver.address);
    const ac2 = new AbortController();
    const waiting = sendto(sender.fd, 'never', receiver.address, { signal: ac2.signal });
    expect(await isPending(waiting)).toBe(true);
    const buf = Buffer.alloc(8);
    recvSync(receiver.fd, buf); // room for one
    ac2.abort();
    expect(await rejection(waiting)).toBeInstanceOf(AbortError);
    for (let i = 1; i < n; i++) expect(recvSync(receiver.fd, buf)).toBe(1);
    expect(await rejection(recv(receiver.fd, buf, 8, MSG_DONTWAIT))).toMatchObject({ code: 'EAGAIN' });
    for (const fd of [a, b, sender.fd, receiver.fd]) close(fd);
  });
});

describe('promises: getaddrinfo', () => {
  it('gives what the sync getaddrinfo gives, on the threadpool', async () => {
    const hints = { socktype: SOCK_STREAM };
    expect(await getaddrinfo('127.0.0.1', '2021', hints)).toEqual(getaddrinfoSync('127.0.0.1', '2021', hints));
    expect(await getaddrinfo('localhost', '80', { family: AF_INET, socktype: SOCK_STREAM })).toEqual(getaddrinfoSync('localhost', '80', { family: AF_INET, socktype: SOCK_STREAM }));
    const { signal } = new AbortController();
    expect(await getaddrinfo('::1', null, { signal })).toEqual(getaddrinfoSync('::1', null)); // options in the hints' place
    expect(await getaddrinfo('::1', '7', { socktype: SOCK_STREAM }, { signal })).toEqual(getaddrinfoSync('::1', '7', { socktype: SOCK_STREAM }));
  });

  it('rejects with AddrInfoError: EAI_NONAME for a name with AI_NUMERICHOST', async () => {
    const e = await rejection(getaddrinfo('not-a-number', '80', { flags: AI_NUMERICHOST }));
    expect(e).toBeInstanceOf(AddrInfoError);
    expect(e).toMatchObject({ code: 'EAI_NONAME', syscall: 'getaddrinfo', hostname: 'not-a-number', service: '80' });
  });

  it('abort before, and while the lookup is queued: AbortError', async () => {
    const ac = new AbortController();
    ac.abort();
    expect(await rejection(getaddrinfo('127.0.0.1', '80', {}, { signal: ac.signal }))).toBeInstanceOf(AbortError);
    const ac2 = new AbortController();
    const pending = getaddrinfo('127.0.0.1', '80', {}, { signal: ac2.signal });
    ac2.abort(); // the lookup cannot have completed: its completion runs on this thread's loop
    expect(await rejection(pending)).toBeInstanceOf(AbortError);
    const ac3 = new AbortController();
    const done = await getaddrinfo('127.0.0.1', '80', {}, { signal: ac3.signal });
    ac3.abort();
    expect(done.length).toBeGreaterThan(0);
  });
});

describe('promises (sockets): wrong arguments reject before any system call', () => {
  const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
  const addr: SockAddr = { family: 'AF_INET', address: '127.0.0.1', port: 1 };
  const aborted = AbortSignal.abort();
  const cases: RefusedCase[] = [
    ['accept("3")', () => accept('3' as never), TypeError],
    ['accept(fd, { signal: 1 })', () => accept(a, { signal: 1 as never }), TypeError],
    ['connect(fd, "127.0.0.1")', () => connect(a, '127.0.0.1' as never), TypeError],
    ['connect(fd, { port: 70000 })', () => connect(a, { ...addr, port: 70000 }), RangeError],
    ['send(fd, 42)', () => send(a, 42 as never), TypeError],
    ['send(fd, "abc", 4)', () => send(a, 'abc', 4), RangeError],
    ['send(fd, "abc", 1, -1)', () => send(a, 'abc', 1, -1), RangeError],
    ['recv(fd, "text")', () => recv(a, 'text' as never), TypeError],
    ['recv(fd, buf, 5) past a 4-byte buffer', () => recv(a, Buffer.alloc(4), 5), RangeError],
    ['recv(fd, buf, 1, 1.5)', () => recv(a, Buffer.alloc(4), 1, 1.5), RangeError],
    ['sendto(fd, "x")', () => sendto(a, 'x', undefined as never), TypeError],
    ['sendto(fd, "x", 1, 0, null)', () => sendto(a, 'x', 1, 0, null as never), TypeError],
    ['recvfrom(1.5, buf)', () => recvfrom(1.5, Buffer.alloc(1)), RangeError],
    ['getaddrinfo(42, null)', () => getaddrinfo(42 as never, null), TypeError],
    ['getaddrinfo(null, null, 5)', () => getaddrinfo(null, null, 5 as never), TypeError],
    ['getaddrinfo("x", null, { family: "x" })', () => getaddrinfo('x', null, { family: 'x' as never }), TypeError],
  ];
  refusedArguments(cases, 'rejects');
  it('a malformed address is a TypeError (ERR_INVALID_ARG_VALUE), also with an aborted signal; no call is made', async () => {
    const calls: [string, () => Promise<unknown>][] = [
      ['connect', () => connect(a, { family: 'AF_INET', address: 'localhost', port: 1 })],
      ['connect', () => connect(a, { family: 'AF_INET', address: 'localhost', port: 1 }, { signal: aborted })],
      ['sendto', () => sendto(a, 'x', { family: 'AF_INET6', address: '1.2.3.4', port: 1 }, { signal: aborted })],
      ['sendto', () => sendto(a, 'x', 1, 0, { family: 'AF_BOGUS' } as never)],
    ];
    for (const [, call] of calls) {
      const e = await rejection(call());
      expect(e).toBeInstanceOf(TypeError);
      expect(e.code).toBe('ERR_INVALID_ARG_VALUE');
    }
  });
  it('nothing was sent or received by the refused calls', () => {
    expect(takeNow(b)).toBe('');
    expect(openFds()).toContain(a);
    close(a);
    close(b);
  });
});
