import { spawnSync } from 'node:child_process';
import {
  bind, close, fds, listen, pipe, read, socket, socketpair, write,
  AF_INET, AF_UNIX, SOCK_DGRAM, SOCK_STREAM, type FdInfo,
} from '../index';
import type { Chapter } from './index';
import { addressText } from './sockets';

/** One descriptor as a line of a table: fd, kind, access, flags, and what it connects. */
function row(f: FdInfo): string {
  const flags = [f.nonblocking ? 'O_NONBLOCK' : '', f.cloexec ? 'FD_CLOEXEC' : ''].filter(Boolean).join('|') || '-';
  let what = f.path ?? f.target;
  if (f.kind === 'pipe') what = `${f.target}, ${f.queued ?? '?'} of ${f.capacity ?? '?'} bytes queued`;
  if (f.kind === 'socket') {
    what = `${f.domain ?? '?'} ${f.type ?? '?'} ${f.state ?? ''}`.trim();
    if (f.local) what += `, local ${addressText(f.local)}`;
    if (f.peer) what += `, peer ${addressText(f.peer)}`;
  }
  return `${String(f.fd).padStart(4)}  ${f.kind.padEnd(7)} ${f.access.padEnd(3)} ${flags.padEnd(11)} ${what}`;
}

/** Seed 003's pitch: `lsof -p PID` shows the sockets, FIFOs and pipes of a process. */
export const fdTable: Chapter = {
  id: 'fds',
  title: 'The descriptor table: fds() and lsof',
  source: 'seed 003 §0 and §1, "lsof -p $(pidof Discord)"',
  async run(t) {
    const { mine, holdR, holdW } = t.traced(() => {
      const [r, w] = pipe();
      const [a, b] = socketpair(AF_UNIX, SOCK_STREAM, 0);
      const tcp = socket(AF_INET, SOCK_STREAM, 0);
      bind(tcp, { family: 'AF_INET', address: '127.0.0.1', port: 0 });
      listen(tcp, 5);
      const udp = socket(AF_INET, SOCK_DGRAM, 0);
      bind(udp, { family: 'AF_INET', address: '127.0.0.1', port: 0 });
      write(w, 'twelve bytes');
      const [holdR, holdW] = pipe(); // keeps the child alive while we look at it
      return { mine: [r, w, a, b, tcp, udp], holdR, holdW };
    });
    const ours = new Set([...mine, holdR, holdW]);

    t.say(`fds() of this process (pid ${process.pid}): 0-2 and what this chapter opened`);
    t.say('  fd  kind    acc flags       what');
    for (const f of fds()) if (f.fd <= 2 || mine.includes(f.fd)) t.say(row(f));
    const inodes = new Map(fds().filter((f) => mine.includes(f.fd)).map((f) => [f.inode, f.fd]));

    const child = t.traced(() => t.spawn('child', 'hold', holdR, holdW));
    const theirs = fds(child.pid).filter((f) => inodes.has(f.inode));
    t.say(`fds(${child.pid}), the child's table, the same objects (same inode) only:`);
    for (const f of theirs) t.say(row(f));

    const lsof = spawnSync('lsof', ['-n', '-P', '-p', String(process.pid), '-a', '-d', '0-1023'], { encoding: 'utf8' });
    if (lsof.status === 0) {
      t.say(`lsof -p ${process.pid} -a -d 0-1023, the lines of this chapter's descriptors:`);
      const lines = lsof.stdout.trimEnd().split('\n');
      t.say(`  ${lines[0]!.replace(/\s+/g, ' ')}`);
      for (const line of lines.slice(1)) {
        const fd = Number(/^\S+\s+\d+\s+\S+\s+(\d+)/.exec(line)?.[1]);
        if (ours.has(fd) && fd !== holdR && fd !== holdW) t.say(`  ${line.replace(/\s+/g, ' ')}`);
      }
      const all = fds();
      const count = (kind: string, list: FdInfo[]) => list.filter((f) => f.kind === kind).length;
      const chapter = all.filter((f) => ours.has(f.fd));
      t.say(`in all this process holds ${count('pipe', all)} pipe ends (${count('pipe', chapter)} of them this chapter's, ` +
        `the rest Node's own and stdout), ${count('socket', all)} sockets, ${count('fifo', all)} FIFOs`);
    } else {
      t.say('(lsof is not installed: apt-get install lsof, then compare)');
    }

    await t.traced(async () => {
      write(holdW, '.');
      for (const fd of [...mine, holdR, holdW]) close(fd);
      await child.wait();
    });
    if (theirs.length !== mine.length) throw new Error(`the child has ${theirs.length} of the ${mine.length} descriptors`);
    t.notice('Every descriptor is a number in the process\'s table pointing at a kernel object: the two\n' +
      'ends of a pipe share one inode, and so do the child\'s copies. The child inherited all of\n' +
      'them at the same numbers, because none had FD_CLOEXEC: that is how a shell hands a pipe to\n' +
      'the programs it starts, and why a forgotten write end keeps a reader from seeing end of\n' +
      'file. The low numbers are taken by Node\'s own event loop, so ours start higher than 3.');
  },
  programs: {
    hold(t, holdR, holdW) {
      close(Number(holdW));
      read(Number(holdR), Buffer.alloc(1)); // until the parent says it has looked
      close(Number(holdR));
      t.say('the parent has looked; exiting');
    },
  },
};
