'use strict';
// fork + _exit + waitpid, n times (µs each, after 10 untimed ones). The child makes no JavaScript
// call but _exit (see the fork notes in the API docs).
const { count, report, now, need } = require('../common');

const p = need('fork', 'posix-ipc', ['fork', '_exit', 'waitpid']);
if (p) {
  const n = count(2000);
  const { fork, _exit, waitpid } = p;
  let t0 = 0;
  for (let i = -10; i < n; i++) {
    if (i === 0) t0 = now();
    const pid = fork();
    if (pid === 0) _exit(0);
    const st = waitpid(pid, 0);
    if (!st || st.kind !== 'exited' || st.code !== 0) throw new Error(`child: ${JSON.stringify(st)}`);
  }
  const t1 = now();
  report('fork', (t1 - t0) / n / 1e3, n);
}
