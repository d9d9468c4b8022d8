'use strict';
// accept rate with posix-ipc/promises in one process: n times connect and accept awaited together
// on 127.0.0.1, then close both (the accepted end first). Connections per second.
const { count, report, now, need } = require('../common');

const p = need('accept', 'posix-ipc', ['socket', 'bind', 'listen', 'getsockname', 'close']);
const a = p && need('accept', 'posix-ipc/promises', ['accept', 'connect']);
if (a) {
  (async () => {
    const n = count(20000);
    const l = p.socket(p.AF_INET, p.SOCK_STREAM);
    p.bind(l, { family: 'AF_INET', address: '127.0.0.1', port: 0 });
    p.listen(l, 128);
    const address = p.getsockname(l);
    let t0 = 0;
    for (let i = -100; i < n; i++) {
      if (i === 0) t0 = now();
      const c = p.socket(p.AF_INET, p.SOCK_STREAM);
      const [[s]] = await Promise.all([a.accept(l), a.connect(c, address)]);
      p.close(s);
      p.close(c);
    }
    const t1 = now();
    p.close(l);
    report('accept', n / ((t1 - t0) / 1e9), n);
  })();
}
