#!/usr/bin/env node
// A connection whose peer is killed with SIGKILL mid-transfer, seen from the survivor (this
// process, using posix-ipc). `node killed-peer.js TRANSPORT MODE` with TRANSPORT tcp | unix and
// MODE one of:
//   recv          the peer sends without end; the survivor blocks in recv(2) until the peer dies
//   recv-unread   the same, but the survivor sent bytes the peer never read (the dying peer resets)
//   send          the peer reads nothing; the survivor blocks in send(2) on the full buffers
//   promise-recv  as recv, waiting in posix-ipc/promises recv()
//   promise-send  as send, waiting in posix-ipc/promises send()
// The peer is a plain Node `net` client that kills itself 300 ms after connecting. Prints one JSON
// line: { outcome: 'EOF' | errno code, bytes, peerSignal }. A hang is the caller's timeout.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const p = require('posix-ipc');
const promises = require('posix-ipc/promises');

const [transport, mode] = process.argv.slice(2);
const peerSends = mode.includes('recv');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posix-ipc-killed-'));
let listener;
let target;
if (transport === 'tcp') {
  listener = p.socket(p.AF_INET, p.SOCK_STREAM);
  p.bind(listener, { family: 'AF_INET', address: '127.0.0.1', port: 0 });
  target = String(p.getsockname(listener).port);
} else {
  listener = p.socket(p.AF_UNIX, p.SOCK_STREAM);
  target = path.join(dir, 'sock');
  p.bind(listener, { family: 'AF_UNIX', path: target });
}
p.listen(listener, 1);

const peerScript = `
  const net = require('net');
  const [target, sends] = process.argv.slice(1);
  const sock = /^\\d+$/.test(target) ? net.connect(Number(target), '127.0.0.1') : net.connect(target);
  sock.on('error', () => {});
  sock.pause();   // reads nothing: what the survivor sends stays unread
  sock.on('connect', () => {
    if (sends === '1') {
      const chunk = Buffer.alloc(65536, 7);
      const pump = () => { while (sock.write(chunk)); };
      sock.on('drain', pump);
      pump();
    }
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), 300);
  });`;
const peer = spawn(process.execPath, ['-e', peerScript, target, peerSends ? '1' : '0'], { stdio: 'ignore' });
const peerExit = new Promise((resolve) => peer.on('exit', (_code, signal) => resolve(signal)));

const [fd] = p.accept(listener); // blocking: the peer connects
p.close(listener);
const buf = Buffer.alloc(65536, 1);
let bytes = 0;
let outcome = null;

async function main() {
  if (mode === 'recv-unread') p.send(fd, buf, 1024); // never read by the peer
  try {
    for (;;) {
      if (peerSends) {
        const n = mode === 'promise-recv' ? await promises.recv(fd, buf) : p.recv(fd, buf);
        if (n === 0) {
          outcome = 'EOF';
          break;
        }
        bytes += n;
      } else {
        bytes += mode === 'promise-send' ? await promises.send(fd, buf) : p.send(fd, buf);
      }
    }
  } catch (e) {
    if (!(e instanceof p.SyscallError)) throw e;
    outcome = e.code;
  }
  p.close(fd);
  const peerSignal = await peerExit;
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify({ outcome, bytes, peerSignal }));
}
main();
