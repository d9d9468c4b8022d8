#!/usr/bin/env node
// Load: each echo server kind serves CLIENTS concurrent clients sending BYTES each, over TCP
// loopback and over AF_UNIX; the C client (test/load/client.c, built here with cc) checks every
// byte that comes back. `npm run test:load` runs it full size; test/load.test.ts runs it small.
//
//   node test/load/run.js [--clients 1000] [--bytes 1048576] [--servers poll,promises,fork]
//                         [--transports tcp,unix] [--timeout 120]
//
// A run passes when the client saw every client answered in full (all bytes back, in order,
// unchanged, then end of file), the server served them all with none failed and held all of them
// at once, the server exited 0 within the time limit, and no child process of the run is left (a
// zombie or a straggler). Server kinds whose calls posix-ipc does not have yet are skipped with
// the reason. Prints one line per run, then a JSON summary; exits 1 if any run failed.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const CLIENTS = Number(opt('clients', '1000'));
const BYTES = Number(opt('bytes', String(1 << 20)));
const TIMEOUT_S = Number(opt('timeout', '120'));
const wanted = opt('servers', 'poll,promises,fork').split(',');
const transports = opt('transports', 'tcp,unix').split(',');

// The client is plain C: no sanitizer runtime for it even when the servers run under ASan.
const clientEnv = { ...process.env };
delete clientEnv.LD_PRELOAD;

function buildClient() {
  const out = path.join(root, 'build-load', 'client');
  const src = path.join(__dirname, 'client.c');
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= fs.statSync(src).mtimeMs) return out;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const r = spawnSync('cc', ['-O2', '-Wall', '-Wextra', '-o', out, src], { stdio: 'inherit', env: clientEnv });
  if (r.status !== 0) throw new Error('cc failed to build test/load/client.c');
  return out;
}

const example = (name) => path.join(root, 'build-examples', `${name}.js`);
const sync = require('posix-ipc');
let promises = {};
try {
  promises = require('posix-ipc/promises');
} catch {
  /* absent: the promise server is skipped */
}

// Each server kind: the script that runs it, or why it cannot run yet.
const servers = {
  poll: { script: example('poll-echo-server') },
  promises: ['accept', 'recv', 'send'].every((f) => typeof promises[f] === 'function')
    ? { script: example('promises-echo-server') }
    : { skip: 'posix-ipc/promises has no accept, recv and send yet' },
  fork: typeof sync.fork === 'function' && typeof sync.waitpid === 'function' && typeof sync._exit === 'function'
    ? { script: example('fork-echo-server') }
    : { skip: 'posix-ipc has no fork, waitpid and _exit yet' },
};
// A server whose example is not written yet is skipped with that reason, not failed.
for (const [kind, s] of Object.entries(servers)) {
  if (s.script && !fs.existsSync(s.script)) servers[kind] = { skip: `no ${path.basename(s.script)} yet` };
}

/** Child processes of `pid` (from /proc): [pid, state]. */
function childrenOf(pid) {
  const kids = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) kids.push([Number(name), fields[0]]);
    } catch {
      /* gone meanwhile */
    }
  }
  return kids;
}

function lines(stream, onLine) {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (d) => {
    rest += d;
    let i;
    while ((i = rest.indexOf('\n')) >= 0) {
      onLine(rest.slice(0, i));
      rest = rest.slice(i + 1);
    }
  });
}

/** Resolves when `child` has ended and its output is read: { code, signal }. */
function ended(child) {
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
}

/** One server kind over one transport: resolves with the run's record. */
async function runOne(client, kind, transport, dir) {
  const t0 = Date.now();
  const where = transport === 'unix' ? path.join(dir, `${kind}.sock`) : '0';
  const record = { server: kind, transport, clients: CLIENTS, bytesEach: BYTES, problems: [] };
  const server = spawn(process.execPath, [servers[kind].script, transport, where, String(CLIENTS)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = [];
  let stderr = '';
  let clientProc = null;
  let clientText = '';
  let clientEnd = Promise.resolve(null);
  const serverEnd = ended(server);
  server.stderr.setEncoding('utf8');
  server.stderr.on('data', (d) => { stderr += d; });
  lines(server.stdout, (line) => {
    out.push(line);
    const m = /^listening on (?:[\d.]+:(\d+)|(\/.*))$/.exec(line);
    if (!m || clientProc) return;
    clientProc = spawn(client, [transport, m[1] ?? m[2], String(CLIENTS), String(BYTES), String(TIMEOUT_S)], { stdio: ['ignore', 'pipe', 'inherit'], env: clientEnv });
    clientProc.stdout.setEncoding('utf8');
    clientProc.stdout.on('data', (d) => { clientText += d; });
    clientEnd = ended(clientProc);
  });
  // Bounded in time: past the client's own deadline (and a margin for the server), both are killed.
  const limit = setTimeout(() => {
    record.problems.push(`not done within ${TIMEOUT_S + 30} s: killed`);
    server.kill('SIGKILL');
    clientProc?.kill('SIGKILL');
  }, (TIMEOUT_S + 30) * 1000);
  // The fork server's children, sampled while it runs.
  let peakChildren = 0;
  const sampler = setInterval(() => {
    peakChildren = Math.max(peakChildren, childrenOf(server.pid).length);
  }, 100);
  const serverExit = await serverEnd;
  await clientEnd;
  clearTimeout(limit);
  clearInterval(sampler);
  record.ms = Date.now() - t0;

  const expected = CLIENTS * BYTES;
  if (serverExit.code !== 0) record.problems.push(`the server exited with ${serverExit.code ?? serverExit.signal}: ${stderr.trim()}`);
  if (!clientProc) {
    record.problems.push(`the server never said where it listens: ${out.join(' | ')} ${stderr.trim()}`);
  } else {
    let result = null;
    try {
      result = JSON.parse(clientText);
    } catch {
      record.problems.push(`the client printed no result: ${clientText}`);
    }
    if (result) {
      Object.assign(record, { answered: result.answered, bytesVerified: result.bytesVerified, errors: result.errors });
      if (result.answered !== CLIENTS) record.problems.push(`${result.answered} of ${CLIENTS} clients answered in full (errors: ${JSON.stringify(result.errors)}${result.timedOut ? ', timed out' : ''})`);
      if (result.bytesVerified !== expected) record.problems.push(`${result.bytesVerified} of ${expected} bytes came back`);
      if (result.mismatches) record.problems.push(`${result.mismatches} clients got wrong bytes`);
    }
  }
  const summary = out.map((l) => /^served (\d+) clients \((\d+) failed\), echoed (\d+) bytes, at most (\d+) connected at once/.exec(l)).find(Boolean);
  if (!summary) {
    record.problems.push(`no summary from the server: ${out.join(' | ')}`);
  } else {
    const [, served, failed, echoed, peak] = summary.map(Number);
    Object.assign(record, { served, failed, echoed, peak });
    if (served !== CLIENTS || failed !== 0) record.problems.push(`the server served ${served}, ${failed} failed`);
    if (echoed !== expected) record.problems.push(`the server echoed ${echoed} bytes`);
    if (peak !== CLIENTS) record.problems.push(`at most ${peak} clients were connected at once, not ${CLIENTS}`);
  }
  if (kind === 'fork') {
    // The server reaps each child and checks that none is left (waitpid: ECHILD) before it exits.
    record.peakChildren = peakChildren;
    const reaped = out.map((l) => /^reaped (\d+) children, none left$/.exec(l)).find(Boolean);
    if (!reaped || Number(reaped[1]) !== CLIENTS) record.problems.push(`the fork server did not reap its ${CLIENTS} children: ${out.join(' | ')}`);
  }
  const left = childrenOf(process.pid);
  if (left.length) record.problems.push(`processes left behind (pid, state): ${JSON.stringify(left)}`);
  return record;
}

async function main() {
  const client = buildClient();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posix-ipc-load-'));
  const records = [];
  const skipped = [];
  try {
    for (const kind of wanted) {
      if (!servers[kind]) throw new Error(`unknown server kind ${kind}`);
      if (servers[kind].skip) {
        skipped.push({ server: kind, reason: servers[kind].skip });
        console.log(`load ${kind}: skipped, ${servers[kind].skip}`);
        continue;
      }
      for (const transport of transports) {
        const r = await runOne(client, kind, transport, dir);
        records.push(r);
        console.log(`load ${kind} ${transport}: ${r.problems.length ? 'FAILED' : 'ok'}, ${r.answered ?? 0}/${CLIENTS} clients answered, ` +
          `${r.bytesVerified ?? 0} bytes checked, at most ${r.peak ?? '?'} at once, ${r.ms} ms` +
          (r.problems.length ? `\n  ${r.problems.join('\n  ')}` : ''));
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const failed = records.filter((r) => r.problems.length);
  const summary = {
    runs: records.length,
    failed: failed.length,
    clientsAnswered: records.reduce((s, r) => s + (r.answered ?? 0), 0),
    bytesVerified: records.reduce((s, r) => s + (r.bytesVerified ?? 0), 0),
    skipped,
    records,
  };
  console.log(JSON.stringify(summary));
  process.exit(failed.length || records.length === 0 ? 1 : 0);
}
main();
