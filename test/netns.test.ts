// Two hosts: two network namespaces joined by a veth pair (TEST-NET-1, 192.0.2.0/24, inside the
// namespaces only), a server in one, a client in the other. Then the link is cut (`ip link set ...
// down` on the server's side): a client call blocked on that connection must end with an error
// within the connection's TCP_USER_TIMEOUT, not wait for the kernel's ~15 minutes of retransmits.
// Needs root (CAP_NET_ADMIN) and iproute2; skipped with the reason otherwise. The namespaces are
// deleted afterwards, and ones left by a run that was killed are deleted by the next.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

const peer = path.join(__dirname, 'netns', 'peer.js');
const tag = `pipc${process.pid}`;
const [nsA, nsB] = [`${tag}a`, `${tag}b`];
const [vethA, vethB] = [`pv${process.pid}a`, `pv${process.pid}b`];
const USER_TIMEOUT = 1500; // ms

// `ip` runs without the sanitizer runtime (npm run test:asan preloads it); the Node processes in
// the namespaces get it back through env(1).
const preload = process.env.LD_PRELOAD;
const plainEnv = { ...process.env };
delete plainEnv.LD_PRELOAD;

function ip(args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('ip', args, { encoding: 'utf8', env: plainEnv });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`.trim() };
}

/** Namespaces left behind by runs whose process is gone. */
function removeStale(): void {
  for (const line of ip(['netns', 'list']).out.split('\n')) {
    const m = /^(pipc(\d+)[ab])\b/.exec(line);
    if (!m) continue;
    try {
      process.kill(Number(m[2]), 0);
    } catch {
      ip(['netns', 'del', m[1]!]);
    }
  }
}

/** Why namespaces cannot be made here, or null when they can. */
function unavailable(): string | null {
  if (process.platform !== 'linux') return 'network namespaces are Linux only';
  if (process.getuid?.() !== 0) return 'not root: creating network namespaces needs CAP_NET_ADMIN';
  const probe = `${tag}p`;
  const made = ip(['netns', 'add', probe]);
  if (!made.ok) return `ip netns add failed: ${made.out}`;
  ip(['netns', 'del', probe]);
  return null;
}

const reason = unavailable();
if (reason) console.log(`netns: skipped, ${reason}`);

/** The first line of `child`'s stdout matching `re`; rejects if the child ends first. */
function line(child: ChildProcess, re: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    let err = '';
    const onData = (d: Buffer) => {
      text += d;
      for (const l of text.split('\n')) {
        const m = re.exec(l);
        if (m) {
          child.stdout!.off('data', onData);
          resolve(m);
          return;
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => { err += d; });
    child.once('close', (code, signal) => reject(new Error(`ended (${code ?? signal}) before printing ${re}: ${text}${err}`)));
  });
}

function inNamespace(ns: string, args: string[]): ChildProcess {
  return spawn('ip', ['netns', 'exec', ns, 'env', ...(preload ? [`LD_PRELOAD=${preload}`] : []), process.execPath, peer, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'], env: plainEnv,
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const closed = new Promise((resolve) => child.once('close', resolve));
    child.kill('SIGKILL');
    await closed;
  }
}

/**
 * A server in A, a client in B connected to it with TCP_USER_TIMEOUT `userTimeout`; the link is
 * cut, then the client makes its blocking call (`mode`). Resolves with what the client printed,
 * or null if it had printed nothing `waitMs` after the cut.
 */
async function cutDuring(mode: string, userTimeout: number, waitMs: number): Promise<{ outcome: string; ms: number } | null> {
  const server = inNamespace(nsA, ['server', '192.0.2.1']);
  const client = { proc: null as ChildProcess | null };
  try {
    const [, port] = await line(server, /^listening (\d+)$/);
    client.proc = inNamespace(nsB, ['client', '192.0.2.1', port!, mode, String(userTimeout)]);
    await line(client.proc, /^connected$/);
    expect(ip(['-n', nsA, 'link', 'set', vethA, 'down']).ok).toBe(true);
    const result = line(client.proc, /^\{.*\}$/).then((m) => JSON.parse(m[0]) as { outcome: string; ms: number });
    client.proc.stdin!.end('go\n');
    const timer = new Promise<null>((resolve) => setTimeout(() => resolve(null), waitMs));
    return await Promise.race([result, timer]);
  } finally {
    if (client.proc) await stop(client.proc);
    await stop(server);
    ip(['-n', nsA, 'link', 'set', vethA, 'up']);
  }
}

describe.skipIf(reason !== null)('two hosts: network namespaces joined by a veth pair, then the link cut', () => {
  beforeAll(() => {
    removeStale();
    const steps = [
      ['netns', 'add', nsA], ['netns', 'add', nsB],
      ['link', 'add', vethA, 'type', 'veth', 'peer', 'name', vethB],
      ['link', 'set', vethA, 'netns', nsA], ['link', 'set', vethB, 'netns', nsB],
      ['-n', nsA, 'addr', 'add', '192.0.2.1/24', 'dev', vethA], ['-n', nsB, 'addr', 'add', '192.0.2.2/24', 'dev', vethB],
      ['-n', nsA, 'link', 'set', vethA, 'up'], ['-n', nsB, 'link', 'set', vethB, 'up'],
    ];
    for (const step of steps) {
      const r = ip(step);
      if (!r.ok) throw new Error(`ip ${step.join(' ')}: ${r.out}`);
    }
  });

  afterAll(() => {
    // Deleting a namespace deletes the veth end inside it, and with it the pair.
    ip(['netns', 'del', nsA]);
    ip(['netns', 'del', nsB]);
    expect(ip(['netns', 'list']).out).not.toContain(tag);
  });

  const bound = 15_000; // far below the ~15 minutes the kernel retransmits for without the option

  const cases: [mode: string, what: string][] = [
    ['recv', `a recv blocked on a request sent after the cut fails with ETIMEDOUT (TCP_USER_TIMEOUT ${USER_TIMEOUT} ms)`],
    ['send', 'a send blocked on a full send buffer fails with ETIMEDOUT'],
    ['promise-recv', 'a posix-ipc/promises recv waiting on the connection rejects with ETIMEDOUT'],
    ['connect', 'a connect whose SYN goes unanswered fails with ETIMEDOUT'],
  ];
  for (const [mode, what] of cases) {
    it(what, async () => {
      const r = await cutDuring(mode, USER_TIMEOUT, bound);
      console.log(`netns ${mode}: ${JSON.stringify(r)}`);
      expect(r?.outcome).toBe('ETIMEDOUT');
      expect(r!.ms).toBeGreaterThanOrEqual(USER_TIMEOUT - 100); // the option, not something else, ended it
    }, 30_000);
  }

  it('control: without TCP_USER_TIMEOUT the same recv is still blocked 3 s after the cut', async () => {
    expect(await cutDuring('recv', 0, 3000)).toBeNull();
  }, 30_000);
});
