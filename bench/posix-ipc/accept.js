'use strict';
// accept rate: n times socket + connect to a listener on 127.0.0.1, accept, close both (the
// accepted end first). Connections per second, after 100 untimed ones.
const { count, report, now, need } = require('../common');

const p = need('accept', 'posix-ipc', ['socket', 'bind', 'listen', 'accept', 'connect', 'getsockname', 'close']);
if (p) {
  const n = count(20000);
  const l = p.socket(p.AF_INET, p.SOCK_STREAM);
  p.bind(l, { family: 'AF_INET', address: '127.0.0.1', port: 0 });
  p.listen(l, 128);
  const address = p.getsockname(l);
  const { AF_INET, SOCK_STREAM, socket, connect, accept, close } = p;
  let t0 = 0;
  for (let i = -100; i < n; i++) {
    if (i === 0) t0 = now();
    const c = socket(AF_INET, SOCK_STREAM);
    connect(c, address);
    const [s] = accept(l);
    close(s);
    close(c);
  }
  const t1 = now();
  close(l);
  report('accept', n / ((t1 - t0) / 1e9), n);
}
