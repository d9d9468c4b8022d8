"""per-call: one process writes 1 byte then reads 1 byte on a pipe, n times (ns per pair)."""
import os
from common import count, now_ns, report

n = count(1_000_000)
r, w = os.pipe()
b = b'x'


def loop(k):
    write, read = os.write, os.read
    for _ in range(k):
        write(w, b)
        read(r, 1)


loop(20_000)
t0 = now_ns()
loop(n)
t1 = now_ns()
report('percall', (t1 - t0) / n, n)
