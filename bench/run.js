#!/usr/bin/env node
// npm run bench [-- --quick] [--runs N] [--only percall,accept] [--impl c,posix-ipc] [--json out.json]
//
// Runs the same workloads written in C (the limit), with posix-ipc (sync, and posix-ipc/promises),
// with Node's own fs/net and with Python's os/socket, interleaved: run 1 of every implementation of
// a workload, then the next workload, ..., then run 2 of everything, and so on, so that a slow spell
// of this shared machine hits every column alike. Prints one table of medians with each cell's
// ratio to C and its spread.
//
// Each program times its own loop (after its peer is up and a warm-up) and prints one JSON line:
// {"value": ...} in the workload's unit, {"na": why} when the implementation cannot express the
// workload, or {"pending": calls} when posix-ipc does not have the calls yet.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const buildDir = path.join(root, 'build-bench');

const GiB = 2 ** 30;
const MiB = 2 ** 20;

// lower: the unit is a cost (lower is better); otherwise a rate. target: what posix-ipc must show,
// as a ratio to C in the row's own unit (max for costs, min for rates); `time` says the target is on
// the time per item although the row shows a rate. pin: both processes on one CPU (bench/README.md says why).
const workloads = [
  { id: 'percall', title: 'per-call: write 1 B + read 1 B, one pipe', unit: 'ns/pair', lower: true, n: 1e6, quick: 5e4, target: { max: 1.5 } },
  { id: 'pipe-throughput', title: 'pipe throughput, 64 KiB writes', unit: 'GB/s', lower: false, n: GiB, quick: 32 * MiB, target: { min: 0.95 }, pin: true },
  { id: 'pingpong-pipe', title: 'ping-pong, 1 B over a pipe pair', unit: 'µs/trip', lower: true, n: 1e5, quick: 5e3, target: { max: 1.2 }, pin: true },
  { id: 'pingpong-unix', title: 'ping-pong, 1 B over AF_UNIX stream', unit: 'µs/trip', lower: true, n: 1e5, quick: 5e3, target: { max: 1.2 }, pin: true },
  { id: 'tcp-throughput', title: 'TCP loopback throughput, 64 KiB sends', unit: 'GB/s', lower: false, n: GiB, quick: 32 * MiB, target: { min: 0.95 }, pin: true },
  { id: 'accept', title: 'connect/accept/close, 127.0.0.1', unit: 'conn/s', lower: false, n: 2e4, quick: 1e3, target: { min: 0.9 } },
  { id: 'dgram-unix', title: 'AF_UNIX datagrams, 64 B, socketpair', unit: 'dgram/s', lower: false, n: 5e5, quick: 2e4, target: { min: 1 / 1.3, time: 1.3 } },
  { id: 'fork', title: 'fork + _exit + waitpid', unit: 'µs', lower: true, n: 2000, quick: 100 },
];

const impls = [
  { id: 'c', title: 'C', cmd: (w) => [path.join(buildDir, w.id)] },
  { id: 'posix-ipc', title: 'posix-ipc', cmd: (w) => [process.execPath, path.join(__dirname, 'posix-ipc', `${w.id}.js`)] },
  // The posix-ipc program again, with trace(on) then trace(false) done first: tracing off must cost
  // nothing the bench can see. Run on the per-call workloads only, where a cost would show most.
  { id: 'traced-off', title: 'posix-ipc, trace on→off', only: ['percall', 'pingpong-pipe'], cmd: (w) => [process.execPath, '-r', path.join(__dirname, 'tools', 'trace-off.js'), path.join(__dirname, 'posix-ipc', `${w.id}.js`)] },
  { id: 'promises', title: 'posix-ipc/promises', cmd: (w) => [process.execPath, path.join(__dirname, 'posix-ipc-promises', `${w.id}.js`)] },
  { id: 'node', title: 'Node (fs, net)', cmd: (w) => [process.execPath, path.join(__dirname, 'node', `${w.id}.js`)] },
  { id: 'python', title: 'Python (os, socket)', cmd: (w) => ['python3', path.join(__dirname, 'python', `${w.id}.py`)] },
];

function parseArgs(argv) {
  const o = { quick: false, runs: undefined, only: null, impl: null, json: null, pin: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--runs') o.runs = Number(value());
    else if (a === '--only') o.only = value().split(',');
    else if (a === '--impl') o.impl = value().split(',');
    else if (a === '--json') o.json = value();
    else if (a === '--no-pin') o.pin = false;
    else if (a === '--help' || a === '-h') {
      console.log('usage: node bench/run.js [--quick] [--runs N] [--only w1,w2] [--impl c,posix-ipc,traced-off,promises,node,python] [--json file] [--no-pin]');
      console.log(`workloads: ${workloads.map((w) => w.id).join(', ')}`);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (o.runs === undefined) o.runs = o.quick ? 1 : 5;
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error('--runs must be a positive integer');
  for (const id of o.only ?? []) if (!workloads.some((w) => w.id === id)) throw new Error(`unknown workload ${id}`);
  for (const id of o.impl ?? []) if (!impls.some((m) => m.id === id)) throw new Error(`unknown implementation ${id}`);
  return o;
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Compiles bench/c/<id>.c into build-bench/<id> when missing or older than its sources. */
function buildC(ids) {
  const cc = process.env.CC || which('cc') || which('gcc') || which('clang');
  if (!cc) return 'no C compiler (cc)';
  fs.mkdirSync(buildDir, { recursive: true });
  const common = path.join(__dirname, 'c', 'common.h');
  for (const id of ids) {
    const src = path.join(__dirname, 'c', `${id}.c`);
    const out = path.join(buildDir, id);
    const newest = Math.max(fs.statSync(src).mtimeMs, fs.statSync(common).mtimeMs);
    if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= newest) continue;
    const r = spawnSync(cc, ['-O2', '-Wall', '-Wextra', '-o', out, src], { encoding: 'utf8' });
    if (r.status !== 0) return `${cc} failed on ${id}.c: ${r.stderr || r.error}`;
  }
  return null;
}

function unavailable(o, selected) {
  const why = new Map();
  const cErr = selected.includes('c') ? buildC(workloads.map((w) => w.id)) : null;
  if (cErr) why.set('c', cErr);
  if (!which('python3')) why.set('python', 'python3 not found');
  try {
    require.resolve('posix-ipc');
  } catch {
    why.set('posix-ipc', "posix-ipc is not built (npm run build)");
    why.set('traced-off', "posix-ipc is not built (npm run build)");
    why.set('promises', "posix-ipc is not built (npm run build)");
  }
  return why;
}

/** Runs one program; returns {value} | {na} | {pending} | {error}. */
function runOne(w, m, o, cpu) {
  if (m.only && !m.only.includes(w.id)) return { na: `${m.title}: measured on ${m.only.join(' and ')} only` };
  let cmd = [...m.cmd(w), String(o.quick ? w.quick : w.n)];
  if (w.pin && cpu !== null) cmd = ['taskset', '-c', String(cpu), ...cmd];
  const timeout = (o.quick ? 60 : 600) * 1000;
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', timeout, cwd: root, maxBuffer: 1 << 24 });
  const lines = (r.stdout || '').trim().split('\n').filter(Boolean);
  let out = null;
  try {
    out = lines.length ? JSON.parse(lines[lines.length - 1]) : null;
  } catch {
    out = null;
  }
  if (out && (out.pending || out.na)) return out;
  if (r.status !== 0 || r.error || !out || typeof out.value !== 'number' || !Number.isFinite(out.value)) {
    const err = r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : `exit ${r.status}`;
    return { error: `${err}: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ') || 'no result'}` };
  }
  return { value: out.value };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2;
};

/** Half the range over the median, in percent: the ± a cell's runs spread over. */
const spread = (xs) => (xs.length < 2 ? 0 : ((Math.max(...xs) - Math.min(...xs)) / 2 / median(xs)) * 100);

function fmt(v) {
  if (v >= 1e5) return `${Math.round(v / 1e3)}k`;
  if (v >= 100) return String(Math.round(v));
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

function targetText(t) {
  if (!t) return '';
  if (t.time) return `time ≤ ${t.time}×`;
  return t.max !== undefined ? `≤ ${t.max}×` : `≥ ${t.min}×`;
}

function meets(t, ratio) {
  return t.max !== undefined ? ratio <= t.max : ratio >= t.min;
}

function table(o, ws, ms, results, why) {
  const lines = [];
  const head = ['workload', 'unit', ...ms.flatMap((m) => (m.id === 'c' ? [m.title] : [m.title, '×C'])), 'posix-ipc target'];
  lines.push(`| ${head.join(' | ')} |`);
  lines.push(`|${head.map((h, i) => (i < 2 ? '---' : '---:')).join('|')}|`);
  const notes = new Map();
  const note = (text) => {
    if (!notes.has(text)) notes.set(text, notes.size + 1);
    return `[${notes.get(text)}]`;
  };
  const summary = [];
  for (const w of ws) {
    const cell = (m) => results.get(`${w.id}/${m.id}`);
    const c = cell(impls[0]);
    const cMed = c && c.values.length ? median(c.values) : null;
    const row = [w.title, w.unit];
    let targetCell = '';
    for (const m of ms) {
      const r = cell(m);
      let text;
      let ratio = '';
      if (why.has(m.id)) text = `n/a ${note(why.get(m.id))}`;
      else if (!r || r.values.length === 0) {
        if (r?.pending) text = `n/a (pending) ${note(`${r.pending}`)}`;
        else if (r?.na) text = `n/a ${note(r.na)}`;
        else if (r?.errors.length) text = `error ${note(r.errors[0])}`;
        else text = '';
      } else {
        const med = median(r.values);
        text = `${fmt(med)} ±${spread(r.values).toFixed(0)}%`;
        if (r.errors.length) text += ` ${note(`${r.errors.length} run(s) failed: ${r.errors[0]}`)}`;
        if (cMed !== null && m.id !== 'c') {
          const x = med / cMed;
          ratio = `${x.toFixed(2)}×`;
          if (m.id === 'posix-ipc' && w.target) {
            const ok = meets(w.target, x);
            targetCell = `${targetText(w.target)} ${ok ? '✓' : '✗'}`;
            summary.push({ w, x, ok });
          }
        }
      }
      row.push(text);
      if (m.id !== 'c') row.push(ratio);
    }
    if (!targetCell && w.target) targetCell = targetText(w.target);
    row.push(targetCell);
    lines.push(`| ${row.join(' | ')} |`);
  }
  if (notes.size) {
    lines.push('');
    for (const [text, n] of notes) lines.push(`[${n}] ${text}`);
  }
  return { text: lines.join('\n'), summary };
}

/**
 * The two comparisons the table's ratios to C do not show directly: tracing turned off against the
 * plain posix-ipc column (must be within the run's noise), and the promise path against Node's own
 * `net` doing the same work (must be faster).
 */
function comparisons(ws, results) {
  const lines = [];
  const med = (w, id) => {
    const r = results.get(`${w.id}/${id}`);
    return r && r.values.length ? median(r.values) : null;
  };
  for (const w of ws) {
    const off = med(w, 'traced-off');
    const plain = med(w, 'posix-ipc');
    if (off === null || plain === null) continue;
    const noise = Math.max(spread(results.get(`${w.id}/posix-ipc`).values), spread(results.get(`${w.id}/c`)?.values ?? []));
    const diff = ((off - plain) / plain) * 100;
    lines.push(`Tracing turned off, ${w.id}: ${diff >= 0 ? '+' : ''}${diff.toFixed(1)}% against posix-ipc (the run's noise: ±${noise.toFixed(1)}%) ${Math.abs(diff) <= Math.max(noise, 2) ? '✓' : '✗'}.`);
  }
  for (const w of ws.filter((x) => ['pingpong-unix', 'tcp-throughput', 'accept'].includes(x.id))) {
    const pr = med(w, 'promises');
    const net = med(w, 'node');
    if (pr === null || net === null) continue;
    const better = w.lower ? net / pr : pr / net; // > 1: the promise path is faster
    lines.push(`posix-ipc/promises against Node's net, ${w.id}: ${better.toFixed(2)}× as fast ${better > 1 ? '✓' : '✗'}.`);
  }
  return lines;
}

function machine() {
  const cpus = os.cpus();
  const py = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  const cc = spawnSync(process.env.CC || 'cc', ['--version'], { encoding: 'utf8' });
  return {
    cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    python: py.status === 0 ? (py.stdout || py.stderr).trim() : 'none',
    cc: cc.status === 0 ? cc.stdout.split('\n')[0] : 'none',
  };
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  const ws = workloads.filter((w) => !o.only || o.only.includes(w.id));
  const ms = impls.filter((m) => !o.impl || o.impl.includes(m.id) || m.id === 'c');
  const why = unavailable(o, ms.map((m) => m.id));
  const cpus = os.cpus().length;
  const cpu = o.pin && cpus > 1 && which('taskset') ? cpus - 1 : null;
  const results = new Map();
  for (const w of ws) for (const m of ms) results.set(`${w.id}/${m.id}`, { values: [], errors: [], pending: null, na: null });

  const info = machine();
  const load0 = os.loadavg();
  const started = Date.now();
  console.error(`posix-ipc bench: ${o.runs} run(s)${o.quick ? ', quick sizes' : ''}; ${info.cpu}; load ${load0.map((x) => x.toFixed(2)).join(' ')}`);
  for (let run = 0; run < o.runs; run++) {
    for (const w of ws) {
      // Rotate the order each run, so no implementation always follows the same one.
      const order = ms.map((_, i) => ms[(i + run) % ms.length]);
      for (const m of order) {
        if (why.has(m.id)) continue;
        const cell = results.get(`${w.id}/${m.id}`);
        if (cell.pending || cell.na) continue;
        const r = runOne(w, m, o, cpu);
        if (r.pending) cell.pending = r.pending;
        else if (r.na) cell.na = r.na;
        else if (r.error) cell.errors.push(r.error);
        else cell.values.push(r.value);
        const shown = r.value !== undefined ? fmt(r.value) : r.pending ? 'pending' : r.na ? 'n/a' : 'error';
        console.error(`  run ${run + 1}/${o.runs}  ${w.id.padEnd(16)} ${m.id.padEnd(10)} ${shown}`);
      }
    }
  }
  const load1 = os.loadavg();
  const { text, summary } = table(o, ws, ms, results, why);

  const cSpreads = ws
    .map((w) => ({ w, r: results.get(`${w.id}/c`) }))
    .filter(({ r }) => r && r.values.length > 1)
    .map(({ w, r }) => ({ w, s: spread(r.values) }));
  console.log(`\n${text}\n`);
  console.log(`Medians of ${o.runs} interleaved run(s)${o.quick ? ' at quick sizes (a smoke run, not a measurement)' : ''}; ±: half the range of the runs, over the median.`);
  if (cSpreads.length) {
    const worst = cSpreads.reduce((a, b) => (b.s > a.s ? b : a));
    console.log(`Machine spread (the C column): median ±${median(cSpreads.map((x) => x.s)).toFixed(1)}%, worst ±${worst.s.toFixed(1)}% (${worst.w.id}).`);
  }
  console.log(`Machine: ${info.cpu}; ${info.os}; Node ${info.node}; ${info.python}; ${info.cc}.`);
  console.log(`Load average ${load0.map((x) => x.toFixed(2)).join(' ')} before, ${load1.map((x) => x.toFixed(2)).join(' ')} after; ${((Date.now() - started) / 1000).toFixed(0)} s.${cpu !== null && ws.some((w) => w.pin) ? ` Pinned to CPU ${cpu}: ${ws.filter((w) => w.pin).map((w) => w.id).join(', ')}.` : ''}`);
  if (summary.length) {
    const missed = summary.filter((s) => !s.ok);
    console.log(missed.length ? `posix-ipc misses ${missed.length} target(s): ${missed.map((s) => `${s.w.id} ${s.x.toFixed(2)}× (${targetText(s.w.target)})`).join(', ')}.` : 'posix-ipc meets every target it was measured on.');
  }
  for (const line of comparisons(ws, results)) console.log(line);
  if (o.json) {
    const out = { date: new Date().toISOString(), options: o, machine: info, load: [load0, load1], results: Object.fromEntries(results) };
    fs.writeFileSync(o.json, `${JSON.stringify(out, null, 2)}\n`);
  }
  const failed = [...results.values()].some((r) => r.errors.length > 0);
  process.exitCode = failed ? 1 : 0;
}

main();
