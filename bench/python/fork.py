"""fork + _exit + waitpid, n times (µs each, after 10 untimed ones)."""
import os
from common import count, now_ns, report

n = count(2_000)
t0 = 0
for i in range(-10, n):
    if i == 0:
        t0 = now_ns()
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
t1 = now_ns()
report('fork', (t1 - t0) / n / 1e3, n)
