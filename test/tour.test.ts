import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');

// The chapters, in the lectures' order (API.md section 2).
const order = [
  'pipe', 'fork-pipe', 'eof-epipe', 'fifo', 'unix-stream', 'unix-dgram', 'tcp', 'udp', 'fork-server', 'shell-pipe',
  'pipe-buffer', 'shutdown', 'poll', 'thread-pool', 'fds',
];

function tour(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, [cli, 'tour', ...args], { encoding: 'utf8', input: '', timeout: 60_000, env });
}

/** The processes a run started ("+ role: pid N") and the ones it saw end ("- role: pid N ..."). */
function processes(stdout: string) {
  const started = [...stdout.matchAll(/^ {3}\+ (.+): pid (\d+)$/gm)].map((m) => Number(m[2]));
  const ended = [...stdout.matchAll(/^ {3}- (.+): pid (\d+) (.*)$/gm)].map((m) => ({ pid: Number(m[2]), how: m[3] }));
  return { started, ended };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the tour', () => {
  it('--list lists the chapters in lecture order', () => {
    const r = tour(['--list']);
    expect(r.status).toBe(0);
    expect([...r.stdout.matchAll(/^ *(\d+)\. (\S+) /gm)].map((m) => m[2])).toEqual(order);
  });

  it('runs every chapter, in order, with no input: exits 0, every process reaped, every file removed', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'posix-ipc-tour-test-'));
    const r = tour([], { ...process.env, TMPDIR: tmp });
    const left = fs.readdirSync(tmp);
    fs.rmSync(tmp, { recursive: true, force: true });
    // If the tour does not finish (killed after 60 s), the end of its output says where it stopped.
    const where = `status ${r.status}, signal ${r.signal}; the tour's last output:\n${(r.stdout ?? '').slice(-3000)}`;
    expect(r.stderr, where).toBe('');
    expect(r.status, where).toBe(0);
    const out = r.stdout;
    // Every chapter ran, in order, with tracing on.
    const headers = [...out.matchAll(/^== (\d+)\. /gm)].map((m) => Number(m[1]));
    expect(headers).toEqual(order.map((_, i) => i + 1));
    expect(out).toContain(`${order.length} chapters run.`);
    expect(out).toMatch(/^ {5}\[pid \d+\] pipe\(\[\d+, \d+\]\) = 0$/m);
    // What each demo printed, from each process.
    expect(out).toContain('Rcvd: "Message in a pipe.\\n" [19]');
    expect(out).toMatch(/^ {5}\[pid (\d+)\] fork\(\) = 0\n[\s\S]*child: Child Rcvd: Message in a pipe\. \[18\]/m);
    expect(out).toContain('child: poll(): nothing to read, no end of file after 300 ms');
    expect(out).toContain('child: after close(write end): read() = 0, end of file');
    expect(out).toMatch(/write\(\d+, "anyone there\?", 13\) = -1 EPIPE \(Broken pipe\)/);
    expect(out).toMatch(/waitpid\(\d+, \[\{WIFSIGNALED\(s\) && WTERMSIG\(s\) == SIGPIPE\}\], 0\)/);
    expect(out).toContain('ls -l: prw-r--r-- my_fifo');
    expect(out).toContain('reader: "Hello through a FIFO\\n", then end of file');
    expect(out.match(/^ {3}ps: pid \d+ state Z \(zombie\)/gm)).toHaveLength(2);
    expect(out).toMatch(/waitpid\(-1, NULL, WNOHANG\) = -1 ECHILD/);
    expect(out.match(/^A PIPE, BUILT BY HAND$/gm)).toHaveLength(2);
    expect(out).not.toMatch(/\[PID/); // a child's trace never went into the pipe
    expect(out).toContain('   client: Received: "Hello from the server"');
    expect(out).toMatch(/Received: "two, a second message" \[21\] from @/);
    expect(out.match(/^ {3}client \d: "hello back"$/gm)).toHaveLength(4); // tcp and fork-server
    expect(out.match(/^ {3}client \d: Received: "Echo: Hello from client \d" from 127\.0\.0\.1:\d+$/gm)).toHaveLength(2);
    expect(out).toMatch(/write\(\d+, "x{32}"\.\.\., 100000\) = 65536/);
    expect(out).toMatch(/writer \(pid \d+\) is asleep \(state S/);
    expect(out).toContain('   writer: write() returned 100000');
    expect(out).toMatch(/client: send after shutdown\(SHUT_WR\): send EPIPE/);
    expect(out).toMatch(/fast: answer: FAST[\s\S]*slow: answer: SLOW/);
    expect(out.match(/^ {3}client: connection \d: hello \d back, from thread \d$/gm)).toHaveLength(4);
    expect(out).toMatch(/^ +\d+ {2}pipe +r +- +pipe:\[\d+\], 12 of 65536 bytes queued$/m);
    // Every process started was seen to exit 0, and none is left.
    const { started, ended } = processes(out);
    expect(started.length).toBeGreaterThanOrEqual(20);
    expect(ended.map((e) => e.pid).sort()).toEqual([...started].sort());
    expect(ended.every((e) => e.how === 'exited 0')).toBe(true);
    expect(started.filter(alive)).toEqual([]);
    // Every scratch directory (and what the chapters made in it) is gone.
    expect(left).toEqual([]);
  });

  it('runs one chapter by id or number, and refuses an unknown one', () => {
    const one = tour(['unix-stream']);
    expect(one.stderr).toBe('');
    expect(one.status).toBe(0);
    expect(one.stdout).toMatch(/^== 5\. A UNIX stream socket/m);
    expect(one.stdout).toContain('1 chapter run.');
    expect(one.stdout).toMatch(/\[pid \d+\] bind\(\d+, \{AF_UNIX, "unix_socket"\}\) = 0/);
    expect(tour(['1']).stdout).toMatch(/^== 1\. A message through a pipe/m);
    const bad = tour(['nope']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('no chapter "nope"');
  });

  it('fails a chapter that leaves a process unreaped, a file, or a descriptor open', () => {
    const script = `
      const { runChapter } = require(${JSON.stringify(path.join(root, 'dist', 'tour', 'index.js'))});
      const { spawn } = require('node:child_process');
      const fs = require('node:fs');
      const p = require('posix-ipc');
      (async () => {
        const errors = [];
        let child, fds;
        const bad = (id, run) => runChapter({ id, title: id, source: 'test', run }, 1).then(() => errors.push(id + ': passed'), (e) => errors.push(id + ': ' + e.message));
        await bad('zombie', () => { child = spawn('sleep', ['30'], { stdio: 'ignore' }); });
        await new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGKILL'); });
        await bad('file', () => { fs.writeFileSync('left-behind', ''); });
        await bad('fd', () => { fds = p.pipe(); });
        p.close(fds[0]); p.close(fds[1]);
        await bad('throws', () => { throw new Error('the demo went wrong'); });
        await bad('clean', (t) => t.traced(() => { const [r, w] = p.pipe(); p.close(r); p.close(w); }));
        // A chapter that fails while its child still runs: the child is killed and reaped.
        let pipe;
        await runChapter({ id: 'abandons', title: 'abandons', source: 'test', programs: { stuck: (_t, r) => { p.read(Number(r), Buffer.alloc(1)); } },
          run(t) { pipe = p.pipe(); t.fork('stuck', 'stuck', pipe[0]); throw new Error('gave up'); } }, 1).catch((e) => errors.push('abandons: ' + e.message));
        p.close(pipe[0]); p.close(pipe[1]);
        errors.push('children left: ' + fs.readFileSync('/proc/self/task/' + process.pid + '/children', 'utf8').trim());
        process.stdout.write(JSON.stringify(errors));
      })();`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: root, timeout: 30_000 });
    expect(r.stderr).toBe('');
    const errors = JSON.parse(r.stdout.slice(r.stdout.lastIndexOf('\n') + 1)) as string[];
    expect(errors[0]).toMatch(/^zombie: chapter zombie left things behind: processes not reaped: \d+$/);
    expect(errors[1]).toBe('file: chapter file left things behind: files left in the scratch directory: left-behind');
    expect(errors[2]).toMatch(/^fd: chapter fd left things behind: descriptors left open: \d+ \(pipe:\[\d+\]\), \d+ \(pipe:\[\d+\]\)$/);
    expect(errors[3]).toBe('throws: the demo went wrong');
    expect(errors[4]).toBe('clean: passed');
    expect(errors.slice(5)).toEqual(['abandons: gave up', 'children left: ']);
  });
});
