"""ping-pong over a pipe pair: write 1 byte, the child echoes it back, n times (µs per trip)."""
import os
from common import WARMUP_TRIPS, count, now_ns, report

n = count(100_000)
down_r, down_w = os.pipe()
up_r, up_w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(down_w)
    os.close(up_r)
    while True:
        b = os.read(down_r, 1)
        if not b:
            os._exit(0)
        os.write(up_w, b)
os.close(down_r)
os.close(up_w)
read, write, b = os.read, os.write, b'x'
for _ in range(WARMUP_TRIPS):
    write(down_w, b)
    read(up_r, 1)
t0 = now_ns()
for _ in range(n):
    write(down_w, b)
    read(up_r, 1)
t1 = now_ns()
os.close(down_w)
os.waitpid(pid, 0)
report('pingpong-pipe', (t1 - t0) / n / 1e3, n)
