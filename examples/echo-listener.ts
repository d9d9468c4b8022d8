// The listening socket of the concurrent echo servers (poll-echo-server, promises-echo-server,
// fork-echo-server): TCP on 127.0.0.1 (port 0: the kernel picks one) or AF_UNIX at a path, with a
// backlog of 1,024 so that a thousand clients can wait to be accepted. Prints "listening on
// ADDRESS", which is how their clients learn the port.
import * as fs from 'node:fs';
import {
  bind, close, getsockname, listen, setsockopt, socket, AF_INET, AF_UNIX, SOCK_STREAM, SOL_SOCKET, SO_REUSEADDR,
} from 'posix-ipc';

/** A listening stream socket: `transport` 'tcp' (`where`: the port) or 'unix' (`where`: the path). */
export function echoListener(transport: string, where: string, typeFlags = 0): number {
  const fd = socket(transport === 'unix' ? AF_UNIX : AF_INET, SOCK_STREAM | typeFlags);
  if (transport === 'unix') {
    bind(fd, { family: 'AF_UNIX', path: where });
  } else {
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
    bind(fd, { family: 'AF_INET', address: '127.0.0.1', port: Number(where) });
  }
  listen(fd, 1024);
  const me = getsockname(fd);
  console.log(`listening on ${me.family === 'AF_UNIX' ? me.path : me.family === 'AF_INET' ? `${me.address}:${me.port}` : ''}`);
  return fd;
}

/** Closes the listener, and removes its socket file (an AF_UNIX path stays until unlinked). */
export function closeListener(fd: number, transport: string, where: string): void {
  close(fd);
  if (transport === 'unix') fs.rmSync(where, { force: true });
}
