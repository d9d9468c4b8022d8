'use strict';
// accept rate with net in one Node process: n times connect to a server on 127.0.0.1, wait for both
// the client's 'connect' and the server's 'connection', destroy both (the accepted end first).
// Connections per second, after 100 untimed ones.
const net = require('node:net');
const { count, report, now } = require('../common');

const n = count(20000);
let i = -100;
let t0 = 0;
let accepted = null;
let connected = null;
const server = net.createServer((s) => {
  accepted = s;
  settle();
});
function settle() {
  if (!accepted || !connected) return;
  accepted.destroy();
  connected.destroy();
  accepted = connected = null;
  i++;
  if (i === 0) t0 = now();
  if (i < n) return next();
  const t1 = now();
  server.close();
  report('accept', n / ((t1 - t0) / 1e9), n);
}
function next() {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    connected = c;
    settle();
  });
}
server.listen(0, '127.0.0.1', next);
