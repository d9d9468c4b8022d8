// Addresses: the SockAddr checks, getaddrinfo and its errors, inet_pton/inet_ntop, hton*.
import { describe, expect, it } from 'vitest';
import * as os from 'node:os';
import {
  bind, close, connect, gai_strerror, getaddrinfo, getsockname, htonl, htons, inet_ntop, inet_pton, ntohl, ntohs,
  sendto, socket, AddrInfoError, SyscallError,
  AF_INET, AF_INET6, AF_UNIX, AF_UNSPEC, AI_CANONNAME, AI_NUMERICHOST, AI_NUMERICSERV, AI_PASSIVE, EAI_FAMILY,
  EAI_NONAME, EAI_SERVICE, INADDR_LOOPBACK, SOCK_DGRAM, SOCK_STREAM,
} from 'posix-ipc';
import * as raw from 'posix-ipc/raw';
import { openFds, syscallError } from './helpers';

function thrown(fn: () => unknown): Error & Record<string, unknown> {
  try {
    fn();
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to throw');
}

describe('SockAddr', () => {
  it('a malformed IP text is a TypeError (ERR_INVALID_ARG_VALUE) that names the text; no call is made', () => {
    const fd = socket(AF_INET, SOCK_DGRAM);
    for (const address of ['localhost', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', ' 127.0.0.1', '127.0.0.1\0', '', '::1']) {
      const e = thrown(() => bind(fd, { family: 'AF_INET', address, port: 0 }));
      expect(e, address).toBeInstanceOf(TypeError);
      expect(e.code).toBe('ERR_INVALID_ARG_VALUE');
      expect(e.message).toContain('numeric IPv4 address');
    }
    expect(getsockname(fd)).toEqual({ family: 'AF_INET', address: '0.0.0.0', port: 0 });   // still unbound
    expect(() => connect(fd, { family: 'AF_INET6', address: '127.0.0.1', port: 1 })).toThrow(/numeric IPv6 address/);
    close(fd);
  });

  it('an out-of-range port, flowinfo or scopeid is a RangeError (ERR_OUT_OF_RANGE)', () => {
    const fd = socket(AF_INET6, SOCK_DGRAM);
    for (const port of [NaN, -1, 65536, 1.5, Infinity]) {
      const e = thrown(() => bind(fd, { family: 'AF_INET6', address: '::1', port }));
      expect(e, String(port)).toBeInstanceOf(RangeError);
      expect(e.code).toBe('ERR_OUT_OF_RANGE');
      expect(e.message).toContain('"address.port"');
    }
    expect(() => bind(fd, { family: 'AF_INET6', address: '::1', port: 0, flowinfo: 0x100000 })).toThrow(RangeError);
    expect(() => bind(fd, { family: 'AF_INET6', address: '::1', port: 0, scopeid: 2 ** 32 })).toThrow(RangeError);
    expect(() => bind(fd, { family: 'AF_INET6', address: '::1', port: 0, flowinfo: '1' as never })).toThrow(TypeError);
    expect(() => sendto(fd, 'x', { family: 'AF_INET6', address: '::1', port: 70000 })).toThrow(/"dest\.port"/);
    close(fd);
  });

  it('a wrong family field is a TypeError naming the families', () => {
    const fd = socket(AF_INET, SOCK_DGRAM);
    for (const family of ['AF_INET4', 'af_inet', AF_INET, undefined, null]) {
      const e = thrown(() => bind(fd, { family, address: '127.0.0.1', port: 0 } as never));
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toContain("'AF_UNIX', 'AF_INET', 'AF_INET6'");
    }
    close(fd);
  });

  it('AF_UNIX: a NUL inside a path is a TypeError; 107 bytes (UTF-8) fit, 108 are ENAMETOOLONG; an abstract name may use 108', () => {
    const fd = socket(AF_UNIX, SOCK_DGRAM);
    expect(() => bind(fd, { family: 'AF_UNIX', path: '/tmp/a\0b' })).toThrow(TypeError);
    expect(() => bind(fd, { family: 'AF_UNIX', path: '/tmp/ab\0' })).toThrow(TypeError);
    const accented = `/tmp/${'é'.repeat(52)}`;   // 5 + 104 = 109 bytes in 57 characters
    expect(accented.length).toBeLessThan(107);
    expect(syscallError(() => bind(fd, { family: 'AF_UNIX', path: accented }))).toMatchObject({ code: 'ENAMETOOLONG', path: accented });
    const abstract = `\0${'a'.repeat(107)}`;
    const before = openFds();
    expect(syscallError(() => bind(fd, { family: 'AF_UNIX', path: `${abstract}b` }))).toMatchObject({ code: 'ENAMETOOLONG', syscall: 'bind' });
    expect(openFds()).toEqual(before);
    bind(fd, { family: 'AF_UNIX', path: abstract });
    expect(getsockname(fd)).toEqual({ family: 'AF_UNIX', path: abstract });
    close(fd);
  });

  it('paths are UTF-8 both ways', () => {
    const fd = socket(AF_UNIX, SOCK_DGRAM);
    const name = `\0sök€t-${process.pid}`;
    bind(fd, { family: 'AF_UNIX', path: name });
    expect(getsockname(fd)).toEqual({ family: 'AF_UNIX', path: name });
    close(fd);
  });
});

describe('getaddrinfo', () => {
  it('numeric hosts and services, without DNS', () => {
    const r = getaddrinfo('127.0.0.1', '2021', { flags: AI_NUMERICHOST | AI_NUMERICSERV, socktype: SOCK_STREAM });
    expect(r).toEqual([{ family: AF_INET, socktype: SOCK_STREAM, protocol: 6, address: { family: 'AF_INET', address: '127.0.0.1', port: 2021 } }]);
    const r6 = getaddrinfo('::1', '53', { flags: AI_NUMERICHOST, socktype: SOCK_DGRAM });
    expect(r6).toEqual([{ family: AF_INET6, socktype: SOCK_DGRAM, protocol: 17, address: { family: 'AF_INET6', address: '::1', port: 53, flowinfo: 0, scopeid: 0 } }]);
  });

  it('AI_PASSIVE with no node gives the wildcard addresses, ready for the server\'s bind', () => {
    const r = getaddrinfo(null, '0', { flags: AI_PASSIVE, socktype: SOCK_STREAM, family: AF_UNSPEC });
    const texts = r.map((ai) => (ai.address as { address: string }).address);
    expect(texts).toContain('0.0.0.0');
    const v4 = r.find((ai) => ai.family === AF_INET)!;
    const fd = socket(v4.family, v4.socktype, v4.protocol);
    bind(fd, v4.address);
    expect((getsockname(fd) as { port: number }).port).toBeGreaterThan(0);
    close(fd);
  });

  it('AI_CANONNAME puts the canonical name on the first result; service names resolve', () => {
    const r = getaddrinfo('localhost', 'http', { flags: AI_CANONNAME, socktype: SOCK_STREAM });
    expect(r[0]!.canonname).toBe('localhost');
    expect(r[0]!.address).toMatchObject({ port: 80 });
    expect(r.slice(1).every((ai) => ai.canonname === undefined)).toBe(true);
  });

  it('fails with AddrInfoError: EAI_NONAME, EAI_SERVICE, EAI_FAMILY, with getaddrinfo\'s own text', () => {
    const none = thrown(() => getaddrinfo('127.0.0.1', 'http', { flags: AI_NUMERICSERV }));
    expect(none).toBeInstanceOf(AddrInfoError);
    expect(none).not.toBeInstanceOf(SyscallError);
    expect(none).toMatchObject({ name: 'AddrInfoError', code: 'EAI_NONAME', eai: EAI_NONAME, syscall: 'getaddrinfo', hostname: '127.0.0.1', service: 'http' });
    expect(none.message).toBe(`getaddrinfo EAI_NONAME 127.0.0.1 http (${gai_strerror(EAI_NONAME)})`);
    expect(none.errno).toBeUndefined();
    expect(thrown(() => getaddrinfo(null, 'no-such-service', { socktype: SOCK_STREAM }))).toMatchObject({ code: 'EAI_SERVICE', eai: EAI_SERVICE });
    expect(thrown(() => getaddrinfo('localhost', '80', { family: 12345 }))).toMatchObject({ code: 'EAI_FAMILY', eai: EAI_FAMILY });
    expect(thrown(() => getaddrinfo('localhost', '80', { flags: AI_NUMERICHOST }))).toMatchObject({ code: 'EAI_NONAME' });
    expect(thrown(() => getaddrinfo(null, null))).toMatchObject({ code: 'EAI_NONAME' });
    expect(gai_strerror(EAI_NONAME)).toBe('Name or service not known');
  });

  it('wrong arguments are TypeError/RangeError', () => {
    expect(() => getaddrinfo(80 as never, null)).toThrow(TypeError);
    expect(() => getaddrinfo('local\0host', '80')).toThrow(TypeError);
    expect(() => getaddrinfo('localhost', 80 as never)).toThrow(TypeError);
    expect(() => getaddrinfo('localhost', '80', 'hints' as never)).toThrow(TypeError);
    expect(() => getaddrinfo('localhost', '80', { flags: -1 })).toThrow(RangeError);
    expect(() => getaddrinfo('localhost', '80', { socktype: 1.5 })).toThrow(RangeError);
  });

  it('posix-ipc/raw returns the EAI_* code, as C does', () => {
    expect(raw.getaddrinfo('127.0.0.1', 'http', { flags: AI_NUMERICSERV })).toBe(EAI_NONAME);
    expect(raw.gai_strerror(EAI_NONAME)).toBe('Name or service not known');
    expect(raw.getaddrinfo('127.0.0.1', '1', { flags: AI_NUMERICSERV, socktype: SOCK_STREAM })).toHaveLength(1);
  });
});

describe('inet_pton / inet_ntop', () => {
  it('convert both ways, in network order', () => {
    expect([...inet_pton(AF_INET, '137.207.82.52')]).toEqual([137, 207, 82, 52]);
    const six = inet_pton(AF_INET6, '2001:db8::ff00:42:8329');
    expect(six).toHaveLength(16);
    expect(inet_ntop(AF_INET6, six)).toBe('2001:db8::ff00:42:8329');
    expect(inet_ntop(AF_INET, new Uint8Array([127, 0, 0, 1]))).toBe('127.0.0.1');
    expect(inet_ntop(AF_INET6, inet_pton(AF_INET6, '0:0:0:0:0:0:0:1'))).toBe('::1');
    expect(inet_ntop(AF_INET, new DataView(new Uint8Array([10, 0, 0, 9]).buffer))).toBe('10.0.0.9');
    const a = inet_pton(AF_INET, '1.2.3.4');
    const b = inet_pton(AF_INET, '5.6.7.8');
    expect([...a]).toEqual([1, 2, 3, 4]);   // each call returns its own bytes
    expect([...b]).toEqual([5, 6, 7, 8]);
  });

  it('a malformed text is a TypeError; a wrong length a RangeError; another family EAFNOSUPPORT as in C', () => {
    expect(() => inet_pton(AF_INET, '1.2.3')).toThrow(TypeError);
    expect(() => inet_pton(AF_INET6, '1.2.3.4')).toThrow(TypeError);
    expect(() => inet_pton(AF_INET, 42 as never)).toThrow(TypeError);
    expect(() => inet_ntop(AF_INET, new Uint8Array(16))).toThrow(RangeError);
    expect(() => inet_ntop(AF_INET6, new Uint8Array(4))).toThrow(RangeError);
    expect(() => inet_ntop(AF_INET, [127, 0, 0, 1] as never)).toThrow(TypeError);
    expect(syscallError(() => inet_pton(AF_UNIX, '1.2.3.4'))).toMatchObject({ code: 'EAFNOSUPPORT', syscall: 'inet_pton' });
    expect(syscallError(() => inet_ntop(AF_UNIX, new Uint8Array(4)))).toMatchObject({ code: 'EAFNOSUPPORT', syscall: 'inet_ntop' });
    expect(raw.inet_pton(AF_UNIX, '1.2.3.4')).toBe(-1);
    expect(raw.errno()).toBe(97);
  });
});

describe('htons / ntohs / htonl / ntohl', () => {
  const le = os.endianness() === 'LE';
  it('swap bytes on a little-endian machine, as C does', () => {
    expect(htons(2021)).toBe(le ? 58631 : 2021);   // the "port" the lecture's server prints
    expect(ntohs(htons(2021))).toBe(2021);
    expect(htonl(INADDR_LOOPBACK)).toBe(le ? 16777343 : INADDR_LOOPBACK);
    expect(htonl(0xdeadbeef)).toBe(le ? 0xefbeadde : 0xdeadbeef);
    expect(ntohl(htonl(0xfedcba98))).toBe(0xfedcba98);
    const b = Buffer.alloc(4);
    b.writeUInt16BE(443);
    expect(htons(443)).toBe(b.readUInt16LE(0) * (le ? 1 : 0) + (le ? 0 : 443));
    b.writeUInt32BE(0x01020304);
    expect(htonl(0x01020304)).toBe(le ? b.readUInt32LE(0) : 0x01020304);
  });

  it('refuse what C would truncate: RangeError', () => {
    expect(() => htons(65536)).toThrow(RangeError);
    expect(() => htons(-1)).toThrow(RangeError);
    expect(() => htonl(2 ** 32)).toThrow(RangeError);
    expect(() => htonl(1.5)).toThrow(RangeError);
    expect(() => ntohs('80' as never)).toThrow(TypeError);
  });
});
