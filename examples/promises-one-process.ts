// A server and its clients in one process, over pipes. With posix-ipc/promises a call that waits
// lets the others run (the event loop goes on), as separate processes would in C; the server
// multiplexes its clients with poll.
// Run: npm run build:ts && node build-examples/promises-one-process.js
import { close, pipe } from 'posix-ipc';
import { poll, read, write, POLLIN, type PollFd } from 'posix-ipc/promises';

interface Link {
  name: string;
  up: [readEnd: number, writeEnd: number]; // client -> server
  down: [readEnd: number, writeEnd: number]; // server -> client
}
const links: Link[] = ['alpha', 'beta', 'gamma'].map((name) => ({ name, up: pipe(), down: pipe() }));

async function server(): Promise<void> {
  const fds: PollFd[] = links.map((l) => ({ fd: l.up[0], events: POLLIN }));
  const buf = Buffer.alloc(256);
  let open = fds.length;
  while (open > 0) {
    await poll(fds); // wait until some client has written (or closed)
    for (const [i, p] of fds.entries()) {
      if (!p.revents) continue;
      const n = await read(p.fd, buf);
      if (n === 0) {
        p.fd = -1; // that client closed its end: poll skips negative fds, as in C
        open--;
        continue;
      }
      await write(links[i]!.down[1], buf.toString('utf8', 0, n).toUpperCase());
    }
  }
}

async function client(link: Link): Promise<string> {
  await write(link.up[1], `hello from ${link.name}`);
  const buf = Buffer.alloc(256);
  const n = await read(link.down[0], buf); // waits; meanwhile the server and the others run
  close(link.up[1]); // the server now reads 0 from this client
  return `${link.name} got: ${buf.toString('utf8', 0, n)}`;
}

async function main(): Promise<void> {
  const [, ...replies] = await Promise.all([server(), ...links.map(client)]);
  for (const line of replies) console.log(line);
  for (const l of links) {
    close(l.up[0]);
    close(l.down[0]);
    close(l.down[1]);
  }
}

void main();
